import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'

export const INBOX_TYPES = ['api', 'email', 'chat', 'web_form'] as const
export type InboxType = (typeof INBOX_TYPES)[number]

export const AutoReply = Type.Object({
  enabled: Type.Boolean(),
  subject: Type.String({ maxLength: 300 }),
  body: Type.String({ maxLength: 20000 }),
})

export const InboxDto = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.Enum(INBOX_TYPES),
  teamId: Nullable(Id),
  autoReply: AutoReply,
  createdAt: Timestamp,
})
export type InboxDto = Static<typeof InboxDto>
export const InboxInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Optional(Type.Enum(['api', 'web_form'])),
  teamId: Type.Optional(Nullable(Id)),
})
export const InboxPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  teamId: Type.Optional(Nullable(Id)),
  autoReply: Type.Optional(AutoReply),
})

export const CUSTOM_FIELD_ENTITIES = ['ticket', 'contact', 'organization'] as const
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'checkbox', 'select', 'date'] as const
export const CustomFieldDto = Type.Object({
  id: Id,
  entity: Type.Enum(CUSTOM_FIELD_ENTITIES),
  key: Type.String(),
  label: Type.String(),
  type: Type.Enum(CUSTOM_FIELD_TYPES),
  options: Type.Array(Type.String()),
})
export type CustomFieldDto = Static<typeof CustomFieldDto>
export const CustomFieldInput = Type.Object({
  entity: Type.Enum(CUSTOM_FIELD_ENTITIES),
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  label: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Enum(CUSTOM_FIELD_TYPES),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
})
export const CustomFieldPatch = Type.Object({
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
})

export const SettingsDto = Type.Object({
  workspaceName: Type.String(),
  webFormEnabled: Type.Boolean(),
  webFormInboxId: Nullable(Id),
  webFormTitle: Type.String(),
})
export type SettingsDto = Static<typeof SettingsDto>
export const SettingsPatch = Type.Partial(
  Type.Object({
    workspaceName: Type.String({ minLength: 1, maxLength: 100 }),
    webFormEnabled: Type.Boolean(),
    webFormInboxId: Nullable(Id),
    webFormTitle: Type.String({ minLength: 1, maxLength: 200 }),
  }),
)

export const HealthDto = Type.Object({ status: Type.Enum(['ok', 'degraded']), db: Type.Boolean(), dialect: Type.String(), version: Type.String() })
