import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { UserRef } from './people.ts'
import { PrioritySchema, Tag, TicketDto, TicketStatusSchema } from './tickets.ts'

/**
 * Macros: saved replies with placeholders and ticket actions. Personal ones belong to their owner; shared ones
 * are managed by admins and, when approved, offered to rotation contributors too.
 */
export const MACRO_SCOPES = ['personal', 'shared'] as const
export type MacroScope = (typeof MACRO_SCOPES)[number]

/** The only placeholders a macro may use; anything else in `{{ }}` is refused when the macro is saved. */
export const MACRO_PLACEHOLDERS = [
  'ticket.id',
  'ticket.subject',
  'ticket.requester.name',
  'ticket.requester.firstName',
  'ticket.requester.email',
  'agent.name',
  'agent.firstName',
  'agent.email',
  'workspace.name',
] as const
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number]

const MacroName = Type.String({ minLength: 1, maxLength: 120 })
const MacroBody = Type.String({ maxLength: 50000, description: 'Reply template: HTML (sanitized on save) or plain text, with {{placeholders}}' })

export const MacroActions = Type.Object(
  {
    status: Type.Optional(TicketStatusSchema),
    priority: Type.Optional(PrioritySchema),
    addTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    removeTags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    assignee: Type.Optional(
      Type.Union([Type.Literal('me'), Id, Type.Null()], { description: '"me" (whoever applies the macro), a user id, or null to unassign' }),
    ),
    teamId: Type.Optional(Nullable(Id)),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 20000, description: 'An internal note added on apply, with {{placeholders}}' })),
  },
  { additionalProperties: false },
)
export type MacroActions = Static<typeof MacroActions>

export const MacroDto = Type.Object({
  id: Id,
  name: Type.String(),
  /** The sanitized reply template, placeholders unrendered. */
  bodyHtml: Type.String(),
  actions: MacroActions,
  scope: Type.Enum(MACRO_SCOPES),
  /** Set for personal macros. */
  owner: Nullable(UserRef),
  approvedForContributors: Type.Boolean(),
  usageCount: Type.Integer({ minimum: 0 }),
  lastUsedAt: Nullable(Timestamp),
  createdBy: Nullable(UserRef),
  /** Whether the caller may edit and delete it. */
  canEdit: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type MacroDto = Static<typeof MacroDto>

export const MacroListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 120, description: 'Words of the name' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export type MacroListQuery = Static<typeof MacroListQuery>

export const MacroList = Type.Object({ items: Type.Array(MacroDto) })
export type MacroList = Static<typeof MacroList>

export const CreateMacroInput = Type.Object(
  {
    name: MacroName,
    body: Type.Optional(MacroBody),
    actions: Type.Optional(MacroActions),
    scope: Type.Optional(Type.Enum(MACRO_SCOPES, { description: 'personal (default) or shared (admins)' })),
    approvedForContributors: Type.Optional(Type.Boolean({ description: 'Shared macros only: rotation contributors may use it' })),
  },
  { additionalProperties: false },
)
export type CreateMacroInput = Static<typeof CreateMacroInput>

export const UpdateMacroInput = Type.Object(
  {
    name: Type.Optional(MacroName),
    body: Type.Optional(MacroBody),
    actions: Type.Optional(MacroActions),
    scope: Type.Optional(Type.Enum(MACRO_SCOPES)),
    approvedForContributors: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMacroInput = Static<typeof UpdateMacroInput>

export const ApplyMacroParams = Type.Object({ id: Id, macroId: Id })
export type ApplyMacroParams = Static<typeof ApplyMacroParams>

export const PreviewMacroInput = Type.Object({ ticketId: Id }, { additionalProperties: false })
export type PreviewMacroInput = Static<typeof PreviewMacroInput>

export const MacroPreviewDto = Type.Object({ html: Type.String() })
export type MacroPreviewDto = Static<typeof MacroPreviewDto>

export const AppliedMacroDto = Type.Object({
  /** The rendered reply body, to insert into the composer (empty when the macro has none). */
  html: Type.String(),
  /** The ticket after the macro's actions. */
  ticket: TicketDto,
})
export type AppliedMacroDto = Static<typeof AppliedMacroDto>
