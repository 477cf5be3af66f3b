import type { AttachmentDto, ReviewDetailDto, ReviewDto, ReviewStatus, RiskLevel } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { canWithdrawReview, reviewRefusal } from '../../platform/policy.ts'
import { wordDiff } from './reviews.diff.ts'
import { heldAttachmentIds } from './reviews.hold.ts'
import { loadReviewPolicies } from './review-policies.service.ts'

/** A held reply with the ticket fields the rules need. */
export async function findReviewRows(db: Executor, ids: number[]) {
  if (!ids.length) return []
  return db
    .selectFrom('replyReviews as r')
    .innerJoin('tickets as t', 't.id', 'r.ticketId')
    .innerJoin('users as a', 'a.id', 'r.authorId')
    .leftJoin('users as v', 'v.id', 'r.reviewerId')
    .select([
      'r.id',
      'r.ticketId',
      'r.authorId',
      'a.name as authorName',
      'r.status',
      'r.html',
      'r.text',
      'r.attachmentIds',
      'r.requestedStatus',
      'r.reason',
      'r.reviewerId',
      'v.name as reviewerName',
      'r.finalHtml',
      'r.finalText',
      'r.editRatio',
      'r.feedback',
      'r.messageId',
      'r.createdAt',
      'r.decidedAt',
      't.subject as ticketSubject',
      't.teamId',
      't.assigneeId',
      't.riskLevel',
      't.categoryId',
    ])
    .where('r.id', 'in', ids)
    .execute()
}
export type ReviewRow = Awaited<ReturnType<typeof findReviewRows>>[number]

/** The ticket scope the policy functions take, from a review row. */
export const ticketScopeOf = (r: ReviewRow) => ({ teamId: r.teamId, assigneeId: r.assigneeId, riskLevel: r.riskLevel, categoryId: r.categoryId })

/**
 * Reviews as the actor sees them, in the order of `ids`: the SLA clock from the ticket category's policy,
 * what the actor may do, and feedback only for the author and reviewers (it is coaching, not gossip).
 */
export async function presentReviewList(db: Executor, actor: Actor, ids: number[]): Promise<ReviewDto[]> {
  const rows = await findReviewRows(db, ids)
  const policies = await loadReviewPolicies(db)
  const byId = new Map(rows.map((r) => [r.id, r]))
  const t = now()
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    const dueAt = r.createdAt + policies.forCategory(r.categoryId).slaMinutes * 60_000
    const pending = r.status === 'pending'
    const insider = actor.id === r.authorId || reviewRefusal(actor, ticketScopeOf(r), r.authorId) === null
    return [
      {
        id: r.id,
        ticketId: r.ticketId,
        ticketSubject: r.ticketSubject,
        ticketRiskLevel: r.riskLevel as RiskLevel,
        author: { id: r.authorId, name: r.authorName },
        status: r.status as ReviewStatus,
        html: r.html,
        text: r.text,
        reason: r.reason,
        requestedStatus: r.requestedStatus,
        reviewer: r.reviewerId !== null ? { id: r.reviewerId, name: r.reviewerName ?? 'Former user' } : null,
        finalHtml: r.finalHtml,
        feedback: insider || actor.role !== 'contributor' ? r.feedback : null,
        messageId: r.messageId,
        createdAt: r.createdAt,
        decidedAt: r.decidedAt,
        dueAt,
        overdue: pending && t > dueAt,
        editRatio: r.editRatio === null ? null : Number(r.editRatio),
        canDecide: pending && reviewRefusal(actor, ticketScopeOf(r), r.authorId) === null,
        canWithdraw: pending && canWithdrawReview(actor, r.authorId),
      },
    ]
  })
}

/** One review with its held attachments and, when the reviewer edited the reply, the word diff. */
export async function presentReviewDetail(db: Executor, actor: Actor, id: number): Promise<ReviewDetailDto> {
  const [review] = await presentReviewList(db, actor, [id])
  const [row] = await findReviewRows(db, [id])
  const attachmentIds = heldAttachmentIds(row!.attachmentIds)
  const files = attachmentIds.length
    ? await db.selectFrom('attachments').select(['id', 'filename', 'contentType', 'size']).where('id', 'in', attachmentIds).orderBy('id').execute()
    : []
  const attachments: AttachmentDto[] = files.map((a) => ({ ...a, url: `/api/v1/reviews/attachments/${a.id}` }))
  const edited = row!.finalText !== null && row!.finalText !== row!.text
  return { ...review!, attachments, finalText: row!.finalText, diff: edited ? wordDiff(row!.text, row!.finalText!) : null }
}
