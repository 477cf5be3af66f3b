import { now } from './clock.ts'
import type { Executor } from './context.ts'

/**
 * Marks tickets whose report facts must be recomputed, in the caller's transaction. Call it from every
 * write that changes what reports say about a ticket (messages, status, merges, ratings, risk, category);
 * the reports module drains the queue, so the order of writes never matters.
 */
export async function markForReports(db: Executor, ticketIds: readonly number[]): Promise<void> {
  const ids = [...new Set(ticketIds)]
  if (!ids.length) return
  const t = now()
  await db
    .insertInto('reportDirtyTickets')
    .values(ids.map((ticketId) => ({ ticketId, markedAt: t })))
    .onConflict((oc) => oc.column('ticketId').doNothing())
    .execute()
}
