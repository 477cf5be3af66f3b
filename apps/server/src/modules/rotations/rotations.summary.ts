import type { RotationKind, RotationSummaryDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { canViewRotationSummary, shiftAttendance } from '../../platform/policy.ts'
import { csatForTickets } from '../surveys/index.ts'

/**
 * What a rotation's cohort did within its window (first shift start to last shift end): tickets they
 * replied on or drafted held replies for, review outcomes of their held replies, attendance, and CSAT
 * (ratings of those tickets' solves since the window opened).
 */
export async function rotationSummary(ctx: Ctx, actor: Actor, id: number): Promise<RotationSummaryDto> {
  if (!canViewRotationSummary(actor)) throw forbidden('see rotation summaries')
  const rotation = await ctx.db.selectFrom('rotations').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst()
  if (!rotation) throw notFound('Rotation', id)
  const shifts = await ctx.db
    .selectFrom('shifts')
    .innerJoin('users', 'users.id', 'shifts.userId')
    .select(['shifts.userId', 'users.name', 'shifts.startsAt', 'shifts.endsAt', 'shifts.startedAt', 'shifts.endedAt'])
    .where('shifts.rotationId', '=', id)
    .execute()
  const t = now()
  const people = new Map<number, string>()
  for (const s of shifts) people.set(s.userId, s.name)
  const from = shifts.length ? Math.min(...shifts.map((s) => s.startsAt)) : null
  const to = shifts.length ? Math.max(...shifts.map((s) => s.endedAt ?? s.endsAt)) : null
  const attendance = shifts.map((s) => shiftAttendance(s, t))
  const count = (...kinds: string[]) => attendance.filter((a) => kinds.includes(a)).length

  const cohort = [...people.keys()]
  const replies =
    cohort.length && from !== null && to !== null
      ? await ctx.db
          .selectFrom('messages')
          .select(['id', 'ticketId', 'authorUserId'])
          .where('kind', '=', 'reply')
          .where('authorUserId', 'in', cohort)
          .where('createdAt', '>=', from)
          .where('createdAt', '<', to)
          .execute()
      : []
  const reviews =
    cohort.length && from !== null && to !== null
      ? await ctx.db
          .selectFrom('replyReviews')
          .select(['ticketId', 'authorId', 'status', 'html', 'finalHtml', 'messageId'])
          .where('authorId', 'in', cohort)
          .where('createdAt', '>=', from)
          .where('createdAt', '<', to)
          .execute()
      : []
  // An approved held reply becomes a message too: count it once, as a held reply.
  const fromReviews = new Set(reviews.map((r) => r.messageId).filter((m): m is number => m !== null))
  const sent = replies.filter((m) => !fromReviews.has(m.id))
  const isEdited = (r: (typeof reviews)[number]) => r.status === 'approved' && r.finalHtml !== null && r.finalHtml !== r.html
  const tickets = new Set([...sent.map((m) => m.ticketId), ...reviews.map((r) => r.ticketId)])
  const byStatus = (status: string, list = reviews) => list.filter((r) => r.status === status).length
  // Ratings of the solves that followed the window's work: share of good ratings (score ≥ 4).
  const csat = from !== null ? await csatForTickets(ctx.db, [...tickets], from) : { rated: 0, positiveShare: null }

  return {
    rotation: { id: rotation.id, name: rotation.name, kind: rotation.kind as RotationKind },
    window: { from, to },
    cohortSize: cohort.length,
    shifts: { total: shifts.length, attended: count('attended', 'late', 'ended_early'), missed: count('missed'), upcoming: count('upcoming', 'on_duty') },
    ticketsHandled: tickets.size,
    repliesSent: sent.length,
    reviews: {
      held: reviews.length,
      pending: byStatus('pending'),
      approved: byStatus('approved'),
      approvedWithEdits: reviews.filter(isEdited).length,
      rejected: byStatus('rejected'),
      withdrawn: byStatus('withdrawn'),
    },
    people: [...people]
      .map(([userId, name]) => {
        const mine = reviews.filter((r) => r.authorId === userId)
        const mySent = sent.filter((m) => m.authorUserId === userId)
        return {
          user: { id: userId, name },
          ticketsHandled: new Set([...mySent.map((m) => m.ticketId), ...mine.map((r) => r.ticketId)]).size,
          repliesSent: mySent.length,
          held: mine.length,
          approved: byStatus('approved', mine),
          rejected: byStatus('rejected', mine),
        }
      })
      .sort((a, b) => b.ticketsHandled - a.ticketsHandled || a.user.name.localeCompare(b.user.name)),
    csat: {
      score: csat.positiveShare,
      responses: csat.rated,
      note: csat.rated ? null : 'No customer has rated the tickets handled in this window yet.',
    },
  }
}
