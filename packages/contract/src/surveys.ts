import { type Static, Type } from 'typebox'
import { CursorQuery, Email, Id, Nullable, Timestamp } from './common.ts'

/**
 * Satisfaction surveys: a CSAT request after each solve, custom surveys sent to a segment of contacts
 * or linked from anywhere, and the "why did you buy?" survey triggered by a shop or billing system.
 * Customers answer on public pages without signing in; every token is single use and only its SHA-256
 * is stored.
 */
export const CSAT_SCALES = ['3', '5'] as const
export type CsatScale = (typeof CSAT_SCALES)[number]
export const CSAT_STATUSES = ['scheduled', 'sent', 'skipped', 'rated', 'expired'] as const
export type CsatStatus = (typeof CSAT_STATUSES)[number]
/** The 3-point scale's answers and their normalised 1–5 scores. */
export const CSAT_THREE_POINT = { good: 5, okay: 3, bad: 1 } as const
/** Buckets used to filter ratings on either scale: good is 4–5, okay 3, bad 1–2. */
export const CSAT_BUCKETS = ['good', 'okay', 'bad'] as const
export type CsatBucket = (typeof CSAT_BUCKETS)[number]
export const CSAT_SKIP_REASONS = ['no_email', 'bouncing', 'automated_address', 'merged', 'reopened', 'no_outbound_email'] as const

const Template = (max: number) => Type.String({ minLength: 1, maxLength: max })

export const CsatSettingsDto = Type.Object({
  enabled: Type.Boolean(),
  /** Minutes between the solve and the email. */
  delayMinutes: Type.Integer({ minimum: 0, maximum: 10_080 }),
  scale: Type.Enum(CSAT_SCALES),
  /** Days the rating links stay valid after sending. */
  expiryDays: Type.Integer({ minimum: 1, maximum: 90 }),
  /** Placeholders: {{ticket.number}}, {{ticket.subject}}, {{requester.firstName}}. */
  subject: Template(200),
  intro: Template(2000),
  question: Template(300),
})
export type CsatSettingsDto = Static<typeof CsatSettingsDto>

const Ref = Type.Object({ id: Id, name: Type.String() })

export const CsatRequestDto = Type.Object({
  id: Id,
  ticket: Type.Object({ id: Id, subject: Type.String() }),
  contact: Nullable(Ref),
  email: Nullable(Type.String()),
  /** The solve this request rates. */
  solvedAt: Timestamp,
  status: Type.Enum(CSAT_STATUSES),
  skipReason: Nullable(Type.String()),
  scale: Type.Enum(CSAT_SCALES),
  sendAt: Timestamp,
  sentAt: Nullable(Timestamp),
  expiresAt: Timestamp,
  ratedAt: Nullable(Timestamp),
  /** Normalised 1–5 (on the 3-point scale good = 5, okay = 3, bad = 1). */
  score: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  /** What the customer clicked: good/okay/bad or 1–5. */
  rating: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type CsatRequestDto = Static<typeof CsatRequestDto>

export const CsatResponsesQuery = Type.Object({
  rating: Type.Optional(Type.Enum(CSAT_BUCKETS)),
  /** Rated at or after (epoch ms). */
  from: Type.Optional(Timestamp),
  /** Rated before (epoch ms). */
  to: Type.Optional(Timestamp),
  ...CursorQuery,
})
export type CsatResponsesQuery = Static<typeof CsatResponsesQuery>

export const CsatSummaryQuery = Type.Object({ from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) })
export type CsatSummaryQuery = Static<typeof CsatSummaryQuery>

export const CsatSummaryDto = Type.Object({
  /** Requests sent in the range (rated, expired or still waiting). */
  sent: Type.Integer(),
  skipped: Type.Integer(),
  rated: Type.Integer(),
  good: Type.Integer(),
  okay: Type.Integer(),
  bad: Type.Integer(),
  /** Rated ÷ sent, null when nothing was sent. */
  responseRate: Nullable(Type.Number()),
  /** Share of ratings that are good (score ≥ 4), null without ratings. */
  csat: Nullable(Type.Number()),
})
export type CsatSummaryDto = Static<typeof CsatSummaryDto>

/** A public rating (JSON or an HTML form post): the rating once, then an optional comment once. */
export const CsatAnswerInput = Type.Object({
  rating: Type.Optional(Type.String({ maxLength: 10 })),
  comment: Type.Optional(Type.String({ maxLength: 5000 })),
})
export type CsatAnswerInput = Static<typeof CsatAnswerInput>

export const CSAT_OUTCOMES = ['rated', 'already_rated', 'commented', 'already_commented'] as const
export const CsatAnswerResult = Type.Object({ outcome: Type.Enum(CSAT_OUTCOMES), message: Type.String() })
export type CsatAnswerResult = Static<typeof CsatAnswerResult>

export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) })

// Custom surveys ------------------------------------------------------------------------------------

export const SURVEY_QUESTION_KINDS = ['rating', 'single', 'multiple', 'text'] as const
export type SurveyQuestionKind = (typeof SURVEY_QUESTION_KINDS)[number]
export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const
export type SurveyStatus = (typeof SURVEY_STATUSES)[number]
export const SURVEY_KINDS = ['custom', 'purchase_reason'] as const

export const SurveyQuestion = Type.Object({
  /** Stable key of the question within its survey (answers refer to it). */
  id: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
  kind: Type.Enum(SURVEY_QUESTION_KINDS),
  label: Type.String({ minLength: 1, maxLength: 300 }),
  required: Type.Boolean(),
  /** Choices of a single or multiple choice question. */
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 20 })),
})
export type SurveyQuestion = Static<typeof SurveyQuestion>

export const SurveyDto = Type.Object({
  id: Id,
  kind: Type.Enum(SURVEY_KINDS),
  slug: Type.String(),
  title: Type.String(),
  intro: Type.String(),
  status: Type.Enum(SURVEY_STATUSES),
  /** Anyone with the link `/s/<slug>` may answer (otherwise only invited contacts). */
  publicLink: Type.Boolean(),
  url: Type.String(),
  questions: Type.Array(SurveyQuestion),
  responseCount: Type.Integer(),
  invitationCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type SurveyDto = Static<typeof SurveyDto>

export const SurveyInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  intro: Type.Optional(Type.String({ maxLength: 4000 })),
  slug: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{2,60}$' })),
  status: Type.Optional(Type.Enum(SURVEY_STATUSES)),
  publicLink: Type.Optional(Type.Boolean()),
  questions: Type.Array(SurveyQuestion, { minItems: 1, maxItems: 30 }),
})
export type SurveyInput = Static<typeof SurveyInput>
export const SurveyPatch = Type.Partial(SurveyInput)
export type SurveyPatch = Static<typeof SurveyPatch>

/** Who receives a survey: contacts matching every given filter (at least one), capped per batch. */
export const SurveySegment = Type.Object({
  organizationIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 50 })),
  vip: Type.Optional(Type.Boolean()),
  customField: Type.Optional(Type.Object({ key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), value: Type.String({ maxLength: 200 }) })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export type SurveySegment = Static<typeof SurveySegment>

export const SendSurveyResult = Type.Object({
  /** Contacts matched by the segment (up to the limit). */
  matched: Type.Integer(),
  /** New invitations queued (contacts already invited are not invited again). */
  queued: Type.Integer(),
  /** Matched contacts invited to this survey before (never invited twice). */
  alreadyInvited: Type.Integer(),
})
export type SendSurveyResult = Static<typeof SendSurveyResult>

export const INVITATION_STATUSES = ['queued', 'sent', 'skipped', 'answered'] as const
export const SurveyInvitationDto = Type.Object({
  id: Id,
  surveyId: Id,
  contact: Ref,
  email: Nullable(Type.String()),
  orderRef: Nullable(Type.String()),
  status: Type.Enum(INVITATION_STATUSES),
  skipReason: Nullable(Type.String()),
  sentAt: Nullable(Timestamp),
  answeredAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type SurveyInvitationDto = Static<typeof SurveyInvitationDto>

export const QuestionResult = Type.Object({
  id: Type.String(),
  kind: Type.Enum(SURVEY_QUESTION_KINDS),
  label: Type.String(),
  answered: Type.Integer(),
  /** Mean of a rating question. */
  average: Nullable(Type.Number()),
  /** Counts per choice (or per rating 1–5). */
  distribution: Type.Array(Type.Object({ option: Type.String(), count: Type.Integer() })),
  /** Latest free-text answers (plain text; render escaped). */
  texts: Type.Array(Type.Object({ responseId: Id, value: Type.String(), createdAt: Timestamp })),
})
export type QuestionResult = Static<typeof QuestionResult>

export const SurveyResultsDto = Type.Object({ survey: SurveyDto, responses: Type.Integer(), questions: Type.Array(QuestionResult) })
export type SurveyResultsDto = Static<typeof SurveyResultsDto>

/** A public answer as JSON: question id → a value (text, rating "1".."5", a choice, or choices). */
export const SurveyAnswerInput = Type.Object({
  answers: Type.Record(
    Type.String({ maxLength: 40 }),
    Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 120 }), { maxItems: 20 })]),
  ),
})
export type SurveyAnswerInput = Static<typeof SurveyAnswerInput>
export const SurveyAnswerResult = Type.Object({ responseId: Id })

// "Why did you buy?" ------------------------------------------------------------------------------

export const PurchaseReasonInput = Type.Object({
  contact: Type.Union([Type.Object({ email: Email, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }), Type.Object({ id: Id })]),
  /** The order this is about; one invitation per contact and order. */
  orderRef: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
})
export type PurchaseReasonInput = Static<typeof PurchaseReasonInput>

export const PurchaseReasonCategoriesInput = Type.Object({
  categories: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { minItems: 1, maxItems: 20 }),
})
export type PurchaseReasonCategoriesInput = Static<typeof PurchaseReasonCategoriesInput>

export const PurchaseReasonDto = Type.Object({
  responseId: Id,
  contact: Nullable(Ref),
  orderRef: Nullable(Type.String()),
  reasons: Type.Array(Type.String()),
  text: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type PurchaseReasonDto = Static<typeof PurchaseReasonDto>

export const PurchaseReasonSummaryDto = Type.Object({
  survey: SurveyDto,
  responses: Type.Integer(),
  reasons: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer() })),
  latest: Type.Array(PurchaseReasonDto),
})
export type PurchaseReasonSummaryDto = Static<typeof PurchaseReasonSummaryDto>

/** The product feedback survey offered as a starting point ("template") in the app and seeded in the demo. */
export const REDESIGN_SURVEY_TEMPLATE: { title: string; intro: string; questions: SurveyQuestion[] } = {
  title: 'Help us redesign our products',
  intro: 'We are redesigning our apps and cards this year. Four short questions; your answers go straight to the product team.',
  questions: [
    { id: 'overall', kind: 'rating', label: 'Overall, how happy are you with our products today?', required: true },
    {
      id: 'product',
      kind: 'single',
      label: 'Which product do you use most?',
      required: true,
      options: ['Mobile app', 'Web banking', 'Debit and credit cards', 'Savings accounts'],
    },
    {
      id: 'improve',
      kind: 'multiple',
      label: 'What should we improve first?',
      required: false,
      options: ['Speed', 'Design and navigation', 'Statements and exports', 'Notifications', 'Card controls', 'Help and support'],
    },
    { id: 'change', kind: 'text', label: 'What one change would make the biggest difference to you?', required: false },
  ],
}
