import { sql } from 'kysely'
import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { queryTerms } from '../../platform/search.ts'
import { correctWord, rememberTerms, vocabulary } from '../../platform/search-vocabulary.ts'

/**
 * Community search, the knowledge base's approach (kb.search.ts) on the forum's own index: one document per topic (its
 * title, weight A, and the text of its public posts, weight B) in PostgreSQL tsvector + GIN or SQLite FTS5 (porter
 * stemmer), ranked; when the words as typed find nothing, each unknown word is replaced by the closest word of the
 * forum's vocabulary (pg_trgm / an FTS5 trigram table, then the shared edit distance, `platform/search-vocabulary.ts`) and the search runs again.
 * English stemming on both databases: SQLite's porter tokenizer knows no other language.
 */

const PG_CONFIG = 'english'
/** How many of the newest matches get ranked: a common word matches most topics, and people look for recent ones. */
export const TOPIC_RANK_WINDOW = 500

/** (Re)builds a topic's search document from its title and public posts, and remembers their words when the topic is public. */
export async function reindexTopic(db: Executor, dialect: Dialect, topicId: number): Promise<void> {
  const topic = await db.selectFrom('communityTopics').select(['title', 'status', 'mergedIntoId']).where('id', '=', topicId).executeTakeFirst()
  if (!topic) return
  const posts = await db.selectFrom('communityPosts').select('bodyText').where('topicId', '=', topicId).where('status', '=', 'visible').orderBy('id').execute()
  const body = posts
    .map((p) => p.bodyText)
    .join('\n')
    .slice(0, 200_000)
  if (dialect === 'postgres') {
    await sql`UPDATE community_topics SET search_vector = setweight(to_tsvector(${PG_CONFIG}::regconfig, ${topic.title}), 'A')
      || setweight(to_tsvector(${PG_CONFIG}::regconfig, ${body}), 'B') WHERE id = ${topicId}`.execute(db)
  } else {
    await sql`DELETE FROM community_topics_fts WHERE rowid = ${topicId}`.execute(db)
    await sql`INSERT INTO community_topics_fts (rowid, title, body) VALUES (${topicId}, ${topic.title}, ${body})`.execute(db)
  }
  // Typo suggestions are shown to everyone: only words of public, visible topics may become one.
  if (topic.status === 'visible' && topic.mergedIntoId === null) await rememberTerms(db, dialect, 'community_terms', vocabulary(`${topic.title} ${body}`))
}

export interface TopicSearchFilter {
  /** Public, approved, not hidden or merged topics (the public pages), or every topic not merged away (staff). */
  audience: 'public' | 'staff'
  /** Narrows staff results to one status. */
  status?: string
  categoryId?: number
  limit: number
  /** Any word may match (similar questions from a title being written); otherwise every word must. */
  anyWord?: boolean
}

/** The ranked topic search as SQL (exported so tests can EXPLAIN it); null when the query has no words. */
export function topicSearchSql(dialect: Dialect, terms: string[], f: TopicSearchFilter) {
  if (!terms.length) return null
  const where = sql.join(
    [
      sql`t.merged_into_id IS NULL`,
      ...(f.audience === 'public' ? [sql`t.status = 'visible'`] : f.status ? [sql`t.status = ${f.status}`] : []),
      ...(f.categoryId ? [sql`t.category_id = ${f.categoryId}`] : []),
    ],
    sql` AND `,
  )
  if (dialect === 'postgres') {
    const query = terms.map((t, i) => (i === terms.length - 1 && !f.anyWord ? `${t}:*` : t)).join(f.anyWord ? ' | ' : ' & ')
    const tq = sql`to_tsquery(${PG_CONFIG}::regconfig, ${query})`
    return sql<{ id: number }>`SELECT t.id FROM (
        SELECT t.id FROM community_topics t WHERE t.search_vector @@ ${tq} AND ${where} ORDER BY t.id DESC LIMIT ${TOPIC_RANK_WINDOW}) recent
      JOIN community_topics t ON t.id = recent.id
      ORDER BY ts_rank(t.search_vector, ${tq}) DESC, t.id DESC LIMIT ${f.limit}`
  }
  const words = terms.map((t, i) => (i === terms.length - 1 && !f.anyWord ? `"${t}"*` : `"${t}"`)).join(f.anyWord ? ' OR ' : ' AND ')
  // FTS first: CROSS JOIN keeps SQLite from walking every topic and probing the matches per row.
  return sql<{ id: number }>`SELECT t.id FROM (
      SELECT rowid AS id, bm25(community_topics_fts, 8.0, 1.0) AS score FROM community_topics_fts WHERE community_topics_fts MATCH ${words}
      ORDER BY rowid DESC LIMIT ${TOPIC_RANK_WINDOW}) hits
    CROSS JOIN community_topics t ON t.id = hits.id
    WHERE ${where}
    ORDER BY hits.score, t.id DESC LIMIT ${f.limit}`
}

/** Topic ids best first, with typo tolerance; `corrected` is the query actually run when it differs from the input. */
export async function searchTopicIds(db: Executor, dialect: Dialect, q: string, f: TopicSearchFilter): Promise<{ ids: number[]; corrected: string | null }> {
  const terms = queryTerms(q)
  const run = async (words: string[]) => ((await topicSearchSql(dialect, words, f)?.execute(db))?.rows ?? []).map((r) => Number(r.id))
  const ids = await run(terms)
  if (ids.length || !terms.length) return { ids, corrected: null }
  const fixed = await Promise.all(terms.map(async (t) => (await correctWord(db, dialect, 'community_terms', t)) ?? t))
  if (fixed.every((t, i) => t === terms[i])) return { ids, corrected: null }
  return { ids: await run(fixed), corrected: fixed.join(' ') }
}
