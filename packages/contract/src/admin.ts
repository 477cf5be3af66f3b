import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'

export const INBOX_TYPES = ['api', 'email', 'chat', 'web_form'] as const
export type InboxType = (typeof INBOX_TYPES)[number]

/** The default for `AutoReply.onceEveryHours`: at most one acknowledgement per sender a day. */
export const AUTO_REPLY_DEFAULT_HOURS = 24
export const AutoReply = Type.Object({
  enabled: Type.Boolean(),
  subject: Type.String({ maxLength: 300 }),
  body: Type.String({ maxLength: 20000 }),
  onceEveryHours: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 720, description: 'At most one automatic reply per sender within this many hours (default 24)' }),
  ),
})

export const TLS_MODES = ['tls', 'starttls', 'none'] as const
const Host = Type.String({ minLength: 1, maxLength: 253 })
const PortNumber = Type.Integer({ minimum: 1, maximum: 65535 })

/** IMAP fetch settings of an email inbox. The password is write-only: reads say whether one is set. */
export const ImapSettings = Type.Object({
  host: Host,
  port: PortNumber,
  tls: Type.Enum(TLS_MODES),
  user: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.Optional(Type.String({ maxLength: 500 })),
  folder: Type.String({ minLength: 1, maxLength: 200 }),
  afterImport: Type.Enum(['mark_seen', 'delete', 'move']),
  moveTo: Type.Optional(Type.String({ maxLength: 200 })),
})
export type ImapSettings = Static<typeof ImapSettings>

/** Outbound SMTP of an email inbox; without it the global SMTP_URL is used. */
export const SmtpSettings = Type.Object({
  host: Host,
  port: PortNumber,
  tls: Type.Enum(TLS_MODES),
  user: Type.Optional(Type.String({ maxLength: 320 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
})
export type SmtpSettings = Static<typeof SmtpSettings>

export const EmailSettingsInput = Type.Object({
  addresses: Type.Array(Type.String({ format: 'email', maxLength: 320 }), { minItems: 1, maxItems: 20 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  signature: Type.Optional(Type.String({ maxLength: 5000 })),
  imap: Type.Optional(Nullable(ImapSettings)),
  smtp: Type.Optional(Nullable(SmtpSettings)),
})
export type EmailSettingsInput = Static<typeof EmailSettingsInput>

export const EmailSettingsDto = Type.Object({
  addresses: Type.Array(Type.String()),
  displayName: Type.String(),
  signature: Type.String(),
  imap: Nullable(Type.Intersect([Type.Omit(ImapSettings, ['password']), Type.Object({ hasPassword: Type.Boolean() })])),
  smtp: Nullable(Type.Intersect([Type.Omit(SmtpSettings, ['password']), Type.Object({ hasPassword: Type.Boolean() })])),
  /** Where the IMAP import stands (null until the first run). */
  imapStatus: Nullable(
    Type.Object({
      status: Type.String(),
      lastError: Nullable(Type.String()),
      lastRunAt: Nullable(Timestamp),
      lastSuccessAt: Nullable(Timestamp),
      importedCount: Type.Integer(),
    }),
  ),
})
export type EmailSettingsDto = Static<typeof EmailSettingsDto>

export const InboxDto = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.Enum(INBOX_TYPES),
  teamId: Nullable(Id),
  autoReply: AutoReply,
  email: Nullable(EmailSettingsDto),
  createdAt: Timestamp,
})
export type InboxDto = Static<typeof InboxDto>
export const InboxInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Optional(Type.Enum(['api', 'web_form', 'email', 'chat'])),
  teamId: Type.Optional(Nullable(Id)),
  email: Type.Optional(EmailSettingsInput),
})
export const InboxPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  teamId: Type.Optional(Nullable(Id)),
  autoReply: Type.Optional(AutoReply),
  email: Type.Optional(EmailSettingsInput),
})

export const InboundEmailDto = Type.Object({
  id: Id,
  inboxId: Id,
  status: Type.Enum(['received', 'processed', 'failed']),
  receivedVia: Type.String(),
  disposition: Nullable(Type.String()),
  headerMessageId: Nullable(Type.String()),
  fromAddress: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  size: Type.Integer(),
  ticketId: Nullable(Id),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  processedAt: Nullable(Timestamp),
})
export type InboundEmailDto = Static<typeof InboundEmailDto>

export const INBOUND_DISPOSITIONS = ['ticket', 'reply', 'consult', 'duplicate', 'bounce', 'auto-reply', 'spam', 'rejected'] as const
export const InboundEmailResult = Type.Object({
  messageId: Nullable(Id),
  ticketId: Nullable(Id),
  inboundEmailId: Id,
  disposition: Type.Enum(INBOUND_DISPOSITIONS),
})
export type InboundEmailResult = Static<typeof InboundEmailResult>

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

export const HealthDto = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  db: Type.Boolean(),
  dialect: Type.String(),
  version: Type.String(),
  /** Cross-node realtime: 'off' on a single node without REDIS_URL, 'down' while Redis is unreachable (requests are still served). */
  redis: Type.Enum(['off', 'ok', 'down']),
})
