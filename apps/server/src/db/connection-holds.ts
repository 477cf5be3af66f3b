import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely'

/**
 * How long a unit of work had a database connection: a transaction, or a single query outside one. On SQLite the
 * one connection is the whole database for the process, so a transaction that holds it 300 ms with no slow statement
 * of its own still makes every request and chat message behind it wait 300 ms; the slow-query log cannot see that.
 */
export interface ConnectionHold {
  /** From asking for the connection to having it (the pool's or SQLite's queue). */
  waitMs: number
  /** From having the connection to giving it back. */
  holdMs: number
  /** Statements run meanwhile (a transaction's BEGIN and COMMIT included). */
  queries: number
  /** The slowest of them, and its SQL. */
  slowestMs: number
  slowestSql: string
}

interface Tally {
  queries: number
  slowestMs: number
  slowestSql: string
}

/** The dialect with every connection's hold timed and handed to `onHold` when it is released. */
export function timingConnectionHolds(dialect: Dialect, onHold: (hold: ConnectionHold) => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new HoldTimingDriver(dialect.createDriver(), onHold),
  }
}

class HoldTimingDriver implements Driver {
  readonly #inner: Driver
  readonly #onHold: (hold: ConnectionHold) => void
  /** Each connection's current hold, which its queries add to. */
  readonly #held = new WeakMap<DatabaseConnection, { waitMs: number; since: number; tally: Tally }>()
  /** Connections whose executeQuery is wrapped already (they are long-lived: wrapped once). */
  readonly #counted = new WeakSet<DatabaseConnection>()

  constructor(inner: Driver, onHold: (hold: ConnectionHold) => void) {
    this.#inner = inner
    this.#onHold = onHold
  }

  init(): Promise<void> {
    return this.#inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const asked = performance.now()
    const connection = await this.#inner.acquireConnection()
    const since = performance.now()
    if (!this.#counted.has(connection)) this.#countQueries(connection)
    this.#held.set(connection, { waitMs: since - asked, since, tally: { queries: 0, slowestMs: 0, slowestSql: '' } })
    return connection
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const held = this.#held.get(connection)
    this.#held.delete(connection)
    await this.#inner.releaseConnection(connection)
    if (held) this.#onHold({ waitMs: held.waitMs, holdMs: performance.now() - held.since, ...held.tally })
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection)
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#savepoints().savepoint(connection, name, compile)
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#savepoints().rollbackToSavepoint(connection, name, compile)
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#savepoints().releaseSavepoint(connection, name, compile)
  }

  destroy(): Promise<void> {
    return this.#inner.destroy()
  }

  #savepoints(): Required<Pick<Driver, 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'>> {
    const { savepoint, rollbackToSavepoint, releaseSavepoint } = this.#inner
    if (!savepoint || !rollbackToSavepoint || !releaseSavepoint) throw new Error('This database driver has no savepoints')
    return {
      savepoint: savepoint.bind(this.#inner),
      rollbackToSavepoint: rollbackToSavepoint.bind(this.#inner),
      releaseSavepoint: releaseSavepoint.bind(this.#inner),
    }
  }

  /** Wraps the connection's executeQuery once: each query adds to the tally of the connection's current hold. */
  #countQueries(connection: DatabaseConnection): void {
    this.#counted.add(connection)
    const execute = connection.executeQuery.bind(connection)
    const held = this.#held
    connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      const started = performance.now()
      try {
        return await execute<R>(query)
      } finally {
        const tally = held.get(connection)?.tally
        if (tally) {
          const ms = performance.now() - started
          tally.queries++
          if (ms > tally.slowestMs) {
            tally.slowestMs = ms
            tally.slowestSql = query.sql
          }
        }
      }
    }
  }
}
