import type { OnShiftDto, ReviewInQueueDto, Role, TicketStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { UNSOLVED } from '../tickets/tickets.queries.ts'
import { countUpTo } from '../../platform/capped-count.ts'

/**
 * Reads shared by the leads' monitoring dashboard and the live reports dashboard: who is waiting for
 * us, which replies wait for review, who is on shift. Each is bounded by a limit and read through an
 * index, so they stay cheap at a million tickets.
 */

/** Unsolved tickets (of these statuses) whose customer spoke last: they are waiting for us. Callers add columns, order and limit. */
export function waitingTickets(db: Executor, statuses: readonly TicketStatus[] = UNSOLVED) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('messages as m', 'm.id', 't.lastMessageId')
    .where('t.status', 'in', [...statuses])
    .where('t.mergedIntoId', 'is', null)
    .where('m.kind', '=', 'customer')
}

/** How many customers are waiting, counted up to `cap + 1` (a join per unsolved ticket costs half a second at a million). */
export async function countWaitingTickets(db: Executor, cap: number): Promise<number> {
  return countUpTo(db, waitingTickets(db).select('t.id'), cap)
}

/** Held replies waiting for a reviewer at `t`, oldest first. */
export async function listPendingReviews(db: Executor, t: number, limit: number): Promise<ReviewInQueueDto[]> {
  const rows = await db
    .selectFrom('replyReviews as r')
    .innerJoin('tickets as t', 't.id', 'r.ticketId')
    .innerJoin('users as u', 'u.id', 'r.authorId')
    .select(['r.id', 'r.ticketId', 't.subject', 'r.authorId', 'u.name', 'r.createdAt'])
    .where('r.status', '=', 'pending')
    .orderBy('r.createdAt', 'asc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    reviewId: r.id,
    ticketId: r.ticketId,
    ticketSubject: r.subject,
    author: { id: r.authorId, name: r.name },
    createdAt: r.createdAt,
    waitingMs: Math.max(0, t - r.createdAt),
  }))
}

/** Active people with a shift running at `t`: one row per person, their shift that ends last. */
export async function listOnShiftNow(db: Executor, t: number, limit = 200): Promise<OnShiftDto[]> {
  const shifts = await db
    .selectFrom('shifts as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.id', 's.userId', 'u.name', 'u.role', 's.endsAt', 's.endedAt', 's.reviewRequired'])
    .where('s.endsAt', '>', t)
    .where((eb) => eb(eb.fn.coalesce('s.startedAt', 's.startsAt'), '<=', t))
    .where((eb) => eb.or([eb('s.endedAt', 'is', null), eb('s.endedAt', '>', t)]))
    .where('u.isActive', '=', 1)
    .orderBy('s.endsAt')
    .limit(limit)
    .execute()
  // Rows are ordered by end, so the last one kept per person is the shift that ends last.
  return [...new Map(shifts.map((s) => [s.userId, s])).values()].map((s) => ({
    userId: s.userId,
    shiftId: s.id,
    name: s.name,
    role: s.role as Role,
    until: s.endedAt ?? s.endsAt,
    reviewRequired: !!s.reviewRequired,
  }))
}
