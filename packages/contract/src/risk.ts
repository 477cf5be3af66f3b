import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'
import { RiskLevelSchema } from './participation.ts'
import { PrioritySchema, TicketDto, TicketStatusSchema } from './tickets.ts'

/** Ticket categories: set by staff on a ticket, or picked from keyword matches when the ticket has none. */
export const CategoryDto = Type.Object({
  id: Id,
  name: Type.String(),
  keywords: Type.Array(Type.String()),
  createdAt: Timestamp,
})
export type CategoryDto = Static<typeof CategoryDto>

const Keyword = Type.String({ minLength: 1, maxLength: 60 })
export const CategoryInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  keywords: Type.Optional(Type.Array(Keyword, { maxItems: 100 })),
})
export type CategoryInput = Static<typeof CategoryInput>
export const CategoryPatch = Type.Partial(CategoryInput)
export type CategoryPatch = Static<typeof CategoryPatch>

/**
 * Kinds of risk rule. Each matching rule raises the ticket's risk to its level and adds a reason:
 * topic keywords, VIP requester or organization tier, anger signals, repeated contacts, no first
 * response in time, priority, and a language other than the workspace's.
 */
export const RISK_RULE_TYPES = ['keywords', 'vip', 'anger', 'repeat_contact', 'sla_breach', 'priority', 'language'] as const
export type RiskRuleType = (typeof RISK_RULE_TYPES)[number]

/** Languages the built-in detector recognises (ISO 639-1). */
export const DETECTABLE_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv'] as const
export type DetectableLanguage = (typeof DETECTABLE_LANGUAGES)[number]

/** Settings of a rule; which fields apply depends on its type (the server checks they are present). */
export const RiskRuleConfig = Type.Object(
  {
    /** keywords: topic words; anger: the lexicon of angry or frustrated words. Matched as whole words, any case. */
    words: Type.Optional(Type.Array(Keyword, { maxItems: 200 })),
    /** vip: organization tiers that count as VIP (a contact marked VIP always does). */
    tiers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
    /** anger: share of capital letters (0–1) over a text of at least 20 letters that counts as shouting. */
    capsRatio: Type.Optional(Type.Number({ minimum: 0.3, maximum: 1 })),
    /** anger: a run of this many ! or ? counts as a signal. */
    punctuationRun: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
    /** anger: how many distinct signals it takes to match. */
    minSignals: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    /** repeat_contact: tickets opened by the requester within `hours` (this one included). */
    tickets: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
    /** repeat_contact: messages written by the requester within `hours`. */
    messages: Type.Optional(Type.Integer({ minimum: 2, maximum: 10000 })),
    /** repeat_contact: the window; sla_breach: hours without a first response. */
    hours: Type.Optional(Type.Number({ minimum: 0.1, maximum: 24 * 365 })),
    /** priority: the priorities that match. */
    priorities: Type.Optional(Type.Array(PrioritySchema, { minItems: 1, maxItems: 4 })),
    /** language: the workspace's language; text detected as another language matches. */
    defaultLanguage: Type.Optional(Type.Enum(DETECTABLE_LANGUAGES)),
  },
  { additionalProperties: false },
)
export type RiskRuleConfig = Static<typeof RiskRuleConfig>

export const RiskRuleDto = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.Enum(RISK_RULE_TYPES),
  level: RiskLevelSchema,
  enabled: Type.Boolean(),
  position: Type.Integer(),
  config: RiskRuleConfig,
  matchCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type RiskRuleDto = Static<typeof RiskRuleDto>

export const RiskRuleInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Enum(RISK_RULE_TYPES),
  level: RiskLevelSchema,
  enabled: Type.Optional(Type.Boolean()),
  config: RiskRuleConfig,
})
export type RiskRuleInput = Static<typeof RiskRuleInput>
export const RiskRulePatch = Type.Partial(
  Type.Object({ name: RiskRuleInput.properties.name, level: RiskLevelSchema, enabled: Type.Boolean(), config: RiskRuleConfig }),
)
export type RiskRulePatch = Static<typeof RiskRulePatch>
export const RiskRuleOrderInput = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500 }) })
export type RiskRuleOrderInput = Static<typeof RiskRuleOrderInput>

/** A ticket a rule matched, newest match first. */
export const RiskRuleMatchDto = Type.Object({
  ticketId: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  riskLevel: RiskLevelSchema,
  detail: Type.String(),
  matchedAt: Timestamp,
})
export type RiskRuleMatchDto = Static<typeof RiskRuleMatchDto>
export const RiskRuleMatchQuery = Type.Object({ ...CursorQuery })

/** Auto-assignment of the rotation queue: on/off and how many open tickets one person may hold. */
export const QueueSettingsDto = Type.Object({
  autoAssign: Type.Boolean(),
  capPerPerson: Type.Integer({ minimum: 1, maximum: 100 }),
})
export type QueueSettingsDto = Static<typeof QueueSettingsDto>
export const QueueSettingsPatch = Type.Partial(QueueSettingsDto)

/** A ticket offered by the rotation queue (only what is needed to choose it). */
export const QueueTicketDto = Type.Object({
  id: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  priority: PrioritySchema,
  riskLevel: RiskLevelSchema,
  categoryId: Nullable(Id),
  preview: Type.String(),
  createdAt: Timestamp,
  lastMessageAt: Timestamp,
})
export type QueueTicketDto = Static<typeof QueueTicketDto>

/** What the queue offers the signed-in person, or why it offers nothing. */
export const QueueDto = Type.Object({
  eligible: Type.Boolean(),
  reason: Nullable(Type.String()),
  onShiftUntil: Nullable(Timestamp),
  items: Type.Array(QueueTicketDto),
})
export type QueueDto = Static<typeof QueueDto>

export const QueueClaimDto = Type.Object({ ticket: Nullable(TicketDto), reason: Nullable(Type.String()) })
export type QueueClaimDto = Static<typeof QueueClaimDto>

export const HandBackInput = Type.Object({ note: Type.String({ minLength: 1, maxLength: 5000 }) })
export type HandBackInput = Static<typeof HandBackInput>
