import type { LiveOverdueConsultDto, LiveStatusCountDto, LiveWaitingTicketDto, RiskLevel, TicketStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { RANK } from '../consults/consults.queries.ts'
import { UNSOLVED } from '../tickets/tickets.queries.ts'
import { cappedCountQuery } from '../../platform/capped-count.ts'

const QUESTION_PREVIEW = 200

/**
 * Tickets in one status, counted up to `cap + 1` through the (status, updated_at, id) index. Merged
 * tickets are closed, so no unsolved status needs the merged filter (which would cost a row read each).
 */
export const countStatusQuery = (db: Executor, status: TicketStatus, cap: number) =>
  cappedCountQuery(db, db.selectFrom('tickets').select('id').where('status', '=', status), cap)

/** Unsolved tickets per status (new, open, pending, on hold), each count capped. */
export async function countOpenByStatus(db: Executor, cap: number): Promise<LiveStatusCountDto[]> {
  return Promise.all(
    UNSOLVED.map(async (status) => {
      const row = await countStatusQuery(db, status, cap).executeTakeFirstOrThrow()
      return { status, count: Number(row.n) }
    }),
  )
}

/**
 * The customers waiting longest, from the report facts: an open solve cycle keeps since when its customer has been
 * waiting (set by their message, cleared by a reply), on the (is_open, waiting_since) index. A few rows however large
 * the backlog, where walking unsolved tickets in order had to pass every pending one waiting on the customer. Facts
 * follow writes within seconds (the dashboard drains the report queue first); the ticket's status is checked here too.
 */
export const longestWaitingQuery = (db: Executor, limit: number) =>
  db
    .selectFrom('reportCycles as rc')
    .innerJoin('tickets as t', 't.id', 'rc.ticketId')
    .innerJoin('contacts as c', 'c.id', 't.requesterId')
    .leftJoin('users as a', 'a.id', 't.assigneeId')
    .select([
      't.id',
      't.subject',
      't.status',
      't.riskLevel',
      't.requesterId',
      'c.name as requesterName',
      't.assigneeId',
      'a.name as assigneeName',
      'rc.waitingSince',
    ])
    .where('rc.isOpen', '=', 1)
    .where('rc.waitingSince', 'is not', null)
    .where('t.status', 'in', [...UNSOLVED])
    .where('t.mergedIntoId', 'is', null)
    .orderBy('rc.waitingSince', 'asc')
    .limit(limit)

/** The customers waiting longest (unsolved, nobody has answered their last message), oldest first, with who asked. */
export async function listLongestWaiting(db: Executor, t: number, limit: number): Promise<LiveWaitingTicketDto[]> {
  const rows = await longestWaitingQuery(db, limit).execute()
  return rows.map((r) => ({
    ticketId: r.id,
    subject: r.subject,
    status: r.status as TicketStatus,
    riskLevel: r.riskLevel as RiskLevel,
    requester: { id: r.requesterId, name: r.requesterName },
    assignee: r.assigneeId !== null ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
    waitingSince: r.waitingSince!,
    waitingMs: Math.max(0, t - r.waitingSince!),
  }))
}

/** Consults still waiting for an answer past their due time, most overdue first, read along the (sort_rank, due_at, id) index. */
export const overdueConsultsQuery = (db: Executor, t: number, limit: number) =>
  db
    .selectFrom('consults as c')
    .innerJoin('tickets as t', 't.id', 'c.ticketId')
    .innerJoin('users as asker', 'asker.id', 'c.askedById')
    .leftJoin('teams as team', 'team.id', 'c.teamId')
    .leftJoin('users as a', 'a.id', 'c.assigneeId')
    .select([
      'c.id',
      'c.ticketId',
      't.subject',
      'c.question',
      'c.askedById',
      'asker.name as askerName',
      'c.teamId',
      'team.name as teamName',
      'c.assigneeId',
      'a.name as assigneeName',
      'c.dueAt',
    ])
    .where('c.sortRank', '=', RANK.open)
    .where('c.dueAt', '<=', t)
    .orderBy('c.sortRank')
    .orderBy('c.dueAt', 'asc')
    .orderBy('c.id', 'asc')
    .limit(limit)

export async function listOverdueConsults(db: Executor, t: number, limit: number): Promise<LiveOverdueConsultDto[]> {
  const rows = await overdueConsultsQuery(db, t, limit).execute()
  return rows.map((r) => ({
    consultId: r.id,
    ticketId: r.ticketId,
    ticketSubject: r.subject,
    question: r.question.length > QUESTION_PREVIEW ? `${r.question.slice(0, QUESTION_PREVIEW - 1)}…` : r.question,
    askedBy: { id: r.askedById, name: r.askerName },
    team: r.teamId !== null ? { id: r.teamId, name: r.teamName ?? '' } : null,
    assignee: r.assigneeId !== null ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
    dueAt: r.dueAt,
    overdueMs: Math.max(0, t - r.dueAt),
  }))
}
