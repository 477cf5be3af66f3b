import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { PrioritySchema } from './tickets.ts'

/**
 * Interactive decision trees: guided help for customers on the help center and scripts agents step through on a
 * ticket. A tree's draft is edited freely; publishing validates it and freezes a numbered version.
 */
export const DECISION_TREE_NODE_TYPES = ['question', 'info', 'input', 'action', 'jump', 'end'] as const
export type DecisionTreeNodeType = (typeof DECISION_TREE_NODE_TYPES)[number]
export const DECISION_TREE_AUDIENCES = ['public', 'agents', 'both'] as const
export type DecisionTreeAudience = (typeof DECISION_TREE_AUDIENCES)[number]
export const DECISION_TREE_ACTIONS = ['open_ticket', 'link_article', 'resolved'] as const
export const DECISION_TREE_OUTCOMES = ['resolved', 'ticket', 'abandoned'] as const
export type DecisionTreeOutcome = (typeof DECISION_TREE_OUTCOMES)[number]

const NodeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
/** References and variable names are checked on publish (a draft may be half done), not on save. */
const NodeRef = Type.String({ maxLength: 64 })
const VariableName = Type.String({ maxLength: 64, description: 'Letters, digits and _ (checked on publish)' })

export const DecisionTreeCondition = Type.Object(
  {
    variable: VariableName,
    op: Type.Union([Type.Literal('equals'), Type.Literal('not_equals')]),
    value: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false, description: 'The choice is offered only when the variable compares so (case-insensitive).' },
)
export type DecisionTreeCondition = Static<typeof DecisionTreeCondition>

export const DecisionTreeChoice = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200 }),
    next: NodeRef,
    condition: Type.Optional(DecisionTreeCondition),
  },
  { additionalProperties: false },
)
export type DecisionTreeChoice = Static<typeof DecisionTreeChoice>

export const DecisionTreeAction = Type.Object(
  {
    kind: Type.Enum(DECISION_TREE_ACTIONS),
    subject: Type.Optional(Type.String({ maxLength: 300, description: 'open_ticket: subject; {{variable}} placeholders are filled' })),
    priority: Type.Optional(PrioritySchema),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 10 })),
    inboxId: Type.Optional(Id),
    articleUrl: Type.Optional(Type.String({ maxLength: 2000, description: 'link_article: the article address (http(s) or a /help path)' })),
    articleTitle: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)
export type DecisionTreeAction = Static<typeof DecisionTreeAction>

export const DecisionTreeNode = Type.Object(
  {
    id: NodeId,
    type: Type.Enum(DECISION_TREE_NODE_TYPES),
    title: Type.Optional(Type.String({ maxLength: 200, description: 'Short label in the editor and analytics' })),
    text: Type.String({ maxLength: 20000, description: 'Rich text (sanitized on save); {{variable}} placeholders are filled, escaped' }),
    choices: Type.Optional(Type.Array(DecisionTreeChoice, { maxItems: 20 })),
    variable: Type.Optional(VariableName),
    inputKind: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('email')])),
    next: Type.Optional(NodeRef),
    action: Type.Optional(DecisionTreeAction),
    treeId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type DecisionTreeNode = Static<typeof DecisionTreeNode>

export const DecisionTreeDefinition = Type.Object(
  { startNodeId: NodeRef, nodes: Type.Array(DecisionTreeNode, { minItems: 1, maxItems: 300 }) },
  { additionalProperties: false },
)
export type DecisionTreeDefinition = Static<typeof DecisionTreeDefinition>

export const DecisionTreeProblem = Type.Object({ nodeId: Nullable(Type.String()), message: Type.String() })
export type DecisionTreeProblem = Static<typeof DecisionTreeProblem>

const Slug = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' })
const Audience = Type.Enum(DECISION_TREE_AUDIENCES)

export const DecisionTreeDto = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  audience: Audience,
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  publishedVersionId: Nullable(Id),
  publishedVersion: Nullable(Type.Integer()),
  draft: DecisionTreeDefinition,
  problems: Type.Array(DecisionTreeProblem, { description: 'What would stop the draft from being published' }),
  canEdit: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type DecisionTreeDto = Static<typeof DecisionTreeDto>
export const DecisionTreeList = Type.Object({ items: Type.Array(DecisionTreeDto) })
export type DecisionTreeList = Static<typeof DecisionTreeList>
export const DecisionTreeListQuery = Type.Object({ audience: Type.Optional(Audience), published: Type.Optional(Type.Boolean()) })
export type DecisionTreeListQuery = Static<typeof DecisionTreeListQuery>

export const CreateDecisionTreeInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    audience: Type.Optional(Audience),
    draft: Type.Optional(DecisionTreeDefinition),
  },
  { additionalProperties: false },
)
export type CreateDecisionTreeInput = Static<typeof CreateDecisionTreeInput>
export const UpdateDecisionTreeInput = Type.Partial(CreateDecisionTreeInput, { additionalProperties: false })
export type UpdateDecisionTreeInput = Static<typeof UpdateDecisionTreeInput>

export const DecisionTreeVersionDto = Type.Object({
  id: Id,
  treeId: Id,
  version: Type.Integer(),
  definition: DecisionTreeDefinition,
  isPublished: Type.Boolean(),
  createdBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  createdAt: Timestamp,
})
export type DecisionTreeVersionDto = Static<typeof DecisionTreeVersionDto>
export const DecisionTreeVersionList = Type.Object({ items: Type.Array(DecisionTreeVersionDto) })
export const DecisionTreeVersionParams = Type.Object({ id: Id, versionId: Id })

/** One step of a run as the person running it sees it. */
export const DecisionTreeStepDto = Type.Object({
  nodeId: Type.String(),
  type: Type.Enum(DECISION_TREE_NODE_TYPES),
  title: Type.String(),
  html: Type.String({ description: 'Sanitized HTML with variables filled in (escaped)' }),
  choices: Type.Array(Type.Object({ index: Type.Integer(), label: Type.String() })),
  input: Nullable(Type.Object({ kind: Type.Union([Type.Literal('text'), Type.Literal('email')]), variable: Type.String() })),
  action: Nullable(DecisionTreeAction),
  /** Terminal steps ask whether the problem is solved; an unresolved public run then opens a ticket. */
  terminal: Type.Boolean(),
  needsEmail: Type.Boolean({ description: 'A public run must collect an email address before it can open a ticket' }),
})
export type DecisionTreeStepDto = Static<typeof DecisionTreeStepDto>

export const DecisionTreePathEntry = Type.Object({
  treeId: Id,
  nodeId: Type.String(),
  title: Type.String(),
  answer: Nullable(Type.String()),
  at: Timestamp,
})
export type DecisionTreePathEntry = Static<typeof DecisionTreePathEntry>

export const DecisionTreeRunDto = Type.Object({
  id: Id,
  treeId: Id,
  treeName: Type.String(),
  versionId: Nullable(Id),
  ticketId: Nullable(Id),
  isTest: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  outcome: Nullable(Type.Enum(DECISION_TREE_OUTCOMES)),
  step: Nullable(DecisionTreeStepDto),
  path: Type.Array(DecisionTreePathEntry),
  variables: Type.Record(Type.String(), Type.String()),
  createdTicketId: Nullable(Id),
  noteMessageId: Nullable(Id),
  createdAt: Timestamp,
  endedAt: Nullable(Timestamp),
})
export type DecisionTreeRunDto = Static<typeof DecisionTreeRunDto>

export const StartDecisionTreeRunInput = Type.Object(
  {
    ticketId: Type.Optional(Id),
    test: Type.Optional(Type.Boolean({ description: 'Editor test run of the current draft: not counted in analytics' })),
  },
  { additionalProperties: false },
)
export type StartDecisionTreeRunInput = Static<typeof StartDecisionTreeRunInput>

export const DecisionTreeAnswerInput = Type.Object(
  {
    choice: Type.Optional(Type.Integer({ minimum: 0 })),
    value: Type.Optional(Type.String({ maxLength: 2000 })),
    resolved: Type.Optional(Type.Boolean({ description: 'On a terminal step: did this solve the problem?' })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type DecisionTreeAnswerInput = Static<typeof DecisionTreeAnswerInput>
export const DecisionTreeRunParams = Type.Object({ runId: Id })

/** Public runs are addressed by an unguessable token rather than an id. */
export const PublicDecisionTreeRunDto = Type.Object({
  token: Type.String(),
  treeName: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  outcome: Nullable(Type.Enum(DECISION_TREE_OUTCOMES)),
  step: Nullable(DecisionTreeStepDto),
  ticketId: Nullable(Id),
})
export type PublicDecisionTreeRunDto = Static<typeof PublicDecisionTreeRunDto>
export const PublicDecisionTreeSummary = Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String() })
export const PublicDecisionTreeList = Type.Object({ items: Type.Array(PublicDecisionTreeSummary) })
export const DecisionTreeSlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) })
export const DecisionTreeTokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) })

export const DecisionTreeAnalyticsDto = Type.Object({
  treeId: Id,
  since: Timestamp,
  runs: Type.Integer(),
  completed: Type.Integer(),
  completionRate: Type.Number(),
  outcomes: Type.Object({ resolved: Type.Integer(), ticket: Type.Integer(), abandoned: Type.Integer() }),
  /** Runs by where they happened: the help-center runner, the chat widget, agents (scripts). */
  channels: Type.Object({ help_center: Type.Integer(), widget: Type.Integer(), agent: Type.Integer() }),
  nodes: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      title: Type.String(),
      reached: Type.Integer(),
      droppedOff: Type.Integer({ description: 'Runs that stopped here without an outcome' }),
      endedHere: Type.Integer(),
      ledToTicket: Type.Integer({ description: 'Runs that ended here and opened a ticket' }),
      isDeadEnd: Type.Boolean({ description: 'At least 5 runs ended or stopped here and more than half of them did not resolve' }),
    }),
  ),
})
export type DecisionTreeAnalyticsDto = Static<typeof DecisionTreeAnalyticsDto>
export const DecisionTreeAnalyticsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) })

export const DecisionTreeRequirementDto = Type.Object({
  categoryId: Id,
  categoryName: Type.String(),
  treeId: Id,
  treeName: Type.String(),
})
export type DecisionTreeRequirementDto = Static<typeof DecisionTreeRequirementDto>
export const DecisionTreeRequirementList = Type.Object({ items: Type.Array(DecisionTreeRequirementDto) })
export const SetDecisionTreeRequirementInput = Type.Object({ treeId: Nullable(Id) }, { additionalProperties: false })
export const CategoryRequirementParams = Type.Object({ categoryId: Id })

/** Whether the caller must run a script on a ticket before replying (rotation contributors, per category). */
export const TicketScriptRequirementDto = Type.Object({
  required: Type.Boolean(),
  treeId: Nullable(Id),
  treeName: Nullable(Type.String()),
  satisfied: Type.Boolean(),
})
export type TicketScriptRequirementDto = Static<typeof TicketScriptRequirementDto>
export const TicketRunList = Type.Object({ items: Type.Array(DecisionTreeRunDto) })
