import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_DB } from '../../test/helpers.ts'
import { openDatabase } from '../db/database.ts'
import { idBuckets, nextSearchWindow, searchTicketIds, ticketSearchSql } from './search.ts'

describe('search id windows', () => {
  it('sizes the next range for the matches still missing at the density seen, with a margin, at most 4× the last', () => {
    // 400 matches in 1,200 ids: the 600 missing should lie in about 1,800 ids; with a 50 % margin, 2,700.
    expect(nextSearchWindow(1200, 1200, 400, 600)).toBe(2700)
    // Nothing found: 4× the last range. Few found: the estimate is capped at 4× too.
    expect(nextSearchWindow(50_000, 50_000, 0, 1000)).toBe(200_000)
    expect(nextSearchWindow(50_000, 50_000, 30, 970)).toBe(200_000)
    expect(nextSearchWindow(200_000, 250_000, 30, 970)).toBe(800_000)
    // Almost there: a small range, but not a tiny one.
    expect(nextSearchWindow(50_000, 50_000, 990, 10)).toBe(1_000)
  })

  it('names the id buckets of a window as the index holds them, fine while a dozen are enough, and one past the newest id', () => {
    expect(idBuckets(960_000, 1_000_000)).toEqual([96, 97, 98, 99, 100, 101])
    expect(idBuckets(958_714, 1_008_715)).toEqual([95, 96, 97, 98, 99, 100, 101])
    expect(idBuckets(600_000, 1_000_000)).toEqual([1_000_006, 1_000_007, 1_000_008, 1_000_009, 1_000_010, 1_000_011])
  })
})

/** The id windows apply to PostgreSQL only: SQLite's FTS5 walks matches newest first by itself. */
describe.skipIf(TEST_DB !== 'postgres')('ticket search over id windows (PostgreSQL)', () => {
  const TICKETS = 6000
  let target: Awaited<ReturnType<typeof createTestDatabase>>
  let database: ReturnType<typeof openDatabase>
  /**
   * The search statements run: the newest range ranked (`first`, its lower id bound; null: the whole table), a range
   * below it (`range`, its lower bound) or the final ranking (`rank`).
   */
  const searches: { kind: 'first' | 'range' | 'rank'; lo: number | null }[] = []

  beforeAll(async () => {
    target = await createTestDatabase({ migrated: true })
    database = openDatabase({
      databaseUrl: target.databaseUrl,
      dataDir: target.dataDir,
      onQuery: (q) => {
        if (!q.sql.includes('to_tsquery')) return
        if (q.sql.includes('t.id <=')) searches.push({ kind: 'range', lo: Number(q.parameters[1]) })
        else if (q.sql.includes('= ANY(')) searches.push({ kind: 'rank', lo: null })
        else searches.push({ kind: 'first', lo: q.sql.includes('t.id >') ? Number(q.parameters.at(-5)) : null })
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
    // Every ticket says "common"; every third "often"; every 400th "seldom"; ticket 17 alone "once"; every second of
    // the older half "older" (none of the newest tickets).
    await sql`
      INSERT INTO tickets (subject, status, priority, inbox_id, requester_id, custom_fields, last_message_at, created_at, updated_at, search_vector)
      SELECT 'Ticket ' || n, 'open', 'normal', ${inbox.id}, ${contact.id}, '{}', n, n, n,
        to_tsvector('simple', concat_ws(' ', 'common', CASE WHEN n % 3 = 0 THEN 'often' END, CASE WHEN n % 400 = 0 THEN 'seldom' END,
          CASE WHEN n = 17 THEN 'once' END, CASE WHEN n % 7 = 0 THEN 'oftentimes' END, CASE WHEN n <= 3000 AND n % 2 = 0 THEN 'older' END))
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
    return { ids, queries: searches.length, steps: searches.map((s) => `${s.kind} ${s.lo}`) }
  }

  it('a word in most tickets fills the first window: one query, the newest matches ranked', async () => {
    const { ids, queries } = await search('common')
    expect(queries).toBe(1)
    expect(ids).toEqual(await unbounded('common', false))
  })

  it('a word in a third of the tickets: the range below the first is sized from its count, and is enough', async () => {
    // 400 matches in the newest 1,200 ids; the 600 missing lie in the next 2,700 ids (1.5 × 1,800): 900 there.
    const { ids, steps } = await search('often')
    expect(steps).toEqual([`first ${TICKETS - 1200}`, `range ${TICKETS - 1200 - 2700}`, 'rank null'])
    expect(ids).toEqual(await unbounded('often', false))
    expect(ids.length).toBe(20)
  })

  it('a word the newest tickets lack is found below them, and ranked as the whole table would', async () => {
    // None in the newest 1,200 ids: the next range is 4× as wide, and holds 1,500 (the newest 1,000 are taken).
    const { ids, steps } = await search('older')
    expect(steps).toEqual([`first ${TICKETS - 1200}`, `range ${TICKETS - 1200 - 4800}`, 'rank null'])
    expect(ids).toEqual(await unbounded('older', false))
    expect(ids.length).toBe(20)
  })

  it('a rare word is looked for down to the oldest ticket, then as a prefix', async () => {
    // 3 matches in 1,200 ids, then 12 in the 4,800 below (the rest of the table): too few for a full window, so the
    // last word is tried as a prefix, the same way, and that ranking is the answer.
    const { ids, steps } = await search('seldom')
    expect(ids).toEqual(await unbounded('seldom'))
    expect(ids.length).toBe(TICKETS / 400)
    expect(steps).toEqual([`first ${TICKETS - 1200}`, 'range 0', `first ${TICKETS - 1200}`, 'range 0', 'rank null'])
  })

  it('narrows the full-text index scan to the window by the id buckets it holds', async () => {
    const query = ticketSearchSql('postgres', 'seldom', { limit: 20, prefix: false, window: { minId: 0, maxId: TICKETS } })!
    const compiled = query.compile(database.db)
    const plan = await database.db.connection().execute(async (conn) => {
      // A window over every ticket: the primary key narrows nothing, the full-text index has to.
      await sql`SET enable_seqscan = off`.execute(conn)
      await sql`SET enable_indexscan = off`.execute(conn)
      const rows = (await conn.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `EXPLAIN ${compiled.sql}` })).rows
      await sql`RESET enable_seqscan`.execute(conn)
      await sql`RESET enable_indexscan`.execute(conn)
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toMatch(/Bitmap Index Scan on tickets_search/)
    expect(plan).toMatch(/Index Cond: .*search_vector @@.*ARRAY\[\(id \/ 10000\), \(1000000 \+ \(id \/ 100000\)\)\] &&/)
  })

  it('a word that matches only as a prefix is found', async () => {
    const { ids } = await search('onc')
    expect(ids).toEqual([17])
  })
})
