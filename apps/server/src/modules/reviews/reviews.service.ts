import type { ApproveReviewInput, PageOf, ReviewDetailDto, ReviewDto, ReviewListQuery, ReviewSummaryDto, TicketStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canReviewReplies, canSeeReview, canViewTicket, canWithdrawReview, reviewRefusal } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { contentFromBody, notify, postMessage } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { editRatio } from './reviews.diff.ts'
import { heldAttachmentIds, reviewEvent } from './reviews.hold.ts'
import { findReviewRows, presentReviewDetail, presentReviewList, type ReviewRow, ticketScopeOf } from './reviews.presenter.ts'
import { promoteIfEarned, promotionProgress } from './reviews.promotion.ts'
import { loadReviewPolicies } from './review-policies.service.ts'

/**
 * The review list. Without `author=me` or `ticketId` it is the reviewers' queue (reviewers only). Pending
 * reviews come first, oldest first (the SLA clock runs); decided ones follow, newest first. A ticket's
 * list shows non-reviewers their own held replies and the approved ones (for the "reviewed by" badge).
 */
export async function listReviews(ctx: Ctx, actor: Actor, query: ReviewListQuery): Promise<PageOf<ReviewDto>> {
  const limit = query.limit ?? 50
  let base = ctx.db.selectFrom('replyReviews').select('id')
  if (query.author === 'me') base = base.where('authorId', '=', actor.id)
  if (query.ticketId !== undefined) {
    await getVisibleTicket(ctx.db, actor, query.ticketId)
    base = base.where('ticketId', '=', query.ticketId)
    if (!canReviewReplies(actor) && query.author !== 'me') base = base.where((eb) => eb.or([eb('authorId', '=', actor.id), eb('status', '=', 'approved')]))
  }
  if (query.author !== 'me' && query.ticketId === undefined && !canReviewReplies(actor)) throw forbidden('see the review queue')

  const after = decodeCursor(query.cursor, 2)
  // Two phases keep both orders on an index: pending by id ascending, then decided by id descending.
  const phase = (after?.[0] as 'p' | 'd' | undefined) ?? (query.status === undefined || query.status === 'pending' ? 'p' : 'd')
  const ids: number[] = []
  let cursor: string | null = null
  if (phase === 'p') {
    let q = base
      .where('status', '=', 'pending')
      .orderBy('id', 'asc')
      .limit(limit + 1)
    if (after) q = q.where('id', '>', Number(after[1]))
    const rows = await q.execute()
    ids.push(...rows.slice(0, limit).map((r) => r.id))
    if (rows.length > limit) cursor = encodeCursor(['p', ids.at(-1)!])
  }
  if (cursor === null && query.status !== 'pending' && ids.length < limit) {
    let q = base.where('status', query.status ? '=' : '!=', query.status ?? 'pending').orderBy('id', 'desc')
    const room = limit - ids.length
    q = q.limit(room + 1)
    if (after?.[0] === 'd') q = q.where('id', '<', Number(after[1]))
    const rows = await q.execute()
    ids.push(...rows.slice(0, room).map((r) => r.id))
    if (rows.length > room) cursor = encodeCursor(['d', ids.at(-1)!])
  }
  const rows = await findReviewRows(ctx.db, ids)
  const visible = new Set(rows.filter((r) => canSeeReview(actor, ticketScopeOf(r), r)).map((r) => r.id))
  return {
    items: await presentReviewList(
      ctx.db,
      actor,
      ids.filter((id) => visible.has(id)),
    ),
    nextCursor: cursor,
  }
}

async function getSeenReview(db: Executor, actor: Actor, id: number): Promise<ReviewRow> {
  const [row] = await findReviewRows(db, [id])
  if (!row) throw notFound('Review', id)
  if (!canSeeReview(actor, ticketScopeOf(row), row)) throw forbidden('see this review')
  return row
}

export async function getReview(ctx: Ctx, actor: Actor, id: number): Promise<ReviewDetailDto> {
  await getSeenReview(ctx.db, actor, id)
  return presentReviewDetail(ctx.db, actor, id)
}

/** A file of a held reply: found through its uploader's reviews, shown to whoever may see that review. */
export async function heldAttachmentForDownload(ctx: Ctx, actor: Actor, attachmentId: number) {
  const a = await ctx.db
    .selectFrom('attachments')
    .select(['id', 'blobHash', 'filename', 'uploadedById'])
    .where('id', '=', attachmentId)
    .where('messageId', 'is', null)
    .executeTakeFirst()
  if (!a || a.uploadedById === null) throw notFound('Attachment', attachmentId)
  const reviews = await ctx.db
    .selectFrom('replyReviews')
    .select(['id', 'attachmentIds'])
    .where('authorId', '=', a.uploadedById)
    .orderBy('id', 'desc')
    .limit(500)
    .execute()
  const holder = reviews.find((r) => heldAttachmentIds(r.attachmentIds).includes(attachmentId))
  if (!holder) throw a.uploadedById === actor.id ? notFound('Held attachment', attachmentId) : forbidden('download this file')
  await getSeenReview(ctx.db, actor, holder.id)
  return a
}

/** Loads a review for a decision and checks the reviewer's rights; the status is checked again by the conditional update. */
async function getDecidableReview(trx: Executor, actor: Actor, id: number, action: string): Promise<ReviewRow> {
  const [row] = await findReviewRows(trx, [id])
  if (!row) throw notFound('Review', id)
  if (!canViewTicket(actor, ticketScopeOf(row))) throw forbidden(`${action} this reply`)
  const refusal = reviewRefusal(actor, ticketScopeOf(row), row.authorId)
  if (refusal) throw forbidden(`${action} this reply`, refusal)
  if (row.status !== 'pending') throw alreadyDecided(row.status)
  return row
}

const alreadyDecided = (status: string) => conflict(`This reply was already ${status}`, { status })

/**
 * Marks a pending review decided. Only one decision wins: the update applies where the status is still
 * pending, so of two concurrent approvals one updates the row and the other gets 409 and sends nothing.
 */
async function decide(
  trx: Executor,
  id: number,
  changes: {
    status: 'approved' | 'rejected' | 'withdrawn'
    reviewerId?: number
    finalHtml?: string | null
    finalText?: string | null
    editRatio?: number | null
    feedback?: string
  },
): Promise<void> {
  const res = await trx
    .updateTable('replyReviews')
    .set({ ...changes, decidedAt: now() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) {
    const current = await trx.selectFrom('replyReviews').select('status').where('id', '=', id).executeTakeFirst()
    throw alreadyDecided(current?.status ?? 'decided')
  }
}

function emitReview(emit: (e: DomainEvent) => void, row: ReviewRow, status: string) {
  for (const e of reviewEvent({ id: row.id, ticketId: row.ticketId, authorId: row.authorId, status }, { id: row.ticketId, teamId: row.teamId })) emit(e)
}

/**
 * Approves a held reply, optionally edited: sends it as its author through the ticket's channel (with
 * its attachments and requested status), records the reviewer and the edit, tells the author, and
 * promotes them when they have earned it.
 */
export async function approveReview(ctx: Ctx, actor: Actor, id: number, input: ApproveReviewInput): Promise<ReviewDetailDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const row = await getDecidableReview(trx, actor, id, 'approve')
    const ticket = await findTicketRow(trx, row.ticketId)
    if (!ticket) throw notFound('Ticket', row.ticketId)
    if (ticket.mergedIntoId) throw unprocessable(`Ticket ${ticket.id} was merged into #${ticket.mergedIntoId}; reject this reply and write it there`)
    const edited = input.html !== undefined ? contentFromBody(input.html) : null
    if (edited && !edited.text.trim() && !/<img\b/i.test(edited.html)) throw unprocessable('The edited reply is empty')
    const changed = edited !== null && edited.html !== row.html
    const content = changed ? edited : { html: row.html, text: row.text, fullText: row.text }
    const ratio = changed ? editRatio(row.text, edited.text) : 0
    await decide(trx, id, {
      status: 'approved',
      reviewerId: actor.id,
      finalHtml: changed ? edited.html : null,
      finalText: changed ? edited.text : null,
      editRatio: ratio,
    })
    const messageId = await postMessage(trx, ctx, emit, {
      ticket,
      author: { id: row.authorId, name: row.authorName },
      kind: 'reply',
      content,
      attachmentIds: heldAttachmentIds(row.attachmentIds),
      status: (row.requestedStatus as TicketStatus | null) ?? undefined,
      mayChangeStatus: true,
    })
    await trx.updateTable('replyReviews').set({ messageId }).where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'review.approved',
      targetType: 'reply_review',
      targetId: id,
      data: { ticketId: row.ticketId, authorId: row.authorId, messageId, editRatio: ratio },
    })
    const n = await notify(trx, {
      userId: row.authorId,
      kind: 'review.approved',
      ticketId: row.ticketId,
      messageId,
      actorId: actor.id,
      title: changed
        ? `${actor.name} edited and sent your reply on #${row.ticketId}: ${row.ticketSubject}`
        : `${actor.name} approved your reply on #${row.ticketId}: ${row.ticketSubject}`,
    })
    emit(notificationEvent(row.authorId, n))
    emitReview(emit, row, 'approved')
    const policy = (await loadReviewPolicies(trx)).forCategory(row.categoryId)
    await promoteIfEarned(trx, emit, { userId: row.authorId, policy, reviewId: id, ticketId: row.ticketId })
  })
  return presentReviewDetail(ctx.db, actor, id)
}

/** Returns a held reply to its author with coaching feedback; nothing reaches the customer. */
export async function rejectReview(ctx: Ctx, actor: Actor, id: number, feedback: string): Promise<ReviewDetailDto> {
  const text = feedback.trim()
  if (!text) throw unprocessable('Write feedback for the author: what to change and why')
  await inTransaction(ctx, async (trx, emit) => {
    const row = await getDecidableReview(trx, actor, id, 'reject')
    await decide(trx, id, { status: 'rejected', reviewerId: actor.id, feedback: text })
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'review.rejected',
      targetType: 'reply_review',
      targetId: id,
      data: { ticketId: row.ticketId, authorId: row.authorId },
    })
    const n = await notify(trx, {
      userId: row.authorId,
      kind: 'review.rejected',
      ticketId: row.ticketId,
      actorId: actor.id,
      title: `${actor.name} returned your reply on #${row.ticketId} with feedback: ${text.slice(0, 120)}`,
    })
    emit(notificationEvent(row.authorId, n))
    emitReview(emit, row, 'rejected')
  })
  return presentReviewDetail(ctx.db, actor, id)
}

/** The author takes back a reply still waiting for review. */
export async function withdrawReview(ctx: Ctx, actor: Actor, id: number): Promise<ReviewDetailDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const row = await getSeenReview(trx, actor, id)
    if (!canWithdrawReview(actor, row.authorId)) throw forbidden('withdraw this reply', 'only its author may')
    if (row.status !== 'pending') throw alreadyDecided(row.status)
    await decide(trx, id, { status: 'withdrawn' })
    emitReview(emit, row, 'withdrawn')
  })
  return presentReviewDetail(ctx.db, actor, id)
}

const countOf = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0)

/** Counts for the navigation badge and home cards, and for people in review their way to promotion. */
export async function reviewSummary(ctx: Ctx, actor: Actor): Promise<ReviewSummaryDto> {
  const db = ctx.db
  const isReviewer = canReviewReplies(actor)
  const policies = await loadReviewPolicies(db)
  let queue = { pending: 0, overdue: 0 }
  if (isReviewer) {
    // The pending queue is short (held replies wait minutes to hours), so the SLA is applied here per category.
    const pending = await db
      .selectFrom('replyReviews as r')
      .innerJoin('tickets as t', 't.id', 'r.ticketId')
      .select(['r.createdAt', 't.categoryId'])
      .where('r.status', '=', 'pending')
      .where('r.authorId', '!=', actor.id)
      .limit(5000)
      .execute()
    const t = now()
    queue = {
      pending: pending.length,
      overdue: pending.filter((p) => t > p.createdAt + policies.forCategory(p.categoryId).slaMinutes * 60_000).length,
    }
  }
  const mine = (status: string) =>
    countOf(
      db
        .selectFrom('replyReviews')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('authorId', '=', actor.id)
        .where('status', '=', status)
        .executeTakeFirst(),
    )
  const [pending, approved, rejected] = await Promise.all([mine('pending'), mine('approved'), mine('rejected')])
  let promotion: ReviewSummaryDto['promotion'] = null
  if (actor.trustLevel === 'reviewed') {
    const policy = policies.forCategory(null)
    const progress = await promotionProgress(db, actor.id, policy)
    promotion = { ...progress, required: policy.approvalsRequired, enabled: policy.enabled }
  }
  return { isReviewer, queue, mine: { pending, approved, rejected }, promotion }
}
