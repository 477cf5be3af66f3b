import { type Static, Type } from 'typebox'
import { Id, Nullable } from './common.ts'

/** The tone coach: deterministic checks of a reply draft, each switchable off by admins. */
export const TONE_RULES = ['greeting', 'sign_off', 'blame', 'all_caps', 'negative_wording', 'long_sentences', 'reading_level', 'unanswered_questions'] as const
export type ToneRuleId = (typeof TONE_RULES)[number]
export const ToneRuleIdSchema = Type.Enum(TONE_RULES)

export const ToneHintDto = Type.Object({
  rule: ToneRuleIdSchema,
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning')]),
  message: Type.String(),
  excerpt: Type.Optional(Type.String()),
  suggestion: Type.Optional(Type.String()),
})
export type ToneHintDto = Static<typeof ToneHintDto>

export const ToneCheckInput = Type.Object(
  {
    html: Type.String({ maxLength: 100_000 }),
    /** Needed for the unanswered-questions rule: the ticket's latest customer message is read. */
    ticketId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type ToneCheckInput = Static<typeof ToneCheckInput>

export const ToneCheckResult = Type.Object({
  hints: Type.Array(ToneHintDto),
  /** Flesch reading ease of the draft (higher is easier; 60+ is plain English), null for an empty draft. */
  readingEase: Nullable(Type.Number()),
  wordCount: Type.Integer({ minimum: 0 }),
})
export type ToneCheckResult = Static<typeof ToneCheckResult>

export const ToneRuleDto = Type.Object({ id: ToneRuleIdSchema, label: Type.String(), description: Type.String(), enabled: Type.Boolean() })
export type ToneRuleDto = Static<typeof ToneRuleDto>
export const ToneRulesDto = Type.Object({ rules: Type.Array(ToneRuleDto) })
export type ToneRulesDto = Static<typeof ToneRulesDto>

/** Switch rules on or off; rules not named keep their state. */
export const ToneRulesInput = Type.Object(
  { rules: Type.Array(Type.Object({ id: ToneRuleIdSchema, enabled: Type.Boolean() }, { additionalProperties: false }), { maxItems: 20 }) },
  { additionalProperties: false },
)
export type ToneRulesInput = Static<typeof ToneRulesInput>
