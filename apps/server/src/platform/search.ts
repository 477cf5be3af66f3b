import { type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Executor } from './context.ts'

/**
 * Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector + GIN.
 * One document per ticket (subject + every message's text), per contact and per organization.
 */

/** Words of a user query, stripped of search-syntax characters; the last one matches as a prefix. */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 12)
}

function ftsMatch(terms: string[]): string {
  return terms.map((t, i) => (i === terms.length - 1 ? `"${t}"*` : `"${t}"`)).join(' ')
}

function tsQuery(terms: string[], prefix = true): string {
  return terms.map((t, i) => (prefix && i === terms.length - 1 ? `${t}:*` : t)).join(' & ')
}

/** What a ticket's search document is made of: its subject, its requester's name and its messages' text. */
export interface TicketSearchDocument {
  subject: string
  requester: string
  body: string
}

const ticketTsVector = (d: TicketSearchDocument) =>
  sql`setweight(to_tsvector('simple', ${d.subject}), 'A') || setweight(to_tsvector('simple', ${d.requester}), 'B') || to_tsvector('simple', ${d.body})`

/**
 * A new ticket's search document, as columns of the ticket's own insert: on PostgreSQL it is the row's
 * `search_vector` (written with the row, not by an update of it right after); on SQLite none (indexNewTicket).
 */
export function newTicketSearchValues(dialect: Dialect, doc: TicketSearchDocument): object {
  return dialect === 'postgres' ? { searchVector: ticketTsVector(doc) } : {}
}

/** After a new ticket's insert: SQLite's FTS row (PostgreSQL's document came with the insert, newTicketSearchValues). */
export async function indexNewTicket(db: Executor, dialect: Dialect, ticketId: number, doc: TicketSearchDocument): Promise<void> {
  if (dialect !== 'postgres')
    await sql`INSERT INTO tickets_fts (rowid, subject, body) VALUES (${ticketId}, ${doc.subject}, ${`${doc.requester}\n${doc.body}`})`.execute(db)
}

/** Rebuilds a ticket's search document from what it holds now (after its messages were rewritten, e.g. erased). */
export async function reindexTicket(db: Executor, dialect: Dialect, ticketId: number, requester: string): Promise<void> {
  const ticket = await db.selectFrom('tickets').select(['subject']).where('id', '=', ticketId).executeTakeFirst()
  if (!ticket) return
  const texts = await db.selectFrom('messages').select('text').where('ticketId', '=', ticketId).orderBy('id').execute()
  const doc = { subject: ticket.subject, requester, body: texts.map((t) => t.text).join('\n') }
  if (dialect === 'postgres') await sql`UPDATE tickets SET search_vector = ${ticketTsVector(doc)} WHERE id = ${ticketId}`.execute(db)
  else {
    await sql`DELETE FROM tickets_fts WHERE rowid = ${ticketId}`.execute(db)
    await indexNewTicket(db, dialect, ticketId, doc)
  }
}

export async function appendTicketText(db: Executor, dialect: Dialect, ticketId: number, text: string): Promise<void> {
  if (!text.trim()) return
  if (dialect === 'postgres') {
    await sql`UPDATE tickets SET search_vector = search_vector || to_tsvector('simple', ${text}) WHERE id = ${ticketId}`.execute(db)
  } else {
    await sql`UPDATE tickets_fts SET body = body || ${`\n${text}`} WHERE rowid = ${ticketId}`.execute(db)
  }
}

export async function setTicketSubject(db: Executor, dialect: Dialect, ticketId: number, oldSubject: string, subject: string): Promise<void> {
  if (dialect === 'postgres') {
    // Keep the old subject's words too: people search for what they remember.
    await sql`UPDATE tickets SET search_vector = search_vector || setweight(to_tsvector('simple', ${subject}), 'A') WHERE id = ${ticketId}`.execute(db)
  } else {
    await sql`UPDATE tickets_fts SET subject = ${subject}, body = body || ${`\n${oldSubject}`} WHERE rowid = ${ticketId}`.execute(db)
  }
}

/** Moves a merged ticket's text into the target's document. */
export async function mergeTicketText(db: Executor, dialect: Dialect, fromId: number, intoId: number): Promise<void> {
  if (dialect === 'postgres') {
    await sql`UPDATE tickets SET search_vector = tickets.search_vector || src.search_vector FROM tickets src WHERE tickets.id = ${intoId} AND src.id = ${fromId}`.execute(
      db,
    )
  } else {
    await sql`UPDATE tickets_fts SET body = body || (SELECT char(10) || subject || char(10) || body FROM tickets_fts WHERE rowid = ${fromId}) WHERE rowid = ${intoId}`.execute(
      db,
    )
    await sql`DELETE FROM tickets_fts WHERE rowid = ${fromId}`.execute(db)
  }
}

/** Ranking looks at this many of the newest matches: a common word matches most tickets, and people look for recent ones. */
export const RANK_WINDOW = 1000

/**
 * PostgreSQL search plan. Two costs dominate at a million tickets: heap reads (and rechecks) for every match in
 * the id range read, and GIN work for a prefix (`pay:*` merges the posting lists of every word starting with
 * "pay"). So the inner query ANDs the full-text bitmap with an id range of the newest tickets, widening until it
 * holds RANK_WINDOW matches; and it tries the words as typed first, matching the last word as a prefix only when
 * the exact words match fewer than RANK_WINDOW tickets (someone still typing, or a rare word).
 * The first range is the newest FIRST_SEARCH_WINDOW ids; each next one follows from what the last held.
 */
export const FIRST_SEARCH_WINDOW = 50_000

/**
 * The next id range after one of `window` ids held `found` (< RANK_WINDOW) matches: if matches are spread evenly
 * over ids, the range that holds RANK_WINDOW of them, with a margin, so the next query reads about that many rows
 * rather than every match of a far wider range; at least 1.5× wider, and 8× when none were found.
 */
export function nextSearchWindow(window: number, found: number): number {
  if (found <= 0) return window * 8
  return Math.max(Math.ceil(window * 1.5), Math.ceil((window * RANK_WINDOW * 1.5) / found))
}

/**
 * The id buckets the PostgreSQL search index holds beside each ticket's words (migration 2026_11_27_0600): a ticket
 * is in bucket `id / 10,000` and in bucket `1,000,000 + id / 100,000`. This SQL must stay the index's expression
 * exactly, or the planner cannot use it.
 */
const TICKET_ID_BUCKETS = sql.raw('ARRAY[t.id / 10000, 1000000 + t.id / 100000]')

/**
 * The buckets that cover ids minId+1 … maxId, and the next one (tickets created since maxId was read): at most a
 * dozen, of the finer size while that is enough.
 */
export function idBuckets(minId: number, maxId: number): number[] {
  const fine = maxId - minId <= 100_000
  const size = fine ? 10_000 : 100_000
  const offset = fine ? 0 : 1_000_000
  const out: number[] = []
  for (let b = Math.floor((minId + 1) / size); b <= Math.floor(maxId / size) + 1; b++) out.push(offset + b)
  return out
}

/**
 * The ranked ticket search as SQL (exported so tests can EXPLAIN it); null when the query has no words.
 * The inner query walks the matches newest first and stops after RANK_WINDOW, so the cost stays flat however
 * many tickets contain the words; only that window is ranked. `window` (PostgreSQL) limits the inner query to
 * tickets with ids minId+1 … maxId (and any created since maxId was read).
 */
export function ticketSearchSql(
  dialect: Dialect,
  q: string,
  opts: { limit: number; statuses?: string[]; window?: { minId: number; maxId: number }; prefix?: boolean },
): RawBuilder<{ id: number; matches: number }> | null {
  const terms = queryTerms(q)
  if (!terms.length) return null
  const statusFilter = opts.statuses?.length ? sql`AND t.status IN (${sql.join(opts.statuses)})` : sql``
  if (dialect === 'postgres') {
    const query = tsQuery(terms, opts.prefix ?? true)
    // The id range twice: as a bound, for the primary key when the words are common (newest first, stop at the
    // window), and as the index's buckets, so the full-text scan itself keeps only the window's matches.
    const w = opts.window
    const idFilter = w ? sql`AND t.id > ${w.minId} AND ${TICKET_ID_BUCKETS} && ${idBuckets(w.minId, w.maxId)}::int[]` : sql``
    return sql<{ id: number; matches: number }>`
      SELECT t.id, count(*) OVER ()::int AS matches FROM (
        SELECT t.id FROM tickets t WHERE t.search_vector @@ to_tsquery('simple', ${query}) AND t.merged_into_id IS NULL ${statusFilter} ${idFilter}
        ORDER BY t.id DESC LIMIT ${RANK_WINDOW}) recent
      JOIN tickets t ON t.id = recent.id
      ORDER BY ts_rank(t.search_vector, to_tsquery('simple', ${query})) DESC, t.updated_at DESC LIMIT ${opts.limit}`
  }
  return sql<{ id: number; matches: number }>`
    SELECT recent.id, count(*) OVER () AS matches FROM (
      SELECT tickets_fts.rowid AS id, bm25(tickets_fts, 5.0, 1.0) AS score, t.updated_at AS updated_at
      FROM tickets_fts JOIN tickets t ON t.id = tickets_fts.rowid
      WHERE tickets_fts MATCH ${ftsMatch(terms)} AND t.merged_into_id IS NULL ${statusFilter}
      ORDER BY tickets_fts.rowid DESC LIMIT ${RANK_WINDOW}) recent
    ORDER BY recent.score, recent.updated_at DESC LIMIT ${opts.limit}`
}

/**
 * Ticket ids matching the query, best first. `statuses` narrows before ranking. `firstWindow` (tests): the first
 * id range PostgreSQL tries, FIRST_SEARCH_WINDOW unless given.
 */
export async function searchTicketIds(
  db: Executor,
  dialect: Dialect,
  q: string,
  opts: { limit: number; statuses?: string[]; firstWindow?: number },
): Promise<number[]> {
  if (!queryTerms(q).length) return []
  const run = async (o: { window?: { minId: number; maxId: number }; prefix?: boolean }) =>
    (await ticketSearchSql(dialect, q, { limit: opts.limit, statuses: opts.statuses, ...o })!.execute(db)).rows
  // SQLite's FTS5 walks matches newest first by itself, prefix included (it has a prefix index).
  if (dialect !== 'postgres') return (await run({})).map((r) => r.id)
  const newest = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  const maxId = Number(newest?.id ?? 0)
  const matchesIn = (rows: { matches: number }[]) => (rows.length ? Number(rows[0]!.matches) : 0)
  const full = (rows: { matches: number }[]) => matchesIn(rows) >= RANK_WINDOW
  // A full window ranks the newest RANK_WINDOW matches, exactly as the unbounded query would.
  for (const prefix of [false, true]) {
    for (let window = opts.firstWindow ?? FIRST_SEARCH_WINDOW; window < maxId; ) {
      const rows = await run({ window: { minId: maxId - window, maxId }, prefix })
      if (full(rows)) return rows.map((r) => r.id)
      window = nextSearchWindow(window, matchesIn(rows))
    }
    const rows = await run({ prefix })
    if (prefix || full(rows)) return rows.map((r) => r.id)
  }
  return []
}

export async function indexContact(db: Executor, dialect: Dialect, contactId: number, name: string, identities: string[]): Promise<void> {
  const ids = identities.join(' ')
  if (dialect === 'postgres') {
    await sql`UPDATE contacts SET search_vector = setweight(to_tsvector('simple', ${name}), 'A') || to_tsvector('simple', ${`${ids} ${ids.replace(/[@.]/g, ' ')}`}) WHERE id = ${contactId}`.execute(
      db,
    )
  } else {
    await sql`DELETE FROM contacts_fts WHERE rowid = ${contactId}`.execute(db)
    await sql`INSERT INTO contacts_fts (rowid, name, identities) VALUES (${contactId}, ${name}, ${ids})`.execute(db)
  }
}

export async function unindexContact(db: Executor, dialect: Dialect, contactId: number): Promise<void> {
  if (dialect === 'postgres') await sql`UPDATE contacts SET search_vector = ''::tsvector WHERE id = ${contactId}`.execute(db)
  else await sql`DELETE FROM contacts_fts WHERE rowid = ${contactId}`.execute(db)
}

export async function searchContactIds(db: Executor, dialect: Dialect, q: string, limit: number): Promise<number[]> {
  const terms = queryTerms(q)
  if (!terms.length) return []
  if (dialect === 'postgres') {
    const res = await sql<{ id: number }>`
      SELECT id FROM contacts, to_tsquery('simple', ${tsQuery(terms)}) query
      WHERE search_vector @@ query AND merged_into_id IS NULL ORDER BY ts_rank(search_vector, query) DESC, id DESC LIMIT ${limit}`.execute(db)
    return res.rows.map((r) => r.id)
  }
  const res = await sql<{ id: number }>`SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ${ftsMatch(terms)} ORDER BY rank LIMIT ${limit}`.execute(
    db,
  )
  return res.rows.map((r) => r.id)
}

export async function indexOrganization(db: Executor, dialect: Dialect, orgId: number, name: string, domain: string | null): Promise<void> {
  if (dialect === 'postgres') return // expression GIN index on the row itself
  await sql`DELETE FROM organizations_fts WHERE rowid = ${orgId}`.execute(db)
  await sql`INSERT INTO organizations_fts (rowid, name, domain) VALUES (${orgId}, ${name}, ${domain ?? ''})`.execute(db)
}

export async function searchOrganizationIds(db: Executor, dialect: Dialect, q: string, limit: number): Promise<number[]> {
  const terms = queryTerms(q)
  if (!terms.length) return []
  if (dialect === 'postgres') {
    const res = await sql<{ id: number }>`
      SELECT id FROM organizations WHERE to_tsvector('simple', name || ' ' || coalesce(domain, '')) @@ to_tsquery('simple', ${tsQuery(terms)})
      ORDER BY name LIMIT ${limit}`.execute(db)
    return res.rows.map((r) => r.id)
  }
  const res = await sql<{
    id: number
  }>`SELECT rowid AS id FROM organizations_fts WHERE organizations_fts MATCH ${ftsMatch(terms)} ORDER BY rank LIMIT ${limit}`.execute(db)
  return res.rows.map((r) => r.id)
}
