import { AsyncLocalStorage } from 'node:async_hooks'
import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'

/** Statements kept prepared per connection; the least recently used one is deallocated beyond it. */
export const PREPARED_PER_CONNECTION = 200

interface Prepared {
  /** SQL text → its statement name, and when it was last used (by `uses`). */
  names: Map<string, { name: string; usedAt: number }>
  /** Statements run by name on this connection so far: the clock of `usedAt`. */
  uses: number
  next: number
  inTransaction: boolean
}

const statesByClient = new WeakMap<pg.PoolClient, Prepared>()

const genericPlans = new AsyncLocalStorage<true>()

/**
 * Transactions begun inside `work` let PostgreSQL reuse one generic plan per prepared statement (`plan_cache_mode =
 * auto` for that transaction alone, set by the BEGIN's own round trip): after five executions planned for their
 * parameters, a statement whose generic plan costs no more is no longer planned again. For work made of statements
 * whose best plan does not depend on the values (inserts, lookups by key, counts along one index): mail routing plans
 * each of its statements anew otherwise, and planning was a third of its statements' time in PostgreSQL. Lists, search
 * and reports, whose plans do depend on the values (a rare status, a common word), stay outside. No effect on SQLite.
 */
export function withGenericPlans<T>(work: () => Promise<T>): Promise<T> {
  return genericPlans.run(true, work)
}

/**
 * node-postgres sends every query unnamed, so PostgreSQL parses, analyses and describes the same SQL again each time
 * (a third of a simple query's cost). This pool names each parameterized statement per connection instead, so it is
 * parsed once per connection and then only bound and executed, as better-sqlite3's statement cache does for SQLite
 * (`withStatementCache`). Plans stay as before: the connections use `plan_cache_mode = force_custom_plan`
 * (see `openDatabase`), so every execution is planned for its parameters, exactly like an unnamed statement.
 *
 * Bounded: at most PREPARED_PER_CONNECTION statements per connection. Beyond that the least recently used one is
 * deallocated, between transactions only (inside one, a new statement simply runs unnamed). A named query that fails
 * is not named again under the same name: its statement may be half-parsed, or invalid after a schema change by
 * another node ("cached plan must not change result type"); the next use prepares it afresh.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => preparingClient(await pool.connect()),
    end: () => pool.end(),
  }
}

function preparingClient(client: pg.PoolClient): PostgresPoolClient {
  let state = statesByClient.get(client)
  if (!state) {
    state = { names: new Map(), uses: 0, next: 0, inTransaction: false }
    statesByClient.set(client, state)
  }
  const s = state
  const query = (text: string, values: readonly unknown[]) => {
    if (!values.length) {
      // Kysely's own transaction statements ("rollback to savepoint …" stays inside the transaction).
      const command = text.length <= 60 ? text.trim().toLowerCase() : ''
      if (command === 'begin' || command.startsWith('start transaction')) {
        s.inTransaction = true
        // Two statements in one simple query: one round trip. SET LOCAL ends with the transaction.
        if (genericPlans.getStore())
          return client.query(`${text}; SET LOCAL plan_cache_mode = auto`).then((results) => (Array.isArray(results) ? results[0] : results))
      } else if (command === 'commit' || command === 'rollback') s.inTransaction = false
    }
    const name = values.length ? statementName(client, s, text) : null
    if (!name) return client.query(text, [...values])
    return client.query({ name, text, values: [...values] }).catch((err: unknown) => {
      if (s.names.get(text)?.name === name) s.names.delete(text)
      throw err
    })
  }
  return {
    // Cursors (streamed results) pass through unchanged.
    query: ((textOrCursor: string | object, values?: readonly unknown[]) =>
      typeof textOrCursor === 'string' ? query(textOrCursor, values ?? []) : client.query(textOrCursor as never)) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  }
}

/**
 * The name this connection knows the statement by, a new one, or null to run it unnamed. A use only stamps the entry
 * (every statement of every request comes here); the least recently used one is looked for when one must go.
 */
function statementName(client: pg.PoolClient, s: Prepared, text: string): string | null {
  const known = s.names.get(text)
  if (known) {
    known.usedAt = ++s.uses
    return known.name
  }
  if (s.names.size >= PREPARED_PER_CONNECTION) {
    if (s.inTransaction) return null
    let oldest: [string, { name: string; usedAt: number }] | undefined
    for (const entry of s.names) if (!oldest || entry[1].usedAt < oldest[1].usedAt) oldest = entry
    s.names.delete(oldest![0])
    // Outside a transaction a failed DEALLOCATE (the statement never got parsed) harms nothing.
    client.query(`DEALLOCATE ${oldest![1].name}`).catch(() => {})
  }
  const name = `ah_${(s.next++).toString(36)}`
  s.names.set(text, { name, usedAt: ++s.uses })
  return name
}
