import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { prepareDatabase } from '../apps/server/src/bootstrap.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import { createScratchDatabase } from '../apps/server/src/db/pg-scratch.ts'
import { seedDemoWorkspace, type DemoSeedResult } from '../apps/server/src/modules/demo/seed-demo.ts'

export type DbKind = 'sqlite' | 'postgres'
export const ADMIN = { email: 'bench-owner@bench.allhands.test', password: 'bench-password' }
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A throwaway database: a temp DATA_DIR for SQLite, or a fresh allhands_bench_<random> PostgreSQL database. */
export interface Target {
  kind: DbKind
  env: Record<string, string>
  drop(): Promise<void>
}

export async function createTarget(kind: DbKind): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-bench-'))
  const env: Record<string, string> = { DATA_DIR: dataDir, ALLHANDS_ADMIN_EMAIL: ADMIN.email, ALLHANDS_ADMIN_PASSWORD: ADMIN.password }
  if (kind === 'sqlite') return { kind, env, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
  const scratch = await createScratchDatabase(PG_ADMIN_URL, 'allhands_bench')
  env.DATABASE_URL = scratch.url
  return {
    kind,
    env,
    drop: async () => {
      await scratch.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A PostgreSQL database an earlier run seeded and kept (`--keep`): only the temporary DATA_DIR is removed afterwards. */
export function keptTarget(databaseUrl: string): Target {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-bench-'))
  return {
    kind: 'postgres',
    env: { DATA_DIR: dataDir, ALLHANDS_ADMIN_EMAIL: ADMIN.email, ALLHANDS_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: databaseUrl },
    drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  }
}

/** Migrates, creates the bench owner as the server would, then bulk-seeds demo-generator tickets. */
export async function seedTarget(target: Target, tickets: number, log: (line: string) => void): Promise<DemoSeedResult & { sizeMb: number }> {
  const database = await prepareDatabase(loadConfig({ ...target.env, LOG_LEVEL: 'warn' }), { operator: true })
  // Loading only: a 1 GB page cache keeps the eight ticket indexes in memory past a few hundred thousand tickets, and
  // rare checkpoints avoid rewriting the same pages again and again. The server later opens the file with its own settings.
  if (target.kind === 'sqlite') {
    await sql`PRAGMA cache_size = -1048576`.execute(database.db)
    await sql`PRAGMA wal_autocheckpoint = 100000`.execute(database.db)
  }
  // PostgreSQL loads a million rows far faster into bare tables: drop the secondary (non-unique) indexes of the big
  // tables, including the full-text GIN ones, and build them once after the load, as a bulk import would.
  const deferred =
    target.kind === 'postgres'
      ? (
          await sql<{ indexname: string; indexdef: string }>`
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('tickets', 'messages', 'contacts', 'ticket_tags', 'ticket_followers')
              AND indexdef NOT LIKE 'CREATE UNIQUE%'`.execute(database.db)
        ).rows
      : []
  for (const index of deferred) await sql`DROP INDEX ${sql.ref(index.indexname)}`.execute(database.db)
  try {
    let lastLog = 0
    const result = await seedDemoWorkspace(database, {
      tickets,
      longTickets: 20,
      onProgress: (done, total) => {
        if (performance.now() - lastLog < 5000 && done < total) return
        lastLog = performance.now()
        log(`  seeded ${done.toLocaleString('en')} / ${total.toLocaleString('en')} tickets`)
      },
      // Before the reports rebuild, which reads every ticket's messages by ticket: without their index each batch
      // scanned all of them (the rebuild of a million tickets took most of an hour).
      afterTickets: async () => {
        if (!deferred.length) return
        log(`  building ${deferred.length} indexes`)
        await database.db.connection().execute(async (conn) => {
          // Building a GIN index over a million documents outlasts the API's statement timeout on a busy machine.
          await sql`SET statement_timeout = 0`.execute(conn)
          await sql`SET maintenance_work_mem = '512MB'`.execute(conn)
          for (const index of deferred) await sql.raw(index.indexdef).execute(conn)
          await sql`ANALYZE`.execute(conn)
        })
      },
    })
    // Fold the WAL back into the file: a server opening a big WAL replays it first, which would count as cold start.
    if (target.kind === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(database.db)
    // The demo after the tickets changed the statistics' picture again.
    if (target.kind === 'postgres') await sql`ANALYZE`.execute(database.db)
    return { ...result, sizeMb: await databaseSizeMb(target, database.db) }
  } finally {
    await database.close()
  }
}

async function databaseSizeMb(target: Target, db: Parameters<typeof seedDemoWorkspace>[0]['db']): Promise<number> {
  if (target.kind === 'postgres') {
    const row = await sql<{ size: number }>`SELECT pg_database_size(current_database())::bigint AS size`.execute(db)
    return Math.round(Number(row.rows[0]?.size ?? 0) / 1e6)
  }
  const dir = target.env.DATA_DIR!
  const bytes = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0)
  return Math.round(bytes / 1e6)
}
