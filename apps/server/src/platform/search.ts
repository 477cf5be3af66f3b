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

/**
 * A new message's text added to its ticket's search document, as columns of the ticket's update (insertMessage's):
 * on PostgreSQL the row's `search_vector`; on SQLite none (indexAppendedText).
 */
export function appendedTextValues(dialect: Dialect, text: string): object {
  return dialect === 'postgres' && text.trim() ? { searchVector: sql`search_vector || to_tsvector('simple', ${text})` } : {}
}

/** After that update: SQLite's FTS row (PostgreSQL's document came with the update, appendedTextValues). */
export async function indexAppendedText(db: Executor, dialect: Dialect, ticketId: number, text: string): Promise<void> {
  if (dialect !== 'postgres' && text.trim()) await sql`UPDATE tickets_fts SET body = body || ${`\n${text}`} WHERE rowid = ${ticketId}`.execute(db)
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
 * "pay"). So matches are looked for in id ranges of the newest tickets, and the words are tried as typed first, the
 * last word as a prefix only when the exact words match fewer than RANK_WINDOW tickets (someone still typing, or a
 * rare word).
 *
 * The newest FIRST_SEARCH_WINDOW ids come first, ranked in the same statement: most searches end there. When that
 * range holds fewer than RANK_WINDOW matches, the next ranges lie below it, each sized from the match density seen so
 * far, and what they found is ranked together at the end. Each range is planned as PostgreSQL sees fit: down the
 * primary key for a common word, through the full-text index (narrowed by the id buckets) for a rarer one. Ranges
 * never overlap: a walk down the primary key costs the rows it passes, and when the newest tickets hold few matches
 * (a spam wave, new product words) starting each wider range from the top again read them over and over (96,000
 * rows for 1,000 matches at a million tickets, a quarter of a second).
 */
export const FIRST_SEARCH_WINDOW = 50_000

/**
 * The size of the next id range below those read: enough for the `need` matches still missing at the density seen
 * so far (`found` in `read` ids) with a 50 % margin; at most 4× the last range, so a density that jumps (few matches
 * in the newest tickets, many below) cannot make one range hold far more matches than needed.
 */
export function nextSearchWindow(last: number, read: number, found: number, need: number): number {
  const growth = last * 4
  if (found <= 0) return growth
  return Math.max(1_000, Math.min(growth, Math.ceil((need * 1.5 * read) / found)))
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

/** The matches in ids lo+1 … hi, newest first, at most `limit` (PostgreSQL). */
function ticketRangeSql(q: string, opts: { lo: number; hi: number; limit: number; prefix: boolean; statuses?: string[] }): RawBuilder<{ id: number }> {
  const query = tsQuery(queryTerms(q), opts.prefix)
  const statusFilter = opts.statuses?.length ? sql`AND t.status IN (${sql.join(opts.statuses)})` : sql``
  return sql<{ id: number }>`
    SELECT t.id FROM tickets t WHERE t.search_vector @@ to_tsquery('simple', ${query}) AND t.merged_into_id IS NULL ${statusFilter}
      AND t.id > ${opts.lo} AND t.id <= ${opts.hi} AND ${TICKET_ID_BUCKETS} && ${idBuckets(opts.lo, opts.hi)}::int[]
    ORDER BY t.id DESC LIMIT ${opts.limit}`
}

/** Ranks tickets for the query, best first (PostgreSQL). */
function rankTicketsSql(q: string, ids: number[], opts: { limit: number; prefix: boolean }): RawBuilder<{ id: number }> {
  const query = tsQuery(queryTerms(q), opts.prefix)
  return sql<{ id: number }>`
    SELECT t.id FROM tickets t WHERE t.id = ANY(${ids}::int[])
    ORDER BY ts_rank(t.search_vector, to_tsquery('simple', ${query})) DESC, t.updated_at DESC LIMIT ${opts.limit}`
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
  // SQLite's FTS5 walks matches newest first by itself, prefix included (it has a prefix index).
  if (dialect !== 'postgres') return (await ticketSearchSql(dialect, q, { limit: opts.limit, statuses: opts.statuses })!.execute(db)).rows.map((r) => r.id)
  const newest = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  const maxId = Number(newest?.id ?? 0)
  for (const prefix of [false, true]) {
    // The newest range, ranked at once; all its matches when it holds fewer than RANK_WINDOW.
    let lo = Math.max(0, maxId - (opts.firstWindow ?? FIRST_SEARCH_WINDOW))
    const first = (await ticketSearchSql(dialect, q, { limit: RANK_WINDOW, statuses: opts.statuses, window: { minId: lo, maxId }, prefix })!.execute(db)).rows
    if (first.length && Number(first[0]!.matches) >= RANK_WINDOW) return first.slice(0, opts.limit).map((r) => r.id)
    // Fewer: the newest matches below it, range by range, until RANK_WINDOW are found or the table ends.
    const found = first.map((r) => r.id)
    let last = maxId - lo
    while (found.length < RANK_WINDOW && lo > 0) {
      const size = nextSearchWindow(last, maxId - lo, found.length, RANK_WINDOW - found.length)
      const next = Math.max(0, lo - size)
      const rows = (await ticketRangeSql(q, { lo: next, hi: lo, limit: RANK_WINDOW - found.length, prefix, statuses: opts.statuses }).execute(db)).rows
      found.push(...rows.map((r) => r.id))
      last = lo - next
      lo = next
    }
    // The exact words in fewer than RANK_WINDOW tickets of the whole table: the last word as a prefix may find more.
    if (found.length >= RANK_WINDOW || prefix) {
      if (found.length === first.length) return first.slice(0, opts.limit).map((r) => r.id)
      return (await rankTicketsSql(q, found, { limit: opts.limit, prefix }).execute(db)).rows.map((r) => r.id)
    }
  }
  return []
}

/** PostgreSQL: a contact's search document, its name weighted above its addresses (whole, and split into words). */
export function contactTsVector(name: string, identities: string[]) {
  const ids = identities.join(' ')
  return sql`setweight(to_tsvector('simple', ${name}), 'A') || to_tsvector('simple', ${`${ids} ${ids.replace(/[@.]/g, ' ')}`})`
}

export async function indexContact(db: Executor, dialect: Dialect, contactId: number, name: string, identities: string[]): Promise<void> {
  const ids = identities.join(' ')
  if (dialect === 'postgres') {
    await sql`UPDATE contacts SET search_vector = ${contactTsVector(name, identities)} WHERE id = ${contactId}`.execute(db)
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
