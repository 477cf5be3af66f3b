import { sql } from 'kysely'
import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { queryTerms } from '../../platform/search.ts'
import { correctWord, rememberTerms, vocabulary } from '../../platform/search-vocabulary.ts'

/**
 * Knowledge-base search behind the same interface style as ticket search: PostgreSQL tsvector + GIN with the
 * article's language configuration (stemming), SQLite FTS5 with the porter stemmer. Typo tolerance: when the words
 * as typed find nothing, each unknown word is replaced by the closest word of the KB vocabulary (pg_trgm on
 * PostgreSQL, an FTS5 trigram table on SQLite, then edit distance) and the search runs again.
 */

const PG_CONFIGS: Record<string, string> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  it: 'italian',
  nl: 'dutch',
  pt: 'portuguese',
  sv: 'swedish',
  da: 'danish',
  fi: 'finnish',
  nb: 'norwegian',
  no: 'norwegian',
  ru: 'russian',
}
export const pgConfig = (lang: string) => PG_CONFIGS[lang.split('-')[0]!.toLowerCase()] ?? 'simple'

/** (Re)indexes one article's title and text; `null` text removes it from the index. */
export async function indexArticle(
  db: Executor,
  dialect: Dialect,
  a: { id: number; lang: string; title: string; bodyText: string } | { id: number; remove: true },
) {
  if ('remove' in a) {
    if (dialect === 'postgres') await sql`UPDATE kb_articles SET search_vector = NULL, title_vector = NULL WHERE id = ${a.id}`.execute(db)
    else await sql`DELETE FROM kb_articles_fts WHERE rowid = ${a.id}`.execute(db)
    return
  }
  if (dialect === 'postgres') {
    const cfg = pgConfig(a.lang)
    await sql`UPDATE kb_articles SET title_vector = to_tsvector(${cfg}::regconfig, ${a.title}),
      search_vector = setweight(to_tsvector(${cfg}::regconfig, ${a.title}), 'A') || setweight(to_tsvector(${cfg}::regconfig, ${a.bodyText}), 'B') WHERE id = ${a.id}`.execute(
      db,
    )
  } else {
    await sql`DELETE FROM kb_articles_fts WHERE rowid = ${a.id}`.execute(db)
    await sql`INSERT INTO kb_articles_fts (rowid, title, body) VALUES (${a.id}, ${a.title}, ${a.bodyText})`.execute(db)
  }
  await rememberTerms(db, dialect, 'kb_terms', vocabulary(`${a.title} ${a.bodyText}`))
}

export interface KbSearchFilter {
  lang: string
  /** Published public articles only (the help center), or everything published (agents). */
  audience: 'public' | 'staff'
  limit: number
  /** Any word may match (suggestions from a ticket's text); otherwise every word must. */
  anyWord?: boolean
}
export interface KbSearchRow {
  id: number
  lang: string
  title: string
  slug: string
  visibility: string
  text: string
}

/**
 * How many of the newest body matches get ranked. A common word matches most articles, and ranking every match
 * (detoasting each document) grows with the KB; title hits are ranked in full and come first.
 */
export const BODY_RANK_WINDOW = 200
/** SQLite: title hits ranked with bm25, newest first (bm25 reads each hit's position lists). */
export const TITLE_RANK_WINDOW = 100

async function runSearch(db: Executor, dialect: Dialect, terms: string[], f: KbSearchFilter): Promise<KbSearchRow[]> {
  if (!terms.length) return []
  const vis = f.audience === 'public' ? sql`AND a.visibility = 'public'` : sql``
  const cols = sql`a.id, a.lang, a.title, a.slug, a.visibility, substr(a.body_text, 1, 3000) AS text`
  const live = sql`a.status = 'published' AND a.deleted_at IS NULL AND a.lang = ${f.lang} ${vis}`
  let titleHits: KbSearchRow[]
  let bodyHits: KbSearchRow[]
  if (dialect === 'postgres') {
    const cfg = pgConfig(f.lang)
    const query = terms.map((t, i) => (i === terms.length - 1 && !f.anyWord ? `${t}:*` : t)).join(f.anyWord ? ' | ' : ' & ')
    const tq = sql`to_tsquery(${cfg}::regconfig, ${query})`
    titleHits = (
      await sql<KbSearchRow>`SELECT ${cols} FROM kb_articles a WHERE a.title_vector @@ ${tq} AND ${live}
        ORDER BY ts_rank(a.title_vector, ${tq}) DESC, a.id DESC LIMIT ${f.limit}`.execute(db)
    ).rows
    if (titleHits.length >= f.limit) return titleHits
    bodyHits = (
      await sql<KbSearchRow>`SELECT ${cols} FROM (
          SELECT a.id FROM kb_articles a WHERE a.search_vector @@ ${tq} AND ${live} ORDER BY a.id DESC LIMIT ${BODY_RANK_WINDOW}) recent
        JOIN kb_articles a ON a.id = recent.id
        ORDER BY ts_rank(a.search_vector, ${tq}) DESC, a.id DESC LIMIT ${f.limit * 2}`.execute(db)
    ).rows
  } else {
    const words = terms.map((t, i) => (i === terms.length - 1 && !f.anyWord ? `"${t}"*` : `"${t}"`)).join(f.anyWord ? ' OR ' : ' AND ')
    // FTS first: CROSS JOIN keeps SQLite from walking every article and probing the hits per row.
    titleHits = (
      await sql<KbSearchRow>`SELECT ${cols} FROM (
          SELECT rowid AS id, bm25(kb_articles_fts, 8.0, 1.0) AS score FROM kb_articles_fts WHERE kb_articles_fts MATCH ${`title : (${words})`}
          ORDER BY rowid DESC LIMIT ${TITLE_RANK_WINDOW}) hits
        CROSS JOIN kb_articles a ON a.id = hits.id
        WHERE ${live}
        ORDER BY hits.score, a.id DESC LIMIT ${f.limit}`.execute(db)
    ).rows
    if (titleHits.length >= f.limit) return titleHits
    bodyHits = (
      await sql<KbSearchRow>`SELECT ${cols} FROM (
          SELECT rowid AS id, bm25(kb_articles_fts, 8.0, 1.0) AS score FROM kb_articles_fts WHERE kb_articles_fts MATCH ${words}
          ORDER BY rowid DESC LIMIT ${BODY_RANK_WINDOW}) recent
        CROSS JOIN kb_articles a ON a.id = recent.id
        WHERE ${live}
        ORDER BY recent.score, a.id DESC LIMIT ${f.limit * 2}`.execute(db)
    ).rows
  }
  const seen = new Set(titleHits.map((r) => r.id))
  return [...titleHits, ...bodyHits.filter((r) => !seen.has(r.id))].slice(0, f.limit)
}

/** Ranked KB search with typo tolerance; `corrected` is the query actually run when it differs from the input. */
export async function searchArticles(db: Executor, dialect: Dialect, q: string, f: KbSearchFilter): Promise<{ rows: KbSearchRow[]; corrected: string | null }> {
  const terms = queryTerms(q)
  const rows = await runSearch(db, dialect, terms, f)
  if (rows.length || !terms.length) return { rows, corrected: null }
  const fixed = await Promise.all(terms.map(async (t) => (await correctWord(db, dialect, 'kb_terms', t)) ?? t))
  if (fixed.every((t, i) => t === terms[i])) return { rows, corrected: null }
  return { rows: await runSearch(db, dialect, fixed, f), corrected: fixed.join(' ') }
}

/** A plain-text excerpt around the first matched word. */
export function snippetOf(text: string, q: string, length = 180): string {
  const lower = text.toLowerCase()
  const at = queryTerms(q)
    .map((t) => lower.indexOf(t.slice(0, Math.max(3, t.length - 2))))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0]
  const start = at === undefined ? 0 : Math.max(0, at - 60)
  const slice = text
    .slice(start, start + length)
    .replace(/\s+/g, ' ')
    .trim()
  return `${start > 0 ? '…' : ''}${slice}${start + length < text.length ? '…' : ''}`
}
