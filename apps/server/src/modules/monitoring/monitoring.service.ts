import type { MonitoringOverviewDto, RiskLevel, TicketStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { canMonitor } from '../../platform/policy.ts'
import { listAllActiveRideAlongs } from '../ride-alongs/index.ts'
import { countWaitingTickets, listOnShiftNow, listPendingReviews, waitingTickets } from './monitoring.queries.ts'

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

  const waitingRows = await waitingTickets(db)
    .leftJoin('users as a', 'a.id', 't.assigneeId')
    .select(ticketColumns)
    .orderBy('t.lastMessageAt', 'asc')
    .limit(LIST_LIMIT)
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
    waitingTotal: await countWaitingTickets(db, WAITING_COUNT_CAP),
    inReview: await listPendingReviews(db, t, LIST_LIMIT),
    onShift: await listOnShiftNow(db, t),
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
