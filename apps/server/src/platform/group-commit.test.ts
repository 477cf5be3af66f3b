import { AsyncLocalStorage } from 'node:async_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.ts'
import { buildTestApp, createTestDatabase, TEST_DB } from '../../test/helpers.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { Ctx } from './context.ts'
import { inGroupCommit } from './group-commit.ts'
import type { DomainEvent } from './realtime.ts'

describe('group commit', async () => {
  const app = await buildTestApp()
  // A database of its own whose statements the test hears, so it can count the commits.
  const target = await createTestDatabase({ migrated: true })
  const statements: string[] = []
  const database = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, onQuery: (q) => statements.push(q.sql.toLowerCase()) })
  await migrateToLatest(database.db)
  const published: DomainEvent[] = []
  const ctx: Ctx = {
    ...app.ctx,
    db: database.db,
    dialect: database.dialect,
    realtime: { publish: (e: DomainEvent) => published.push(e) } as unknown as Ctx['realtime'],
  }
  afterAll(async () => {
    await database.close()
    await target.drop()
  })

  const blob = (hash: string) => ctx.db.insertInto('blobs').values({ hash, size: 1, createdAt: 0 }).execute()
  const stored = async (prefix: string) =>
    (await ctx.db.selectFrom('blobs').select('hash').where('hash', 'like', `${prefix}%`).orderBy('hash').execute()).map((r) => r.hash)
  const event = (n: number): DomainEvent => ({ type: 'ticket.updated', ticketId: n, teamId: null }) as unknown as DomainEvent

  it('gives concurrent work one commit on SQLite (one each on PostgreSQL), each caller its own result, events after the commit', async () => {
    statements.length = 0
    published.length = 0
    const publishedBefore: number[] = []
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        inGroupCommit(ctx, async (trx, emit) => {
          publishedBefore.push(published.length)
          await trx
            .insertInto('blobs')
            .values({ hash: `a-${n}`, size: n, createdAt: 0 })
            .execute()
          emit(event(n))
          return n * 10
        }),
      ),
    )
    expect(results).toEqual([10, 20, 30, 40, 50])
    expect(await stored('a-')).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5'])
    expect(published).toHaveLength(5)
    if (TEST_DB === 'postgres') expect(statements.filter((s) => s === 'commit').length).toBe(5)
    else {
      expect(statements.filter((s) => s === 'commit').length).toBe(1)
      // The batch's work all ran before its one commit, so nothing of it was published yet.
      expect(publishedBefore).toEqual([0, 0, 0, 0, 0])
    }
  })

  it('fails only the unit that threw: the others are kept, and no event of the failed one is published', async () => {
    published.length = 0
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        inGroupCommit(ctx, async (trx, emit) => {
          await trx
            .insertInto('blobs')
            .values({ hash: `b-${n}`, size: n, createdAt: 0 })
            .execute()
          emit(event(n))
          if (n === 2) throw new Error('unit 2 failed')
          return n
        }),
      ),
    )
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('unit 2 failed')
    expect(await stored('b-')).toEqual(['b-1', 'b-3'])
    expect(published.map((e) => (e as unknown as { ticketId: number }).ticketId).sort()).toEqual([1, 3])
  })

  it('rejects a unit whose own statement fails, with the database’s error, and keeps the rest', async () => {
    await blob('c-taken')
    const outcomes = await Promise.allSettled(
      ['c-1', 'c-taken', 'c-2'].map((hash) => inGroupCommit(ctx, (trx) => trx.insertInto('blobs').values({ hash, size: 1, createdAt: 0 }).execute())),
    )
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/unique|duplicate key/i)
    expect(await stored('c-')).toEqual(['c-1', 'c-2', 'c-taken'])
  })

  it('runs each unit in its own caller’s async context (the request an audit record names)', async () => {
    const caller = new AsyncLocalStorage<string>()
    const seen = await Promise.all(['first', 'second', 'third'].map((name) => caller.run(name, () => inGroupCommit(ctx, async () => caller.getStore()))))
    expect(seen).toEqual(['first', 'second', 'third'])
  })
})
