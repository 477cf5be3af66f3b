import type { MonitoringOverviewDto, RiskLevel, Role, TicketStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { canMonitor } from '../../platform/policy.ts'
import { listAllActiveRideAlongs } from '../ride-alongs/index.ts'
import { UNSOLVED } from '../tickets/tickets.queries.ts'

/** Opening the dashboard is audited at most once per person in this window. */
export const MONITORING_AUDIT_WINDOW_MS = 5 * 60_000
const LIST_LIMIT = 50

/** The dashboard counts waiting customers up to this many and shows "1,000+" beyond. */
export const WAITING_COUNT_CAP = 1000

/**
 * What a lead watches: conversations with recent activity and who is in them, customers waiting for
 * an answer (longest first), replies waiting for review (oldest first), who is on shift, ride-alongs.
 */
export async function monitoringOverview(ctx: Ctx, actor: Actor, windowMinutes: number): Promise<MonitoringOverviewDto> {
  if (!canMonitor(actor)) throw forbidden('open the monitoring dashboard', 'admins and full agents only')
  const t = now()
  await auditDashboardOpened(ctx, actor, t)
  const db = ctx.db

  const presence = new Map(ctx.realtime.openTickets().map((p) => [p.ticketId, p.users]))
  const since = t - windowMinutes * 60_000
  const ticketColumns = ['t.id', 't.subject', 't.status', 't.riskLevel', 't.assigneeId', 'a.name as assigneeName', 't.lastMessageAt'] as const
  const recent = await db
    .selectFrom('tickets as t')
    .leftJoin('users as a', 'a.id', 't.assigneeId')
    .select(ticketColumns)
    .where('t.lastMessageAt', '>=', since)
    .where('t.mergedIntoId', 'is', null)
    .orderBy('t.lastMessageAt', 'desc')
    .limit(LIST_LIMIT)
    .execute()
  const missing = [...presence.keys()].filter((id) => !recent.some((r) => r.id === id))
  const opened = missing.length
    ? await db.selectFrom('tickets as t').leftJoin('users as a', 'a.id', 't.assigneeId').select(ticketColumns).where('t.id', 'in', missing).execute()
    : []
  const liveConversations = [...recent, ...opened]
    .map((r) => ({
      ticketId: r.id,
      subject: r.subject,
      status: r.status as TicketStatus,
      riskLevel: r.riskLevel as RiskLevel,
      assignee: r.assigneeId !== null ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
      lastMessageAt: r.lastMessageAt,
      people: presence.get(r.id) ?? [],
    }))
    // Conversations someone is in right now come first, then by latest activity.
    .sort((a, b) => Number(b.people.length > 0) - Number(a.people.length > 0) || b.lastMessageAt - a.lastMessageAt)

  // The customer spoke last on an unsolved ticket: they are waiting for us.
  const waitingQuery = db
    .selectFrom('tickets as t')
    .innerJoin('messages as m', 'm.id', 't.lastMessageId')
    .where('t.status', 'in', UNSOLVED)
    .where('t.mergedIntoId', 'is', null)
    .where('m.kind', '=', 'customer')
  const waitingRows = await waitingQuery
    .leftJoin('users as a', 'a.id', 't.assigneeId')
    .select(ticketColumns)
    .orderBy('t.lastMessageAt', 'asc')
    .limit(LIST_LIMIT)
    .execute()
  // Counting every waiting customer costs a join per unsolved ticket (half a second at a million tickets): stop at the cap.
  const waitingTotal = await db
    .selectFrom(
      waitingQuery
        .select('t.id')
        .limit(WAITING_COUNT_CAP + 1)
        .as('w'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()

  const reviews = await db
    .selectFrom('replyReviews as r')
    .innerJoin('tickets as t', 't.id', 'r.ticketId')
    .innerJoin('users as u', 'u.id', 'r.authorId')
    .select(['r.id', 'r.ticketId', 't.subject', 'r.authorId', 'u.name', 'r.createdAt'])
    .where('r.status', '=', 'pending')
    .orderBy('r.createdAt', 'asc')
    .limit(LIST_LIMIT)
    .execute()

  const shifts = await db
    .selectFrom('shifts as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.id', 's.userId', 'u.name', 'u.role', 's.endsAt', 's.endedAt', 's.reviewRequired'])
    .where('s.endsAt', '>', t)
    .where((eb) => eb(eb.fn.coalesce('s.startedAt', 's.startsAt'), '<=', t))
    .where((eb) => eb.or([eb('s.endedAt', 'is', null), eb('s.endedAt', '>', t)]))
    .where('u.isActive', '=', 1)
    .orderBy('s.endsAt')
    .limit(200)
    .execute()

  return {
    generatedAt: t,
    windowMinutes,
    liveConversations,
    waiting: waitingRows.map((r) => ({
      ticketId: r.id,
      subject: r.subject,
      status: r.status as TicketStatus,
      riskLevel: r.riskLevel as RiskLevel,
      assignee: r.assigneeId !== null ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
      waitingSince: r.lastMessageAt,
      waitingMs: Math.max(0, t - r.lastMessageAt),
    })),
    waitingTotal: Number(waitingTotal.n),
    inReview: reviews.map((r) => ({
      reviewId: r.id,
      ticketId: r.ticketId,
      ticketSubject: r.subject,
      author: { id: r.authorId, name: r.name },
      createdAt: r.createdAt,
      waitingMs: Math.max(0, t - r.createdAt),
    })),
    // One row per person: their shift that ends last (rows are ordered by end).
    onShift: [...new Map(shifts.map((s) => [s.userId, s])).values()].map((s) => ({
      userId: s.userId,
      shiftId: s.id,
      name: s.name,
      role: s.role as Role,
      until: s.endedAt ?? s.endsAt,
      reviewRequired: !!s.reviewRequired,
    })),
    rideAlongs: await listAllActiveRideAlongs(db, LIST_LIMIT),
  }
}

/** Watching customers' conversations is itself watched: one audit entry per person per few minutes. */
async function auditDashboardOpened(ctx: Ctx, actor: Actor, t: number): Promise<void> {
  const recent = await ctx.db
    .selectFrom('auditLog')
    .select('id')
    .where('targetType', '=', 'monitoring')
    .where('targetId', 'is', null)
    .where('actorId', '=', actor.id)
    .where('action', '=', 'monitoring.viewed')
    .where('createdAt', '>', t - MONITORING_AUDIT_WINDOW_MS)
    .limit(1)
    .executeTakeFirst()
  if (!recent) await recordAudit(ctx.db, { actorId: actor.id, action: 'monitoring.viewed', targetType: 'monitoring', targetId: null })
}
