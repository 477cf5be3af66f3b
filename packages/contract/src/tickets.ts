import { type Static, Type } from 'typebox'
import { CursorQuery, CustomFieldValues, Email, Id, Nullable, Timestamp } from './common.ts'
import { RiskLevelSchema, RiskReason } from './participation.ts'
import { UserRef } from './people.ts'

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]
export const TicketStatusSchema = Type.Enum(TICKET_STATUSES)

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]
export const PrioritySchema = Type.Enum(PRIORITIES)

export const MESSAGE_KINDS = ['customer', 'reply', 'note', 'event'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\s,]+$' })

export const ContactRef = Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()) })
export type ContactRef = Static<typeof ContactRef>

/** SLA (issue 10): the metrics a policy can target. */
export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const
export type SlaMetric = (typeof SLA_METRICS)[number]
/** One SLA clock on a ticket; remaining time counts against `dueAt` on the server's clock (see `TicketSla.now`). */
export const TicketSlaTimer = Type.Object({
  id: Id,
  metric: Type.Enum(SLA_METRICS),
  policyId: Nullable(Id),
  targetMinutes: Type.Integer(),
  startedAt: Timestamp,
  /** Null while paused (pending / on hold). */
  dueAt: Nullable(Timestamp),
  warnAt: Nullable(Timestamp),
  pausedAt: Nullable(Timestamp),
  /** Business time left when paused (ms), so a paused clock can still say how much remains. */
  remainingMs: Nullable(Type.Integer()),
  achievedAt: Nullable(Timestamp),
  breachedAt: Nullable(Timestamp),
  warnedAt: Nullable(Timestamp),
  state: Type.Enum(['running', 'warning', 'breached', 'paused', 'achieved', 'achieved_late']),
})
export type TicketSlaTimer = Static<typeof TicketSlaTimer>
/** A ticket's SLA clocks (absent when no policy ever applied). Count down against the server clock: `GET /sla/clock`. */
export const TicketSla = Type.Object({
  /** The soonest due time among running timers (null when none runs). */
  nextDueAt: Nullable(Timestamp),
  timers: Type.Array(TicketSlaTimer),
})
export type TicketSla = Static<typeof TicketSla>

export const TicketDto = Type.Object({
  id: Id,
  number: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  priority: PrioritySchema,
  inboxId: Id,
  requester: ContactRef,
  organizationId: Nullable(Id),
  assignee: Nullable(UserRef),
  teamId: Nullable(Id),
  tags: Type.Array(Type.String()),
  followerIds: Type.Array(Id),
  customFields: CustomFieldValues,
  mergedIntoId: Nullable(Id),
  categoryId: Nullable(Id),
  riskLevel: RiskLevelSchema,
  riskReasons: Type.Array(RiskReason),
  firstResponseAt: Nullable(Timestamp),
  solvedAt: Nullable(Timestamp),
  lastMessageAt: Timestamp,
  lastMessageId: Nullable(Id),
  messageCount: Type.Integer(),
  preview: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sla: Type.Optional(TicketSla),
})
export type TicketDto = Static<typeof TicketDto>

export const TicketFilters = Type.Object({
  view: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(Type.String({ maxLength: 100, description: 'comma-separated statuses' })),
  assignee: Type.Optional(Type.String({ maxLength: 20, description: 'user id, "me" or "none"' })),
  team: Type.Optional(Type.String({ maxLength: 20, description: 'team id, "mine" or "none"' })),
  inbox: Type.Optional(Type.Integer({ minimum: 1 })),
  tag: Type.Optional(Type.String({ maxLength: 50 })),
  priority: Type.Optional(Type.String({ maxLength: 60, description: 'comma-separated priorities' })),
  requester: Type.Optional(Type.Integer({ minimum: 1 })),
  organization: Type.Optional(Type.Integer({ minimum: 1 })),
  follower: Type.Optional(Type.String({ maxLength: 20, description: 'user id or "me"' })),
  field: Type.Optional(Type.String({ maxLength: 300, description: 'custom field filter key:value' })),
  createdFrom: Type.Optional(Type.Integer({ minimum: 0 })),
  createdTo: Type.Optional(Type.Integer({ minimum: 0 })),
  updatedFrom: Type.Optional(Type.Integer({ minimum: 0 })),
  updatedTo: Type.Optional(Type.Integer({ minimum: 0 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
})
export type TicketFilters = Static<typeof TicketFilters>
export const TicketListQuery = Type.Object({
  ...TicketFilters.properties,
  ...CursorQuery,
  sort: Type.Optional(Type.Enum(['updated', 'sla'], { description: '`sla`: breaches next (tickets with a running SLA target, soonest due first)' })),
})
export type TicketListQuery = Static<typeof TicketListQuery>

export const RequesterInput = Type.Object({ email: Email, name: Type.Optional(Type.String({ maxLength: 200 })) })

export const CreateTicketInput = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 300 }),
  body: Type.String({ minLength: 1, maxLength: 200000 }),
  inboxId: Type.Optional(Id),
  requesterId: Type.Optional(Id),
  requester: Type.Optional(RequesterInput),
  priority: Type.Optional(PrioritySchema),
  status: Type.Optional(TicketStatusSchema),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  assigneeId: Type.Optional(Nullable(Id)),
  teamId: Type.Optional(Nullable(Id)),
  customFields: Type.Optional(CustomFieldValues),
  attachmentIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
})
export type CreateTicketInput = Static<typeof CreateTicketInput>

export const UpdateTicketInput = Type.Object({
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  status: Type.Optional(TicketStatusSchema),
  priority: Type.Optional(PrioritySchema),
  assigneeId: Type.Optional(Nullable(Id)),
  teamId: Type.Optional(Nullable(Id)),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  customFields: Type.Optional(CustomFieldValues),
  categoryId: Type.Optional(Nullable(Id)),
})
export type UpdateTicketInput = Static<typeof UpdateTicketInput>

export const BulkUpdateInput = Type.Object({
  ticketIds: Type.Array(Id, { minItems: 1, maxItems: 500 }),
  changes: Type.Object({
    status: Type.Optional(TicketStatusSchema),
    priority: Type.Optional(PrioritySchema),
    assigneeId: Type.Optional(Nullable(Id)),
    teamId: Type.Optional(Nullable(Id)),
    addTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    removeTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  }),
})
export type BulkUpdateInput = Static<typeof BulkUpdateInput>
export const BulkUpdateResult = Type.Object({
  updated: Type.Array(Id),
  failed: Type.Array(Type.Object({ id: Id, code: Type.String(), message: Type.String() })),
})

export const MergeTicketInput = Type.Object({ intoTicketId: Id })

export const AttachmentDto = Type.Object({
  id: Id,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
})
export type AttachmentDto = Static<typeof AttachmentDto>

export const MessageAuthor = Type.Object({
  type: Type.Enum(['user', 'contact', 'system']),
  id: Nullable(Id),
  name: Type.String(),
})
export type MessageAuthor = Static<typeof MessageAuthor>

export const MessageDto = Type.Object({
  id: Id,
  ticketId: Id,
  direction: Type.Enum(['inbound', 'outbound', 'internal']),
  kind: Type.Enum(MESSAGE_KINDS),
  text: Type.String(),
  fullText: Type.String(),
  html: Type.String(),
  attachments: Type.Array(AttachmentDto),
  author: MessageAuthor,
  event: Nullable(Type.Record(Type.String(), Type.Unknown())),
  delivery: Nullable(Type.Object({ status: Type.Enum(['queued', 'sent', 'failed']), error: Nullable(Type.String()) })),
  email: Nullable(
    Type.Object({
      from: Nullable(Type.String()),
      to: Type.Array(Type.String()),
      cc: Type.Array(Type.String()),
      subject: Nullable(Type.String()),
      messageId: Nullable(Type.String()),
      notes: Type.Array(Type.String()),
    }),
  ),
  createdAt: Timestamp,
})
export type MessageDto = Static<typeof MessageDto>

export const ComposeInput = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 200000, description: 'HTML or plain text' }),
  baseMessageId: Type.Optional(Nullable(Id)),
  attachmentIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
  status: Type.Optional(TicketStatusSchema),
})
export type ComposeInput = Static<typeof ComposeInput>

export const ViewDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  builtin: Type.Boolean(),
  shared: Type.Boolean(),
  filters: TicketFilters,
  count: Type.Integer(),
})
export type ViewDto = Static<typeof ViewDto>
export const ViewInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  shared: Type.Optional(Type.Boolean()),
  filters: TicketFilters,
})
export type ViewInput = Static<typeof ViewInput>
export const ViewParams = Type.Object({ id: Type.String({ maxLength: 40 }) })

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Optional(Type.Enum(['all', 'tickets', 'contacts', 'organizations'])),
  status: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
export const SearchResultDto = Type.Object({
  tickets: Type.Array(TicketDto),
  contacts: Type.Array(Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()), organizationName: Nullable(Type.String()) })),
  organizations: Type.Array(Type.Object({ id: Id, name: Type.String(), domain: Nullable(Type.String()) })),
})
export type SearchResultDto = Static<typeof SearchResultDto>

export const NotificationDto = Type.Object({
  id: Id,
  kind: Type.String(),
  ticketId: Nullable(Id),
  messageId: Nullable(Id),
  actor: Nullable(UserRef),
  title: Type.String(),
  readAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type NotificationDto = Static<typeof NotificationDto>
