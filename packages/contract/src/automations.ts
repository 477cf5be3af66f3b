import { type Static, type TSchema, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { INBOX_TYPES } from './admin.ts'
import { UserRef } from './people.ts'
import { PRIORITIES, PrioritySchema, Tag, TICKET_STATUSES, TicketStatusSchema } from './tickets.ts'

/**
 * Automations (issue 10): rules that act on tickets when something happens (event rules) or when a ticket has sat
 * in a state long enough (time rules). Admins manage them; they run in order, as "Automation", off the request path.
 */
export const AUTOMATION_TRIGGERS = ['ticket.created', 'ticket.updated', 'message.created', 'sla.warning', 'sla.breached', 'csat.rated', 'time'] as const
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number]
export const AUTOMATION_TRIGGER_LABELS: Record<AutomationTrigger, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket updated',
  'message.created': 'Message added',
  'sla.warning': 'SLA target about to breach',
  'sla.breached': 'SLA target breached',
  'csat.rated': 'Satisfaction survey answered',
  time: 'On a schedule (time rule)',
}

/** What a time rule measures from: the ticket's last update, its creation, or when it was solved. */
export const AUTOMATION_TIME_ANCHORS = ['updated', 'created', 'solved'] as const
export type AutomationTimeAnchor = (typeof AUTOMATION_TIME_ANCHORS)[number]

export const AUTOMATION_FIELD_TYPES = ['enum', 'ref', 'text', 'tags', 'boolean', 'number'] as const
export type AutomationFieldType = (typeof AUTOMATION_FIELD_TYPES)[number]

/** Which operators each kind of field accepts; the editor offers exactly these and the server refuses others. */
export const AUTOMATION_OPERATORS: Record<AutomationFieldType, readonly string[]> = {
  enum: ['is', 'is_not', 'in', 'not_in'],
  ref: ['is', 'is_not', 'in', 'not_in', 'is_set', 'is_not_set'],
  text: ['is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_set', 'is_not_set'],
  tags: ['includes', 'excludes'],
  boolean: ['is'],
  number: ['eq', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'],
}
export const AUTOMATION_OPERATOR_LABELS: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  is_set: 'is set',
  is_not_set: 'is not set',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  includes: 'includes any of',
  excludes: 'includes none of',
  eq: '=',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
}
/** Operators that take no value. */
export const AUTOMATION_VALUELESS_OPERATORS = ['is_set', 'is_not_set'] as const

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export interface AutomationFieldSpec {
  label: string
  type: AutomationFieldType
  /** enum fields: the allowed values. */
  options?: readonly string[]
  /** ref fields: what the id points at. */
  ref?: 'inbox' | 'team' | 'user'
}

/**
 * The closed list of condition fields. `ticket.custom.<key>` (a ticket custom field, compared as text) is accepted
 * besides these. Message fields are the message that triggered the rule (the opening one for `ticket.created`).
 */
export const AUTOMATION_FIELDS: Record<string, AutomationFieldSpec> = {
  'ticket.status': { label: 'Ticket status', type: 'enum', options: TICKET_STATUSES },
  'ticket.priority': { label: 'Ticket priority', type: 'enum', options: PRIORITIES },
  'ticket.inbox': { label: 'Inbox', type: 'ref', ref: 'inbox' },
  'ticket.channel': { label: 'Channel', type: 'enum', options: INBOX_TYPES },
  'ticket.team': { label: 'Team', type: 'ref', ref: 'team' },
  'ticket.assignee': { label: 'Assignee', type: 'ref', ref: 'user' },
  'ticket.tags': { label: 'Tags', type: 'tags' },
  'ticket.subject': { label: 'Subject', type: 'text' },
  'requester.email': { label: 'Requester email', type: 'text' },
  'requester.domain': { label: 'Requester email domain', type: 'text' },
  'requester.name': { label: 'Requester name', type: 'text' },
  'requester.vip': { label: 'Requester is VIP', type: 'boolean' },
  'organization.name': { label: 'Organization name', type: 'text' },
  'organization.tier': { label: 'Organization tier', type: 'text' },
  'message.body': { label: 'Message text', type: 'text' },
  'message.from': { label: 'Message sender email', type: 'text' },
  'message.fromCustomer': { label: 'Message is from the customer', type: 'boolean' },
  'message.isFirst': { label: 'Message is the first of the ticket', type: 'boolean' },
  'sla.metric': { label: 'SLA metric', type: 'text' },
  'csat.score': { label: 'Satisfaction score', type: 'number' },
  'time.hoursSinceCreated': { label: 'Hours since created', type: 'number' },
  'time.hoursSinceUpdated': { label: 'Hours since last update', type: 'number' },
  'time.hoursSinceSolved': { label: 'Hours since solved', type: 'number' },
  'time.hourOfDay': { label: 'Hour of day (UTC, 0–23)', type: 'number' },
  'time.weekday': { label: 'Weekday (UTC)', type: 'enum', options: WEEKDAYS },
}
export const AUTOMATION_CUSTOM_FIELD_PREFIX = 'ticket.custom.'

/** The only placeholders an automation's note, email or webhook text may use; others are refused on save. */
export const AUTOMATION_PLACEHOLDERS = [
  'ticket.id',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
  'ticket.url',
  'requester.name',
  'requester.firstName',
  'requester.email',
  'rule.name',
  'workspace.name',
] as const

/**
 * A text, number, boolean or list of them, by the field's kind. Left untyped in the schema on purpose: request bodies
 * are validated with type coercion, which would turn `12` into `"12"` or `["a"]` into `"a"` inside a union; the
 * server checks each value against its field instead and answers 422 naming the condition.
 */
const ConditionValue = Type.Unknown({ description: 'string | number | boolean | null | (string | number)[], by the field (see AUTOMATION_FIELDS)' })
export const AutomationCondition = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 80 }),
    op: Type.String({ minLength: 1, maxLength: 20 }),
    value: Type.Optional(ConditionValue),
  },
  { additionalProperties: false },
)
export type AutomationCondition = Static<typeof AutomationCondition>

const group = <T extends TSchema>(item: T) =>
  Type.Union([
    Type.Object({ all: Type.Array(item, { maxItems: 50 }) }, { additionalProperties: false }),
    Type.Object({ any: Type.Array(item, { maxItems: 50 }) }, { additionalProperties: false }),
  ])
/** One level of nested group: `all of (A, any of (B, C))`. */
export const AutomationConditionGroup = group(AutomationCondition)
export type AutomationConditionGroup = Static<typeof AutomationConditionGroup>
export const AutomationConditions = group(Type.Union([AutomationCondition, AutomationConditionGroup]))
export type AutomationConditions = Static<typeof AutomationConditions>

const Template = Type.String({ minLength: 1, maxLength: 20000 })
export const AutomationAction = Type.Union([
  Type.Object({ type: Type.Literal('set_status'), status: TicketStatusSchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_priority'), priority: PrioritySchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('assign'), userId: Nullable(Id) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_team'), teamId: Nullable(Id) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_tags'), tags: Type.Array(Tag, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('remove_tags'), tags: Type.Array(Tag, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('set_custom_field'),
      key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
      value: Type.Unknown({ description: 'string | number | boolean | null, checked against the custom field' }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('add_note'), body: Template }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('email_requester'), subject: Type.String({ minLength: 1, maxLength: 300 }), body: Template },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('email_team'), teamId: Id, subject: Type.String({ minLength: 1, maxLength: 300 }), body: Template },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('call_webhook'), url: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
])
export type AutomationAction = Static<typeof AutomationAction>
export type AutomationActionType = AutomationAction['type']
export const AUTOMATION_ACTION_LABELS: Record<AutomationActionType, string> = {
  set_status: 'Set status',
  set_priority: 'Set priority',
  assign: 'Assign to',
  set_team: 'Set team',
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
  set_custom_field: 'Set custom field',
  add_note: 'Add internal note',
  email_requester: 'Email the requester',
  email_team: 'Email a team',
  call_webhook: 'Call a webhook',
}

const Name = Type.String({ minLength: 1, maxLength: 120 })
const TimeSchedule = Type.Object(
  {
    anchor: Type.Enum(AUTOMATION_TIME_ANCHORS, { description: 'Measured from the last update, creation or solve' }),
    hours: Type.Integer({ minimum: 1, maximum: 8760, description: 'Fires once the anchor is at least this many hours ago' }),
  },
  { additionalProperties: false },
)

export const AutomationInput = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    enabled: Type.Optional(Type.Boolean()),
    trigger: Type.Enum(AUTOMATION_TRIGGERS),
    /** Required for `time` rules, refused for the others. */
    schedule: Type.Optional(Nullable(TimeSchedule)),
    conditions: AutomationConditions,
    actions: Type.Array(AutomationAction, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
)
export type AutomationInput = Static<typeof AutomationInput>

export const UpdateAutomationInput = Type.Partial(AutomationInput, { additionalProperties: false, minProperties: 1 })
export type UpdateAutomationInput = Static<typeof UpdateAutomationInput>

export const AutomationDto = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  /** 1-based place in the run order. */
  position: Type.Integer({ minimum: 1 }),
  trigger: Type.Enum(AUTOMATION_TRIGGERS),
  schedule: Nullable(TimeSchedule),
  conditions: AutomationConditions,
  actions: Type.Array(AutomationAction),
  runCount: Type.Integer({ minimum: 0 }),
  lastFiredAt: Nullable(Timestamp),
  createdBy: Nullable(UserRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type AutomationDto = Static<typeof AutomationDto>

export const AutomationList = Type.Object({
  items: Type.Array(AutomationDto),
  /** Rule firings allowed per ticket per hour before automations leave that ticket alone (loop protection). */
  capPerTicketPerHour: Type.Integer(),
})
export type AutomationList = Static<typeof AutomationList>

export const ReorderAutomationsInput = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false })
export type ReorderAutomationsInput = Static<typeof ReorderAutomationsInput>

export const AutomationDryRunInput = Type.Object(
  {
    /** A saved rule… */
    automationId: Type.Optional(Id),
    /** …or an unsaved one, as the editor holds it. */
    rule: Type.Optional(AutomationInput),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'How many of the most recently updated tickets to test (default 100)' })),
  },
  { additionalProperties: false },
)
export type AutomationDryRunInput = Static<typeof AutomationDryRunInput>

export const AutomationDryRunResult = Type.Object({
  evaluated: Type.Integer({ minimum: 0 }),
  matched: Type.Array(
    Type.Object({
      ticketId: Id,
      subject: Type.String(),
      status: TicketStatusSchema,
      updatedAt: Timestamp,
      /** What the rule would do, in words; nothing is changed. */
      wouldDo: Type.Array(Type.String()),
    }),
  ),
})
export type AutomationDryRunResult = Static<typeof AutomationDryRunResult>
