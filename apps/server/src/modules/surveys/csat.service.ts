import type { CsatAnswerInput, CsatAnswerResult, CsatRequestDto, CsatResponsesQuery, CsatSummaryDto, CsatSummaryQuery, PageOf } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { derivedSecret, sha256 } from '../../platform/crypto.ts'
import { afterCursor, decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { AppError, badRequest, forbidden, unprocessable } from '../../platform/errors.ts'
import { markForReports } from '../../platform/report-queue.ts'
import { sendNoticeEmail } from '../email/staff-email.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { readCsatSettings } from './csat.settings.ts'
import { bucketScores, type CsatRow, presentCsat, scoreOf, selectCsatRows } from './csat.queries.ts'
import { renderCsatEmail } from './surveys.emails.ts'
import { pickSurveyAddress } from './surveys.addresses.ts'
import { canViewSurveyResults } from './surveys.policy.ts'

export const DAY = 24 * 3_600_000

/** The ticket's CSAT requests, newest solve first; same visibility as the ticket. */
export async function listTicketCsat(ctx: Ctx, actor: Actor, ticketId: number): Promise<CsatRequestDto[]> {
  await getVisibleTicket(ctx.db, actor, ticketId)
  const rows = await selectCsatRows(ctx.db).where('r.ticketId', '=', ticketId).orderBy('r.solvedAt', 'desc').execute()
  return rows.map(presentCsat)
}

/** Recent ratings with their comments, newest first, keyset-paginated on (rated_at, id). */
export async function listCsatResponses(ctx: Ctx, actor: Actor, query: CsatResponsesQuery): Promise<PageOf<CsatRequestDto>> {
  if (!canViewSurveyResults(actor)) throw forbidden('see satisfaction ratings')
  const limit = query.limit ?? 50
  let q = selectCsatRows(ctx.db)
    .where('r.ratedAt', 'is not', null)
    .orderBy('r.ratedAt', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1)
  if (query.from !== undefined) q = q.where('r.ratedAt', '>=', query.from)
  if (query.to !== undefined) q = q.where('r.ratedAt', '<', query.to)
  if (query.rating) {
    const [lo, hi] = bucketScores[query.rating]
    q = q.where('r.score', '>=', lo).where('r.score', '<=', hi)
  }
  const after = decodeCursor(query.cursor, 2)
  if (after) {
    const [at, id] = after.map(Number) as [number, number]
    q = q.where((eb) => afterCursor(eb, 'r.ratedAt', 'r.id', 'desc', at, id))
  }
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { items: page.map(presentCsat), nextCursor: rows.length > limit && last ? encodeCursor([last.ratedAt!, last.id]) : null }
}

/** Sent, skipped and rated counts for a range (sent in it / rated in it), with the response rate and CSAT. */
export async function csatSummary(ctx: Ctx, actor: Actor, query: CsatSummaryQuery): Promise<CsatSummaryDto> {
  if (!canViewSurveyResults(actor)) throw forbidden('see satisfaction ratings')
  const from = query.from ?? now() - 30 * DAY
  const to = query.to ?? now() + 1
  const sent = await ctx.db
    .selectFrom('csatRequests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sentAt', '>=', from)
    .where('sentAt', '<', to)
    .executeTakeFirstOrThrow()
  const skipped = await ctx.db
    .selectFrom('csatRequests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('createdAt', '>=', from)
    .where('createdAt', '<', to)
    .where('status', '=', 'skipped')
    .executeTakeFirstOrThrow()
  const scores = await ctx.db
    .selectFrom('csatRequests')
    .select(['score', (eb) => eb.fn.countAll<number>().as('n')])
    .where('ratedAt', '>=', from)
    .where('ratedAt', '<', to)
    .groupBy('score')
    .execute()
  const count = (lo: number, hi: number) => scores.filter((s) => s.score !== null && s.score >= lo && s.score <= hi).reduce((n, s) => n + Number(s.n), 0)
  const rated = count(1, 5)
  const good = count(4, 5)
  const sentCount = Number(sent.n)
  return {
    sent: sentCount,
    skipped: Number(skipped.n),
    rated,
    good,
    okay: count(3, 3),
    bad: count(1, 2),
    responseRate: sentCount ? Math.min(1, rated / sentCount) : null,
    csat: rated ? good / rated : null,
  }
}

/**
 * Creates one scheduled request per due solve (unique on ticket and solve) for the given solved tickets;
 * returns the ids of requests created now (a solve seen before creates nothing).
 */
export async function createCsatRequests(
  db: Executor,
  tickets: { id: number; requesterId: number; solvedAt: number }[],
  settings: { scale: string; expiryDays: number },
): Promise<number[]> {
  if (!tickets.length) return []
  const t = now()
  const rows = await db
    .insertInto('csatRequests')
    .values(
      tickets.map((ticket) => ({
        ticketId: ticket.id,
        contactId: ticket.requesterId,
        email: null,
        solvedAt: ticket.solvedAt,
        tokenHash: null,
        status: 'scheduled',
        skipReason: null,
        scale: settings.scale,
        sendAt: t,
        sentAt: null,
        expiresAt: t + settings.expiryDays * DAY,
        ratedAt: null,
        score: null,
        comment: null,
        createdAt: t,
      })),
    )
    .onConflict((oc) => oc.columns(['ticketId', 'solvedAt']).doNothing())
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

async function skipRequest(ctx: Ctx, id: number, reason: string, email: string | null): Promise<void> {
  await ctx.db
    .updateTable('csatRequests')
    .set({ status: 'skipped', skipReason: reason, email })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .execute()
}

/**
 * Sends one scheduled request, or records why it is skipped (merged, reopened, no usable address). The
 * token exists only in the email: it is stored hashed before sending and cleared again if sending fails. Token and
 * Message-ID derive from the request, so when the worker died mid-send the retry (`run.retry`) sends the identical
 * email again rather than losing it or sending a second, different one.
 */
export async function sendCsatRequest(ctx: Ctx, requestId: number, run: { retry: boolean } = { retry: false }): Promise<void> {
  const request = await ctx.db.selectFrom('csatRequests').selectAll().where('id', '=', requestId).executeTakeFirst()
  const resend = request?.status === 'sent' && run.retry && !!request.email
  if (request?.status !== 'scheduled' && !resend) return
  const ticket = await ctx.db
    .selectFrom('tickets')
    .innerJoin('contacts', 'contacts.id', 'tickets.requesterId')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.teamId',
      'tickets.inboxId',
      'tickets.mergedIntoId',
      'tickets.solvedAt',
      'contacts.name as requesterName',
    ])
    .where('tickets.id', '=', request.ticketId)
    .executeTakeFirst()
  if (!ticket) return
  if (resend) return mailCsatRequest(ctx, request, ticket, request.email!)
  if (ticket.mergedIntoId !== null) return skipRequest(ctx, request.id, 'merged', null)
  if (ticket.solvedAt !== request.solvedAt) return skipRequest(ctx, request.id, 'reopened', null)
  const address = await pickSurveyAddress(ctx.db, request.contactId)
  if ('skip' in address) return skipRequest(ctx, request.id, address.skip, address.email)

  const settings = await readCsatSettings(ctx.db)
  const token = await csatToken(ctx, request.id)
  const t = now()
  const claimed = await ctx.db
    .updateTable('csatRequests')
    .set({
      status: 'sent',
      tokenHash: sha256(token),
      email: address.email,
      scale: settings.scale,
      sendAt: t,
      sentAt: t,
      expiresAt: t + settings.expiryDays * DAY,
    })
    .where('id', '=', request.id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return
  await mailCsatRequest(ctx, request, ticket, address.email)
}

const csatToken = async (ctx: Ctx, requestId: number) => derivedSecret(await workspaceSecret(ctx.db, 'surveyLinkSecret'), `csat:${requestId}`, 'cs_')

/** Sends a claimed request; if sending fails it goes back to scheduled for the retry. */
async function mailCsatRequest(
  ctx: Ctx,
  request: { id: number },
  ticket: { id: number; subject: string; teamId: number | null; inboxId: number; requesterName: string },
  email: string,
): Promise<void> {
  const settings = await readCsatSettings(ctx.db)
  const mail = renderCsatEmail(ctx.config.publicUrl, await csatToken(ctx, request.id), settings, {
    ticketNumber: ticket.id,
    ticketSubject: ticket.subject,
    requesterName: ticket.requesterName,
  })
  let sent: boolean
  try {
    sent = await sendNoticeEmail(ctx, {
      inboxId: ticket.inboxId,
      to: { name: ticket.requesterName, address: email },
      ...mail,
      idempotencyKey: `csat:${request.id}`,
    })
  } catch (err) {
    // Not sent: back to scheduled so the retry mints a new token.
    await ctx.db.updateTable('csatRequests').set({ status: 'scheduled', tokenHash: null, sentAt: null }).where('id', '=', request.id).execute()
    throw err
  }
  if (!sent)
    await ctx.db
      .updateTable('csatRequests')
      .set({ status: 'skipped', skipReason: 'no_outbound_email', tokenHash: null, sentAt: null })
      .where('id', '=', request.id)
      .execute()
  ctx.realtime.publish(ticketEvent('ticket.updated', { id: ticket.id, teamId: ticket.teamId }, { csat: true }))
}

/** Sent requests past their expiry become expired (read through the (status, expires_at) index). */
export async function expireCsatRequests(db: Executor): Promise<void> {
  await db.updateTable('csatRequests').set({ status: 'expired' }).where('status', '=', 'sent').where('expiresAt', '<=', now()).execute()
}

/** The request a public token stands for; forged and unknown tokens are a plain 404. */
export async function findCsatByToken(db: Executor, token: string): Promise<CsatRow> {
  const row = await selectCsatRows(db).where('r.tokenHash', '=', sha256(token)).executeTakeFirst()
  if (!row) throw new AppError('not_found', 404, 'This survey link is not valid. Please use the link from your email.')
  return row
}

export const isExpired = (r: Pick<CsatRow, 'status' | 'expiresAt'>) => r.status === 'expired' || (r.status === 'sent' && r.expiresAt <= now())

/**
 * A customer's answer by token: the rating once (a second attempt changes nothing and says so), then one
 * optional comment. Recording a rating marks the ticket for the reports in the same transaction.
 */
export async function answerCsat(ctx: Ctx, token: string, input: CsatAnswerInput): Promise<CsatAnswerResult> {
  const rating = input.rating?.trim()
  const comment = input.comment?.trim()
  if (!rating && !comment) throw badRequest('Send a rating or a comment')
  const request = await findCsatByToken(ctx.db, token)
  if (rating) {
    if (request.status === 'rated') return { outcome: 'already_rated', message: 'You already rated this request; your first rating counts. Thank you!' }
    if (isExpired(request)) throw unprocessable('This survey link has expired.')
    const score = scoreOf(request.scale, rating)
    if (score === null) throw badRequest(request.scale === '5' ? 'Choose a rating from 1 to 5' : 'Choose good, okay or bad')
    const recorded = await inTransaction(ctx, async (trx, emit) => {
      const res = await trx
        .updateTable('csatRequests')
        .set({ status: 'rated', score, ratedAt: now(), comment: comment || null })
        .where('id', '=', request.id)
        .where('status', '=', 'sent')
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) !== 1) return false
      await markForReports(trx, [request.ticketId])
      emit(ticketEvent('ticket.updated', { id: request.ticketId, teamId: request.ticketTeamId, assigneeId: request.ticketAssigneeId }, { csat: true }))
      return true
    })
    if (!recorded) return { outcome: 'already_rated', message: 'You already rated this request; your first rating counts. Thank you!' }
    return { outcome: 'rated', message: 'Thank you! Your rating was recorded.' }
  }
  if (request.status !== 'rated') throw unprocessable(isExpired(request) ? 'This survey link has expired.' : 'Choose a rating first')
  const res = await ctx.db.updateTable('csatRequests').set({ comment: comment! }).where('id', '=', request.id).where('comment', 'is', null).executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return { outcome: 'already_commented', message: 'You already sent a comment. Thank you!' }
  ctx.realtime.publish(
    ticketEvent('ticket.updated', { id: request.ticketId, teamId: request.ticketTeamId, assigneeId: request.ticketAssigneeId }, { csat: true }),
  )
  return { outcome: 'commented', message: 'Thank you for your comment!' }
}
