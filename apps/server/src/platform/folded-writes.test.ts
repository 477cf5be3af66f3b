import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createTestDatabase, TEST_DB } from '../../test/helpers.ts'
import type { Executor } from './context.ts'
import { foldingWrites } from './folded-writes.ts'

describe('folded writes', async () => {
  // A database of its own whose statements the test hears, so it can count them.
  const target = await createTestDatabase({ migrated: true })
  const statements: string[] = []
  const database = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, onQuery: (q) => statements.push(q.sql.toLowerCase()) })
  await migrateToLatest(database.db)
  const db = database.db
  afterAll(async () => {
    await database.close()
    await target.drop()
  })

  const blob = (on: Executor, hash: string) => on.insertInto('blobs').values({ hash, size: 1, createdAt: 0, content: null })

  it('runs writes nobody reads with the next statement: one round trip on PostgreSQL, each first on SQLite', async () => {
    await blob(db, 'fold-target').execute()
    statements.length = 0
    await db.transaction().execute(async (trx) => {
      // Built on the transaction, as every caller does (on SQLite another executor would wait for its connection).
      await (await foldingWrites(trx, [blob(trx, 'fold-a'), null, blob(trx, 'fold-b')]))
        .updateTable('blobs')
        .set({ size: 2 })
        .where('hash', '=', 'fold-target')
        .execute()
    })
    const work = statements.filter((s) => !/^(begin|commit)/.test(s))
    if (TEST_DB === 'postgres') {
      expect(work).toHaveLength(1)
      expect(work[0]).toMatch(/^with "folded_write_0" as \(insert into "blobs".*"folded_write_1" as \(insert into "blobs".*update "blobs"/)
    } else expect(work.map((s) => s.split(' ')[0])).toEqual(['insert', 'insert', 'update'])
    const rows = await db.selectFrom('blobs').select(['hash', 'size']).where('hash', 'like', 'fold-%').orderBy('hash').execute()
    expect(rows).toEqual([
      { hash: 'fold-a', size: 1 },
      { hash: 'fold-b', size: 1 },
      { hash: 'fold-target', size: 2 },
    ])
  })

  it('leaves the statement alone when there is nothing to fold', async () => {
    statements.length = 0
    await (await foldingWrites(db, [null])).updateTable('blobs').set({ size: 3 }).where('hash', '=', 'fold-target').execute()
    expect(statements).toEqual([expect.stringMatching(/^update "blobs"/)])
  })
})
