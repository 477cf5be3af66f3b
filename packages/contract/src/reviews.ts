import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'
import { REVIEW_STATUSES, ReplyReviewDto, RiskLevelSchema } from './participation.ts'
import { AttachmentDto } from './tickets.ts'

/** Filters of the review list: the reviewers' queue, one person's held replies, or one ticket's. */
export const ReviewListQuery = Type.Object({
  status: Type.Optional(Type.Enum(REVIEW_STATUSES)),
  author: Type.Optional(Type.Literal('me', { description: 'Only my own held replies (any signed-in person may ask)' })),
  ticketId: Type.Optional(Id),
  ...CursorQuery,
})
export type ReviewListQuery = Static<typeof ReviewListQuery>

/** A held reply with its review clock and what the signed-in person may do with it. */
export const ReviewDto = Type.Object({
  ...ReplyReviewDto.properties,
  ticketRiskLevel: RiskLevelSchema,
  requestedStatus: Nullable(Type.String()),
  /** When the review should be done by: created + the SLA of the ticket category's review policy. */
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  /** Share of words the reviewer changed (0 = sent as written); null until approved. */
  editRatio: Nullable(Type.Number()),
  canDecide: Type.Boolean(),
  canWithdraw: Type.Boolean(),
})
export type ReviewDto = Static<typeof ReviewDto>

export const DIFF_OPS = ['equal', 'insert', 'delete'] as const
export const DiffPart = Type.Object({ op: Type.Enum(DIFF_OPS), text: Type.String() })
export type DiffPart = Static<typeof DiffPart>

/** One review with the held draft's attachments and, when the reviewer edited it, the word diff. */
export const ReviewDetailDto = Type.Object({
  ...ReviewDto.properties,
  attachments: Type.Array(AttachmentDto),
  finalText: Nullable(Type.String()),
  diff: Nullable(Type.Array(DiffPart)),
})
export type ReviewDetailDto = Static<typeof ReviewDetailDto>

export const ApproveReviewInput = Type.Object({
  html: Type.Optional(Type.String({ minLength: 1, maxLength: 200000, description: 'The edited reply (HTML or text); omit to send as written' })),
})
export type ApproveReviewInput = Static<typeof ApproveReviewInput>

export const RejectReviewInput = Type.Object({
  feedback: Type.String({ minLength: 1, maxLength: 5000, description: 'Coaching the author sees' }),
})
export type RejectReviewInput = Static<typeof RejectReviewInput>

/** Counts for the navigation badge and home cards, and the author's way to promotion. */
export const ReviewSummaryDto = Type.Object({
  isReviewer: Type.Boolean(),
  queue: Type.Object({ pending: Type.Integer(), overdue: Type.Integer() }),
  mine: Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer() }),
  /** For people in review: approved small-edit replies counted since their last trust change, toward automatic promotion. */
  promotion: Nullable(
    Type.Object({
      approvals: Type.Integer(),
      required: Type.Integer(),
      blockedByRejection: Type.Boolean(),
      enabled: Type.Boolean(),
      since: Nullable(Timestamp),
    }),
  ),
})
export type ReviewSummaryDto = Static<typeof ReviewSummaryDto>

/** Per category (or the default for tickets without one): automatic promotion and the review SLA. */
export const ReviewPolicyDto = Type.Object({
  id: Id,
  categoryId: Nullable(Id),
  categoryName: Nullable(Type.String()),
  enabled: Type.Boolean({ description: 'Automatic promotion to trusted is on' }),
  approvalsRequired: Type.Integer(),
  maxEditRatio: Type.Number(),
  slaMinutes: Type.Integer(),
  updatedAt: Timestamp,
})
export type ReviewPolicyDto = Static<typeof ReviewPolicyDto>

const policyFields = {
  enabled: Type.Boolean(),
  approvalsRequired: Type.Integer({ minimum: 1, maximum: 1000 }),
  maxEditRatio: Type.Number({ minimum: 0, maximum: 1 }),
  slaMinutes: Type.Integer({ minimum: 1, maximum: 10080 }),
}
export const CreateReviewPolicyInput = Type.Object({ categoryId: Id, ...Type.Partial(Type.Object(policyFields)).properties })
export type CreateReviewPolicyInput = Static<typeof CreateReviewPolicyInput>
export const UpdateReviewPolicyInput = Type.Partial(Type.Object(policyFields))
export type UpdateReviewPolicyInput = Static<typeof UpdateReviewPolicyInput>
