import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_DB } from '../test/helpers.ts'
import { prepareDatabase } from './bootstrap.ts'
import { loadConfig } from './config.ts'

/** PostgreSQL cancels a runaway API query itself; workers and operator commands may run long statements. */
describe.skipIf(TEST_DB !== 'postgres')('statement timeout per role', async () => {
  // Already migrated: opening as a web node migrates under the 100 ms timeout, which a loaded machine can exceed.
  const target = await createTestDatabase({ migrated: true })
  afterAll(() => target.drop())
  const open = (role: string, opts: { operator?: boolean } = {}) =>
    prepareDatabase(
      loadConfig({
        DATA_DIR: target.dataDir,
        DATABASE_URL: target.databaseUrl!,
        ALLHANDS_ROLE: role,
        DATABASE_STATEMENT_TIMEOUT_MS: '100',
        LOG_LEVEL: 'silent',
      }),
      opts,
    )

  it('cancels a slow statement of a web node, lets a worker and the CLI finish theirs', async () => {
    for (const [role, operator, cancelled] of [
      ['web', false, true],
      ['all', false, true],
      ['worker', false, false],
      ['all', true, false],
    ] as const) {
      const database = await open(role, { operator })
      try {
        const run = sql`SELECT pg_sleep(0.3)`.execute(database.db)
        if (cancelled) await expect(run).rejects.toThrow(/statement timeout/)
        else await expect(run).resolves.toBeTruthy()
      } finally {
        await database.close()
      }
    }
  })
})

/** DATABASE_SLOW_QUERY_MS: an operator finds the queries that hold the database (and SQLite's event loop) too long. */
describe('slow query log', async () => {
  const target = await createTestDatabase()
  afterAll(() => target.drop())
  const open = (slowMs: string) =>
    prepareDatabase(
      loadConfig({ DATA_DIR: target.dataDir, ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}), DATABASE_SLOW_QUERY_MS: slowMs }),
    )

  it('writes a warn line with the SQL and the time of a query over the threshold, without its parameters; 0 logs nothing', async () => {
    // A recursive count that takes well over a millisecond on both databases.
    const slow = (db: Awaited<ReturnType<typeof open>>['db']) =>
      sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${300_000}) SELECT count(*) AS c FROM n`.execute(db)
    const unlogged = await capturingStderr(async () => {
      const quiet = await open('0')
      await slow(quiet.db)
      await quiet.close()
    })
    expect(unlogged.filter((l) => l.includes('slow'))).toEqual([])
    const lines = await capturingStderr(async () => {
      const logged = await open('1')
      await slow(logged.db)
      await logged.close()
    })
    const entries = lines.filter((l) => l.includes('slow query')).map((l) => JSON.parse(l))
    const recursive = entries.find((e) => e.sql.includes('WITH RECURSIVE'))
    expect(recursive).toMatchObject({ level: 40, msg: 'slow query' })
    expect(recursive.ms).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(entries)).not.toContain('300000')
  })

  it('logs a transaction that held its connection over the threshold though each of its statements was quick', async () => {
    const logged = await open('40')
    const lines = await capturingStderr(async () => {
      await logged.db.transaction().execute(async (trx) => {
        await sql`SELECT 1 AS one`.execute(trx)
        await new Promise((r) => setTimeout(r, 60))
        await sql`SELECT 2 AS two`.execute(trx)
      })
      // Quick ones are not logged.
      await logged.db.transaction().execute(async (trx) => sql`SELECT 3 AS three`.execute(trx))
    })
    await logged.close()
    const entries = lines.filter((l) => l.includes('slow transaction')).map((l) => JSON.parse(l))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ level: 40, msg: 'slow transaction' })
    expect(entries[0].ms).toBeGreaterThanOrEqual(55)
    // BEGIN, the two selects, COMMIT.
    expect(entries[0].queries).toBe(4)
    expect(entries[0].slowestMs).toBeLessThan(40)
    expect(lines.join('')).not.toContain('slow query')
  })
})

async function capturingStderr(work: () => Promise<void>): Promise<string[]> {
  const lines: string[] = []
  const write = process.stderr.write
  process.stderr.write = ((chunk: string) => {
    lines.push(String(chunk))
    return true
  }) as typeof process.stderr.write
  try {
    await work()
  } finally {
    process.stderr.write = write
  }
  return lines
}
