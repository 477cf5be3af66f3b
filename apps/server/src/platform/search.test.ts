import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_DB } from '../../test/helpers.ts'
import { openDatabase } from '../db/database.ts'
import { nextSearchWindow, searchTicketIds, ticketSearchSql } from './search.ts'

describe('search id windows', () => {
  it('widens to the range that should hold a full window of matches, at least 1.5×, and 8× after none', () => {
    // 200 matches in 600 ids: 1,000 matches should lie in about 3,000 ids; with a 25 % margin, 3,750.
    expect(nextSearchWindow(600, 200)).toBe(3750)
    expect(nextSearchWindow(50_000, 900)).toBe(75_000)
    expect(nextSearchWindow(50_000, 0)).toBe(400_000)
    expect(nextSearchWindow(50_000, 3)).toBeGreaterThan(1_000_000)
  })
})

/** The id windows apply to PostgreSQL only: SQLite's FTS5 walks matches newest first by itself. */
describe.skipIf(TEST_DB !== 'postgres')('ticket search over id windows (PostgreSQL)', () => {
  const TICKETS = 6000
  let target: Awaited<ReturnType<typeof createTestDatabase>>
  let database: ReturnType<typeof openDatabase>
  /** The search statements run, with the id bound each one had (null: the whole table). */
  const searches: { minId: number | null }[] = []

  beforeAll(async () => {
    target = await createTestDatabase({ migrated: true })
    database = openDatabase({
      databaseUrl: target.databaseUrl,
      dataDir: target.dataDir,
      onQuery: (q) => {
        if (q.sql.includes('to_tsquery')) searches.push({ minId: q.sql.includes('t.id >') ? Number(q.parameters.at(-4)) : null })
      },
    })
    const db = database.db
    const inbox = await db
      .insertInto('inboxes')
      .values({ name: 'Search', type: 'api', autoReply: '{}', createdAt: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contact = await db
      .insertInto('contacts')
      .values({ name: 'Ada', notes: '', customFields: '{}', createdAt: 0, updatedAt: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Every ticket says "common"; every third "often"; every 400th "seldom"; ticket 17 alone "once".
    await sql`
      INSERT INTO tickets (subject, status, priority, inbox_id, requester_id, custom_fields, last_message_at, created_at, updated_at, search_vector)
      SELECT 'Ticket ' || n, 'open', 'normal', ${inbox.id}, ${contact.id}, '{}', n, n, n,
        to_tsvector('simple', concat_ws(' ', 'common', CASE WHEN n % 3 = 0 THEN 'often' END, CASE WHEN n % 400 = 0 THEN 'seldom' END,
          CASE WHEN n = 17 THEN 'once' END, CASE WHEN n % 7 = 0 THEN 'oftentimes' END))
      FROM generate_series(1, ${TICKETS}) AS n`.execute(db)
    await sql`ANALYZE tickets`.execute(db)
  })
  afterAll(async () => {
    await database?.close()
    await target?.drop()
  })

  /** The unbounded query's ranking: what the windows must reproduce. */
  const unbounded = async (q: string, prefix = true) =>
    (await ticketSearchSql('postgres', q, { limit: 20, prefix })!.execute(database.db)).rows.map((r) => r.id)
  const search = async (q: string) => {
    searches.length = 0
    const ids = await searchTicketIds(database.db, 'postgres', q, { limit: 20, firstWindow: 1200 })
    return { ids, queries: searches.length, bounds: searches.map((s) => s.minId) }
  }

  it('a word in most tickets fills the first window: one query, the newest matches ranked', async () => {
    const { ids, queries } = await search('common')
    expect(queries).toBe(1)
    expect(ids).toEqual(await unbounded('common', false))
  })

  it('a word in a third of the tickets: the second window is sized from the first one’s count, and is enough', async () => {
    // 400 matches in the newest 1,200 ids, so the next window is 3,750 ids: 1,250 matches, a full window.
    const { ids, bounds } = await search('often')
    expect(bounds).toEqual([TICKETS - 1200, TICKETS - 3750])
    expect(ids).toEqual(await unbounded('often', false))
    expect(ids.length).toBe(20)
  })

  it('a rare word goes from the first window straight to the whole table, then tries the prefix', async () => {
    // 3 matches in 1,200 ids: the estimate is past the table, so the exact words are tried on all of it (too few
    // matches for a full window), and then the last word as a prefix.
    const { ids, bounds } = await search('seldom')
    expect(ids).toEqual(await unbounded('seldom'))
    expect(ids.length).toBe(TICKETS / 400)
    expect(bounds).toEqual([TICKETS - 1200, null, TICKETS - 1200, null])
  })

  it('a word that matches only as a prefix is found', async () => {
    const { ids } = await search('onc')
    expect(ids).toEqual([17])
  })
})
