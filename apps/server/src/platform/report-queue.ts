import type { QueryCreator } from 'kysely'
import type { DB } from '../db/schema.ts'
import { now } from './clock.ts'
import type { Executor } from './context.ts'
import { foldingWrites } from './folded-writes.ts'

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
  const ids = unmarked(db, ticketIds)
  if (ids.length) await markStatement(db, ids).execute()
}

/**
 * markForReports folded into the statement the caller runs next (foldingWrites: on PostgreSQL a CTE of it, a round
 * trip less on the hottest writes, every message). The caller must run that statement.
 */
export function markingForReports(db: Executor, ticketIds: readonly number[]): Promise<QueryCreator<DB>> {
  const ids = unmarked(db, ticketIds)
  return foldingWrites(db, [ids.length ? markStatement(db, ids) : null])
}

/** The tickets not marked yet in this transaction, now counted as marked. A transaction marks each ticket once. */
function unmarked(db: Executor, ticketIds: readonly number[]): number[] {
  const marked = db.isTransaction ? markedIn(db) : null
  const ids = [...new Set(ticketIds)].filter((id) => !marked?.has(id))
  for (const id of ids) marked?.add(id)
  return ids
}

function markStatement(db: Executor, ids: number[]) {
  const t = now()
  return db
    .insertInto('reportDirtyTickets')
    .values(ids.map((ticketId) => ({ ticketId, markedAt: t })))
    .onConflict((oc) => oc.column('ticketId').doNothing())
}
