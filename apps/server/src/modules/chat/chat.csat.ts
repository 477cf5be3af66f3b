import { CSAT_THREE_POINT } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { markForReports } from '../../platform/report-queue.ts'
import { readCsatSettings } from '../surveys/csat.settings.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'

/**
 * A chat's rating feeds the CSAT machinery (modules/surveys): it is a csat_requests row already `rated`, for the
 * ticket's solve. Reports attribute a request to the solve (cycle) it names, so a chat rated while its ticket
 * is still open names the moment of rating (solved_at = rated_at) until the ticket is solved, and then moves to
 * that solve (settleChatRating): the emailed survey for that solve is then never created, and the rating counts.
 */

/** A widget rating (1–5) on a CSAT scale: the 5-point scale as it is; good / okay / bad on the 3-point one. */
export function csatScore(scale: string, rating: number): number {
  if (scale === '5') return rating
  return rating >= 4 ? CSAT_THREE_POINT.good : rating === 3 ? CSAT_THREE_POINT.okay : CSAT_THREE_POINT.bad
}

/** Writes the rating as the ticket's CSAT answer, in the rating's transaction. */
export async function recordChatRating(
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  ticketId: number,
  rating: { rating: number; comment: string | null },
): Promise<void> {
  const ticket = await trx
    .selectFrom('tickets')
    .select(['id', 'teamId', 'assigneeId', 'requesterId', 'solvedAt', 'status'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow()
  const t = now()
  const solvedAt = ticket.solvedAt !== null && ['solved', 'closed'].includes(ticket.status) ? ticket.solvedAt : t
  const existing = await trx
    .selectFrom('csatRequests')
    .select(['id', 'status', 'scale'])
    .where('ticketId', '=', ticket.id)
    .where('solvedAt', '=', solvedAt)
    .executeTakeFirst()
  if (existing) {
    // The emailed survey of the same solve (scheduled, sent, skipped or expired): the chat's answer is its answer.
    await trx
      .updateTable('csatRequests')
      .set((eb) => ({
        status: 'rated',
        score: csatScore(existing.scale, rating.rating),
        ratedAt: t,
        comment: rating.comment,
        skipReason: null,
        sentAt: eb.fn.coalesce('sentAt', eb.val(t)),
      }))
      .where('id', '=', existing.id)
      .where('status', '!=', 'rated')
      .execute()
  } else {
    const scale = (await readCsatSettings(trx)).scale
    await trx
      .insertInto('csatRequests')
      .values({
        ticketId: ticket.id,
        contactId: ticket.requesterId,
        email: null,
        solvedAt,
        tokenHash: null,
        status: 'rated',
        skipReason: null,
        scale,
        sendAt: t,
        sentAt: t,
        expiresAt: t,
        ratedAt: t,
        score: csatScore(scale, rating.rating),
        comment: rating.comment,
        createdAt: t,
      })
      .execute()
  }
  await markForReports(trx, [ticket.id])
  emit(ticketEvent('ticket.updated', ticket, { csat: true }))
}

/**
 * The chat's ticket was solved after the visitor rated it: the rating (still naming the moment of rating) moves
 * to this solve. If the survey scheduler already created the solve's request, that request takes the rating
 * unless the customer answered it by email. Safe to call on every change of the ticket.
 */
export async function settleChatRating(ctx: Ctx, ticketId: number): Promise<void> {
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'status', 'solvedAt']).where('id', '=', ticketId).executeTakeFirst()
  if (!ticket || ticket.solvedAt === null || !['solved', 'closed'].includes(ticket.status)) return
  const solvedAt = ticket.solvedAt
  const pending = await ctx.db
    .selectFrom('csatRequests')
    .selectAll()
    .where('ticketId', '=', ticketId)
    .where('status', '=', 'rated')
    .where('tokenHash', 'is', null)
    .where('email', 'is', null)
    .where('solvedAt', '<', solvedAt)
    .whereRef('solvedAt', '=', 'ratedAt')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (!pending) return
  await inTransaction(ctx, async (trx, emit) => {
    const existing = await trx
      .selectFrom('csatRequests')
      .select(['id', 'status', 'scale'])
      .where('ticketId', '=', ticketId)
      .where('solvedAt', '=', solvedAt)
      .executeTakeFirst()
    if (!existing) {
      await trx.updateTable('csatRequests').set({ solvedAt }).where('id', '=', pending.id).execute()
    } else if (existing.status !== 'rated') {
      await trx
        .updateTable('csatRequests')
        .set((eb) => ({
          status: 'rated',
          score: pending.score,
          ratedAt: pending.ratedAt,
          comment: pending.comment,
          skipReason: null,
          sentAt: eb.fn.coalesce('sentAt', eb.val(pending.sentAt)),
        }))
        .where('id', '=', existing.id)
        .execute()
      await trx.deleteFrom('csatRequests').where('id', '=', pending.id).execute()
    } else return
    await markForReports(trx, [ticketId])
    const scope = await trx.selectFrom('tickets').select(['id', 'teamId', 'assigneeId']).where('id', '=', ticketId).executeTakeFirstOrThrow()
    emit(ticketEvent('ticket.updated', scope, { csat: true }))
  })
}
