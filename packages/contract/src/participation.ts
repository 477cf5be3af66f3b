import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'

/**
 * Graduated trust: observer (notes only) → reviewed (every customer reply held for review) → trusted
 * (low-risk tickets in certified categories go out directly) → agent (full rights).
 */
export const TRUST_LEVELS = ['observer', 'reviewed', 'trusted', 'agent'] as const
export type TrustLevel = (typeof TRUST_LEVELS)[number]
export const TrustLevelSchema = Type.Enum(TRUST_LEVELS)

/** A ticket's risk, and the highest risk a person is cleared to handle. Ordered low → high. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
export const RiskLevelSchema = Type.Enum(RISK_LEVELS)

export const RiskReason = Type.Object({
  ruleId: Nullable(Id),
  rule: Type.String(),
  level: RiskLevelSchema,
  detail: Type.String(),
})
export type RiskReason = Static<typeof RiskReason>

/** What the signed-in person may do with customers right now (the server decides; the UI shows it). */
export const ParticipationDto = Type.Object({
  trustLevel: TrustLevelSchema,
  clearance: RiskLevelSchema,
  certifiedCategoryIds: Type.Array(Id),
  onShiftUntil: Nullable(Timestamp),
  shiftReviewRequired: Type.Boolean(),
})
export type ParticipationDto = Static<typeof ParticipationDto>

/** How a reply by this person on this ticket would go out. */
export const REPLY_MODES = ['send', 'review', 'deny'] as const
export type ReplyMode = (typeof REPLY_MODES)[number]
export const ReplyDecisionDto = Type.Object({ mode: Type.Enum(REPLY_MODES), reason: Type.String() })
export type ReplyDecisionDto = Static<typeof ReplyDecisionDto>

export const REVIEW_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

export const ReplyReviewDto = Type.Object({
  id: Id,
  ticketId: Id,
  ticketSubject: Type.String(),
  author: Type.Object({ id: Id, name: Type.String() }),
  status: Type.Enum(REVIEW_STATUSES),
  html: Type.String(),
  text: Type.String(),
  reason: Type.String(),
  reviewer: Nullable(Type.Object({ id: Id, name: Type.String() })),
  finalHtml: Nullable(Type.String()),
  feedback: Nullable(Type.String()),
  messageId: Nullable(Id),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
})
export type ReplyReviewDto = Static<typeof ReplyReviewDto>

/** Answer to a reply that was held: 202 Accepted. */
export const PendingReviewDto = Type.Object({ status: Type.Literal('pending_review'), review: ReplyReviewDto })
export type PendingReviewDto = Static<typeof PendingReviewDto>

export const AuditEntryDto = Type.Object({
  id: Id,
  actor: Nullable(Type.Object({ id: Id, name: Type.String() })),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Id),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
})
export type AuditEntryDto = Static<typeof AuditEntryDto>
