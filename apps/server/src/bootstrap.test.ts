import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_DB } from '../test/helpers.ts'
import { prepareDatabase } from './bootstrap.ts'
import { loadConfig } from './config.ts'

/** PostgreSQL cancels a runaway API query itself; workers and operator commands may run long statements. */
describe.skipIf(TEST_DB !== 'postgres')('statement timeout per role', async () => {
  const target = await createTestDatabase()
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
