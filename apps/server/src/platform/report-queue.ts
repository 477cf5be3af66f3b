import { now } from './clock.ts'
import type { Executor } from './context.ts'

/** Tickets already marked in an open transaction (forgotten with the transaction, committed or rolled back). */
const markedByTransaction = new WeakMap<Executor, Set<number>>()

function markedIn(trx: Executor): Set<number> {
  let marked = markedByTransaction.get(trx)
  if (!marked) {
    marked = new Set()
    markedByTransaction.set(trx, marked)
  }
  return marked
}

/**
 * Marks tickets whose report facts must be recomputed, in the caller's transaction. Call it from every
 * write that changes what reports say about a ticket (messages, status, merges, ratings, risk, category);
 * the reports module drains the queue, so the order of writes never matters.
 */
export async function markForReports(db: Executor, ticketIds: readonly number[]): Promise<void> {
  await reportMark(db, ticketIds)?.execute()
}

/**
 * markForReports's statement, not run (null when every ticket is marked in this transaction already): for
 * foldingWrites, which runs it with the caller's next statement (on PostgreSQL as a CTE of it, a round trip less on
 * the hottest writes: every message). The caller must run it.
 */
export function reportMark(db: Executor, ticketIds: readonly number[]) {
  // A transaction marks each ticket once (one new ticket is marked by its message and again by its risk assessment).
  const marked = db.isTransaction ? markedIn(db) : null
  const ids = [...new Set(ticketIds)].filter((id) => !marked?.has(id))
  if (!ids.length) return null
  for (const id of ids) marked?.add(id)
  const t = now()
  return db
    .insertInto('reportDirtyTickets')
    .values(ids.map((ticketId) => ({ ticketId, markedAt: t })))
    .onConflict((oc) => oc.column('ticketId').doNothing())
}
