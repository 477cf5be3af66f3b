import type { CompiledQuery } from 'kysely'
import type { ConnectionHold } from '../db/connection-holds.ts'

/**
 * DATABASE_SLOW_QUERY_MS: what holds a process up for at least that long, as warn lines (pino's JSON, like the
 * server's log) on stderr: slow queries, transactions that held their connection, and the event loop blocked.
 */

/**
 * Writes a warn line for each query that took at least `thresholdMs`: the SQL
 * and the time, never the parameters (they hold customer data). The time is the query's own, from the moment it had
 * a connection: on SQLite that is also how long it held the event loop.
 */
export function slowQueryLog(thresholdMs: number) {
  return (query: CompiledQuery, durationMs: number) => {
    if (durationMs < thresholdMs) return
    warn({ msg: 'slow query', ms: Math.round(durationMs), sql: query.sql.slice(0, 2000) })
  }
}

/**
 * The same threshold for a transaction's hold on its connection: on SQLite everything else waits for it, however quick
 * each of its statements. Logs how long it held and waited, how many statements it ran, and its slowest one.
 */
export function slowTransactionLog(thresholdMs: number) {
  return (hold: ConnectionHold) => {
    if (hold.queries < 2 || hold.holdMs < thresholdMs) return
    warn({
      msg: 'slow transaction',
      ms: Math.round(hold.holdMs),
      waitMs: Math.round(hold.waitMs),
      queries: hold.queries,
      slowestMs: Math.round(hold.slowestMs),
      slowestSql: hold.slowestSql.slice(0, 2000),
    })
  }
}

function warn(fields: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, ...fields })}\n`)
}

/**
 * Notices the event loop blocked for at least `thresholdMs` (a timer that fired that much late) and says so, with how
 * long: a stall no query explains (a synchronous parse, a garbage collection, a fsync on SQLite's connection).
 */
export function watchEventLoop(thresholdMs: number): () => void {
  const EVERY_MS = 20
  let last = performance.now()
  const timer = setInterval(() => {
    const at = performance.now()
    const late = at - last - EVERY_MS
    last = at
    if (late >= thresholdMs) warn({ msg: 'event loop blocked', ms: Math.round(late) })
  }, EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
