import { sql } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Executor } from './context.ts'

/**
 * Typo tolerance for a search index: the words its documents use, kept in a table `<name>` (`term` primary key, with a
 * pg_trgm index on PostgreSQL) and on SQLite in an FTS5 trigram table `<name>_trgm`. A query word the vocabulary does
 * not know is replaced by the closest word it does know, within 1 edit for short words and 2 for longer ones.
 * Used by the help center (`kb_terms`) and the community forum (`community_terms`).
 */
export type VocabularyTable = 'kb_terms' | 'community_terms'

/** Words worth remembering for typo correction: letters only, 4 to 30 characters. */
export function vocabulary(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/\p{L}{4,30}/gu) ?? []).slice(0, 20000))]
}

/** Levenshtein distance, stopping early past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      best = Math.min(best, cur[j]!)
    }
    if (best > max) return max + 1
    prev = cur
  }
  return prev[b.length]!
}

/** Adds the words of a document to the vocabulary (known words are skipped). */
export async function rememberTerms(db: Executor, dialect: Dialect, table: VocabularyTable, terms: string[]): Promise<void> {
  for (let i = 0; i < terms.length; i += 500) {
    const rows = sql.join(terms.slice(i, i + 500).map((term) => sql`(${term})`))
    const added = await sql<{ term: string }>`INSERT INTO ${sql.table(table)} (term) VALUES ${rows} ON CONFLICT (term) DO NOTHING RETURNING term`.execute(db)
    if (dialect !== 'postgres' && added.rows.length)
      await sql`INSERT INTO ${sql.table(`${table}_trgm`)} (term) VALUES ${sql.join(added.rows.map((r) => sql`(${r.term})`))}`.execute(db)
  }
}

/** The closest known word within 1 (short words) or 2 edits, or null when the word is known or nothing is close. */
export async function correctWord(db: Executor, dialect: Dialect, table: VocabularyTable, word: string): Promise<string | null> {
  if (word.length < 4 || !/^\p{L}+$/u.test(word)) return null
  const known = await sql`SELECT 1 FROM ${sql.table(table)} WHERE term = ${word}`.execute(db)
  if (known.rows.length) return null
  const trgm = `${table}_trgm`
  const candidates =
    dialect === 'postgres'
      ? await sql<{ term: string }>`SELECT term FROM ${sql.table(table)} WHERE term % ${word} ORDER BY similarity(term, ${word}) DESC LIMIT 30`.execute(db)
      : await sql<{ term: string }>`SELECT term FROM ${sql.table(trgm)} WHERE ${sql.table(trgm)} MATCH ${[
          ...new Set(Array.from({ length: word.length - 2 }, (_, i) => `"${word.slice(i, i + 3)}"`)),
        ].join(' OR ')} ORDER BY rank LIMIT 200`.execute(db)
  const max = word.length <= 5 ? 1 : 2
  let best: { term: string; d: number } | null = null
  for (const { term } of candidates.rows) {
    const d = editDistance(word, term, max)
    if (d <= max && (!best || d < best.d)) best = { term, d }
  }
  return best?.term ?? null
}
