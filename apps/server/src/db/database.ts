import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import {
  type CompiledQuery,
  type Dialect as KyselyDialect,
  Kysely,
  type LogEvent,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
} from 'kysely'
import { camelCaseDialect, camelCaseResults } from './camel-case.ts'
import { type ConnectionHold, timingConnectionHolds } from './connection-holds.ts'
import pg from 'pg'
import { preparingPool } from './pg-prepared.ts'
import { startCheckpointer } from './sqlite-checkpointer.ts'
import type { DB } from './schema.ts'

export type Dialect = 'sqlite' | 'postgres'
export interface Database {
  db: Kysely<DB>
  dialect: Dialect
  close(): Promise<void>
}

/** Whether a Kysely instance or transaction talks to PostgreSQL, for code that has the executor but not the context. */
export const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

// bigint (epoch ms, counts) arrives as a string from pg; every value we store fits in a double.
pg.types.setTypeParser(20, (v) => Number(v))
pg.types.setTypeParser(1700, (v) => Number(v))

/** Opens PostgreSQL when a URL is given, else the embedded SQLite file in dataDir. */
export function openDatabase(opts: {
  databaseUrl: string | null
  dataDir: string
  poolSize?: number
  statementTimeoutMs?: number
  /** Hears every query run and how long it took (tooling: `bench/explain.ts` explains what a request ran). */
  onQuery?: (query: CompiledQuery, durationMs: number) => void
  /** Hears how long each transaction (or query outside one) had its connection, and waited for it. */
  onHold?: (hold: ConnectionHold) => void
}): Database {
  const timed = (dialect: KyselyDialect) => (opts.onHold ? timingConnectionHolds(dialect, opts.onHold) : dialect)
  const onQuery = opts.onQuery
  const log: { log?: (e: LogEvent) => void } = onQuery ? { log: (e) => e.level === 'query' && onQuery(e.query, e.queryDurationMillis) } : {}
  if (opts.databaseUrl) {
    // A runaway query is cancelled by PostgreSQL itself after the timeout (0 = none) instead of holding a connection.
    const timeout = opts.statementTimeoutMs ?? 30_000
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(timeout > 0 ? { statement_timeout: timeout } : {}),
      // Statements are prepared per connection (pg-prepared.ts); each execution is still planned for its parameters.
      options: '-c plan_cache_mode=force_custom_plan',
    })
    pool.on('error', () => {}) // idle client errors surface on the next query instead of crashing the process
    const db = new Kysely<DB>({
      dialect: timed(camelCaseDialect(new PostgresDialect({ pool: preparingPool(pool) }))),
      plugins: [camelCaseResults],
      ...log,
    })
    return { db, dialect: 'postgres', close: () => db.destroy() }
  }
  fs.mkdirSync(opts.dataDir, { recursive: true })
  const file = path.join(opts.dataDir, 'allhands.db')
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 16 MB of page cache keeps a million-ticket server under its memory budget (idle RSS ≤ 200 MB); the OS cache holds
  // the rest, a page away for the price of a read() instead of a disk seek.
  sqlite.pragma('cache_size = -16384')
  // SQLite plans from statistics it only gathers when asked: refresh them now (cheap, bounded) and on close.
  sqlite.pragma('optimize = 0x10002')
  // A log grown by a burst is cut back to 64 MB when the writer starts it over.
  sqlite.pragma('journal_size_limit = 67108864')
  const checkpointer = startCheckpointer(sqlite, file)
  const db = new Kysely<DB>({
    dialect: timed(camelCaseDialect(new SqliteDialect({ database: withStatementCache(sqlite) }))),
    plugins: [camelCaseResults],
    ...log,
  })
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await checkpointer.stop()
      sqlite.pragma('optimize')
      await db.destroy()
    },
  }
}

/**
 * better-sqlite3 compiles a statement on every prepare() and Kysely prepares each query it runs: on hot paths
 * (ingest, inbox lists) that compilation costs as much as running the query. Keeping the most recent statements
 * by their SQL text skips it. Safe because Kysely runs one query at a time on SQLite's single connection.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (stmt) cache.delete(sql)
      else stmt = sqlite.prepare(sql)
      cache.set(sql, stmt)
      if (cache.size > size) cache.delete(cache.keys().next().value!)
      return stmt
    },
  }
}
