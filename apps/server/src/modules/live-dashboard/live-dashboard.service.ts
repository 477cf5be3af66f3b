import type { LiveDashboardDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { listOnShiftNow, listPendingReviews, WAITING_COUNT_CAP } from '../monitoring/index.ts'
import { countWaiting, drainReportQueue } from '../reports/index.ts'
import { COUNT_CAP } from '../tickets/views.service.ts'
import { countOpenByStatus, listLongestWaiting, listOverdueConsults } from './live-dashboard.queries.ts'
import { canViewLiveDashboard } from './live-dashboard.policy.ts'

/** Each list on the dashboard shows this many rows: the ones that need someone first. */
export const LIVE_LIST_LIMIT = 10

/**
 * Support right now: unsolved tickets by status, the customers waiting longest, held replies, overdue
 * consults and who is on shift. Every read is bounded (capped counts, short lists on an index).
 */
export async function liveDashboard(ctx: Ctx, actor: Actor): Promise<LiveDashboardDto> {
  if (!canViewLiveDashboard(actor)) throw forbidden('open the live dashboard', 'support agents and admins only')
  // Waiting customers are read from the report facts: bring them up to date first (one bounded batch).
  await drainReportQueue(ctx)
  const t = now()
  const db = ctx.db
  const [openByStatus, waiting, waitingTotal, inReview, consultsOverdue, onShift] = await Promise.all([
    countOpenByStatus(db, COUNT_CAP),
    listLongestWaiting(db, t, LIVE_LIST_LIMIT),
    countWaiting(db, { kind: 'all', id: null }, t + 1, WAITING_COUNT_CAP),
    listPendingReviews(db, t, LIVE_LIST_LIMIT),
    listOverdueConsults(db, t, LIVE_LIST_LIMIT),
    listOnShiftNow(db, t),
  ])
  return { generatedAt: t, countCap: COUNT_CAP, openByStatus, waiting, waitingTotal, waitingCap: WAITING_COUNT_CAP, inReview, consultsOverdue, onShift }
}
