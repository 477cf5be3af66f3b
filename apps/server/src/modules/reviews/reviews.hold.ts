import type { ComposeInput, ReplyReviewDto, ReviewStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { reviewRefusal } from '../../platform/policy.ts'
import { findActiveActor } from '../users/users.queries.ts'
import { type MessageContent, notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import type { TicketRow } from '../tickets/tickets.queries.ts'

/** The room reviewers join to see the review queue change live. */
export const REVIEWS_ROOM = 'reviews'

export const reviewEvent = (
  review: { id: number; ticketId: number; authorId: number; status: string },
  ticket: { id: number; teamId: number | null },
): DomainEvent[] => {
  const payload = { reviewId: review.id, ticketId: review.ticketId, status: review.status }
  return [
    { name: 'review.changed', ticket: { id: ticket.id, teamId: ticket.teamId }, payload },
    { name: 'review.changed', room: REVIEWS_ROOM, payload },
    { name: 'review.changed', userId: review.authorId, payload },
  ]
}

/** Holds a customer reply for review instead of sending it: the draft, its attachments and why it was held. */
export async function holdReply(
  trx: Executor,
  emit: (e: DomainEvent) => void,
  h: { ticket: TicketRow; author: Actor; content: MessageContent; input: ComposeInput; reason: string },
): Promise<number> {
  const row = await trx
    .insertInto('replyReviews')
    .values({
      ticketId: h.ticket.id,
      authorId: h.author.id,
      status: 'pending',
      html: h.content.html,
      text: h.content.text,
      attachmentIds: writeJson(h.input.attachmentIds ?? []),
      requestedStatus: h.input.status ?? null,
      reason: h.reason,
      reviewerId: null,
      finalHtml: null,
      feedback: null,
      messageId: null,
      createdAt: now(),
      decidedAt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const e of reviewEvent({ id: row.id, ticketId: h.ticket.id, authorId: h.author.id, status: 'pending' }, h.ticket)) emit(e)
  await notifyAssignedReviewer(trx, emit, h.ticket, h.author)
  return row.id
}

/**
 * The ticket's assignee hears that a reply on their ticket waits for review, when they can review it
 * (everyone else watches the live queue; telling every agent would be noise).
 */
async function notifyAssignedReviewer(trx: Executor, emit: (e: DomainEvent) => void, ticket: TicketRow, author: Actor): Promise<void> {
  if (ticket.assigneeId === null || ticket.assigneeId === author.id) return
  const assignee = await findActiveActor(trx, ticket.assigneeId)
  if (!assignee || reviewRefusal(assignee, ticket, author.id) !== null) return
  const n = await notify(trx, {
    userId: assignee.id,
    kind: 'review.requested',
    ticketId: ticket.id,
    actorId: author.id,
    title: `${author.name}'s reply on #${ticket.id} waits for your review: ${ticket.subject}`,
  })
  emit(notificationEvent(assignee.id, n))
}

export async function presentReviews(db: Executor, ids: number[]): Promise<ReplyReviewDto[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('replyReviews as r')
    .innerJoin('tickets as t', 't.id', 'r.ticketId')
    .innerJoin('users as a', 'a.id', 'r.authorId')
    .leftJoin('users as v', 'v.id', 'r.reviewerId')
    .select([
      'r.id',
      'r.ticketId',
      't.subject as ticketSubject',
      'r.authorId',
      'a.name as authorName',
      'r.status',
      'r.html',
      'r.text',
      'r.reason',
      'r.reviewerId',
      'v.name as reviewerName',
      'r.finalHtml',
      'r.feedback',
      'r.messageId',
      'r.createdAt',
      'r.decidedAt',
      'r.attachmentIds',
    ])
    .where('r.id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [
      {
        id: r.id,
        ticketId: r.ticketId,
        ticketSubject: r.ticketSubject,
        author: { id: r.authorId, name: r.authorName },
        status: r.status as ReviewStatus,
        html: r.html,
        text: r.text,
        reason: r.reason,
        reviewer: r.reviewerId !== null ? { id: r.reviewerId, name: r.reviewerName ?? '' } : null,
        finalHtml: r.finalHtml,
        feedback: r.feedback,
        messageId: r.messageId,
        createdAt: r.createdAt,
        decidedAt: r.decidedAt,
      },
    ]
  })
}

/** The attachment ids a held reply carries, for sending it on approval. */
export const heldAttachmentIds = (value: unknown): number[] => readJson<number[]>(value, [])
