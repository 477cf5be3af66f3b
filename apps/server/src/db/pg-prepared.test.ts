import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_DB } from '../../test/helpers.ts'
import { openDatabase } from './database.ts'
import { PREPARED_PER_CONNECTION, withGenericPlans } from './pg-prepared.ts'

/** PostgreSQL statements are prepared once per connection, bounded, and recover from failures and schema changes. */
describe.skipIf(TEST_DB !== 'postgres')('prepared statements on PostgreSQL', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>
  let database: ReturnType<typeof openDatabase>
  // One connection, so every query below sees the same session's prepared statements.
  let db: Kysely<any>
  const prepared = async () =>
    (await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(db)).rows.filter((r) =>
      r.name.startsWith('ah_'),
    )

  beforeAll(async () => {
    target = await createTestDatabase()
    database = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 1 })
    db = database.db as unknown as Kysely<any>
    await sql`CREATE TABLE notes (id serial PRIMARY KEY, body text UNIQUE NOT NULL)`.execute(db)
  })
  afterAll(async () => {
    await database.close()
    await target.drop()
  })

  it('parses a parameterized statement once and reuses it with other values', async () => {
    await db.insertInto('notes').values({ body: 'first' }).execute()
    await db.insertInto('notes').values({ body: 'second' }).execute()
    for (const body of ['first', 'second', 'none']) await db.selectFrom('notes').select('id').where('body', '=', body).execute()
    const statements = (await prepared()).map((r) => r.statement)
    expect(statements.filter((s) => s.includes('insert into "notes"'))).toHaveLength(1)
    expect(statements.filter((s) => s.includes('select "id" from "notes"'))).toHaveLength(1)
    expect(await db.selectFrom('notes').select('body').where('body', '=', 'second').execute()).toEqual([{ body: 'second' }])
  })

  it('keeps plans per execution (force_custom_plan), as unnamed statements have', async () => {
    expect(Object.values((await sql<Record<string, string>>`SHOW plan_cache_mode`.execute(db)).rows[0]!)).toEqual(['force_custom_plan'])
  })

  it('lets a transaction begun in withGenericPlans reuse generic plans, and that transaction alone', async () => {
    const mode = async (on: Kysely<any>) => Object.values((await sql<Record<string, string>>`SHOW plan_cache_mode`.execute(on)).rows[0]!)[0]
    const lookup = (on: Kysely<any>, body: string) =>
      on
        .selectFrom('notes')
        .select(['id', sql.lit('generic-check').as('tag')])
        .where('body', '=', body)
        .execute()
    const plans = async () =>
      (
        await sql<{ genericPlans: string; customPlans: string }>`
          SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%generic-check%' AND name LIKE 'ah_%'`.execute(db)
      ).rows.map((r) => ({ generic: Number(r.genericPlans), custom: Number(r.customPlans) }))
    await db.transaction().execute(async (trx) => {
      expect(await mode(trx)).toBe('force_custom_plan')
      for (let i = 0; i < 8; i++) await lookup(trx, `body ${i}`)
    })
    expect(await plans()).toEqual([{ generic: 0, custom: 8 }])
    await withGenericPlans(() =>
      db.transaction().execute(async (trx) => {
        expect(await mode(trx)).toBe('auto')
        for (let i = 0; i < 8; i++) await lookup(trx, `body ${i}`)
      }),
    )
    const [after] = await plans()
    expect(after!.generic).toBeGreaterThanOrEqual(7)
    expect(after!.custom).toBe(8)
    // SET LOCAL ended with that transaction: the connection is back to a plan per execution.
    expect(await mode(db)).toBe('force_custom_plan')
    await lookup(db, 'body 0')
    expect(await plans()).toEqual([{ generic: after!.generic, custom: 9 }])
  })

  it('keeps at most PREPARED_PER_CONNECTION statements on a connection, the least recently used going first', async () => {
    const hot = () => db.selectFrom('notes').select(sql.lit('hot').as('tag')).where('body', '=', 'first').execute()
    await hot()
    const hotName = (await prepared()).find((r) => r.statement.includes(`'hot'`))!.name
    for (let i = 0; i < PREPARED_PER_CONNECTION + 30; i++) {
      await db
        .selectFrom('notes')
        .select(sql<number>`${sql.lit(i)}`.as('n'))
        .where('body', '=', 'first')
        .execute()
      // A statement in steady use stays prepared while the others come and go.
      if (i % 50 === 0) await hot()
    }
    // The evictions' DEALLOCATEs are queued before this query on the same connection.
    const rows = await prepared()
    expect(rows.length).toBeLessThanOrEqual(PREPARED_PER_CONNECTION)
    expect(rows.length).toBeGreaterThan(PREPARED_PER_CONNECTION - 5)
    // Never dropped and prepared again: still under its first name.
    expect(rows.filter((r) => r.statement.includes(`'hot'`)).map((r) => r.name)).toEqual([hotName])
    expect(rows.some((r) => r.statement.includes('select 0 as'))).toBe(false)
  })

  it('runs a statement again after it failed (a unique violation), and inside a transaction that rolled back', async () => {
    const insert = (body: string) => db.insertInto('notes').values({ body }).returning('id').executeTakeFirstOrThrow()
    await expect(insert('first')).rejects.toThrow(/unique|duplicate key/i)
    expect((await insert('third')).id).toBeGreaterThan(0)
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ body: 'fourth' }).execute()
        await trx.insertInto('notes').values({ body: 'first' }).execute()
      }),
    ).rejects.toThrow(/unique|duplicate key/i)
    expect((await insert('fourth')).id).toBeGreaterThan(0)
  })

  it('recovers when another process changes the table under a prepared "select *"', async () => {
    const all = () => db.selectFrom('notes').selectAll().where('body', '=', 'first').execute()
    expect(Object.keys((await all())[0]!)).toEqual(['id', 'body'])
    await sql`ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false`.execute(db)
    // PostgreSQL refuses the old plan once ("cached plan must not change result type"); the next use prepares it afresh.
    const attempt = await all().catch((err: Error) => err)
    if (attempt instanceof Error) expect(attempt.message).toMatch(/cached plan must not change result type/)
    expect(Object.keys((await all())[0]!)).toEqual(['id', 'body', 'pinned'])
  })
})
