import type { KbPublicArticleDto } from '@allhands/contract'
import { sql } from 'kysely'
import type { Dialect } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, notFound } from '../../platform/errors.ts'
import { queryTerms } from '../../platform/search.ts'
import { articlePath, findArticleRow, type KbArticleRow } from './kb.queries.ts'
import { searchArticles, snippetOf } from './kb.search.ts'

/**
 * What visitors of the help center see: published public articles only. An internal, draft or unknown article is
 * "not found"; a deleted or archived one is "gone" (410), so old links explain themselves.
 */
export type PublicLookup = { kind: 'ok'; article: KbArticleRow } | { kind: 'gone'; article: KbArticleRow } | { kind: 'missing' }

export async function lookupPublicArticle(db: Executor, id: number): Promise<PublicLookup> {
  const a = await findArticleRow(db, id)
  if (!a) return { kind: 'missing' }
  if (a.visibility !== 'public') return { kind: 'missing' }
  if (a.deletedAt !== null || a.status === 'archived') return a.publishedAt !== null ? { kind: 'gone', article: a } : { kind: 'missing' }
  if (a.status !== 'published') return { kind: 'missing' }
  return { kind: 'ok', article: a }
}

const publicArticles = (db: Executor) =>
  db.selectFrom('kbArticles').where('status', '=', 'published').where('visibility', '=', 'public').where('deletedAt', 'is', null)

export async function publicTranslations(db: Executor, a: KbArticleRow) {
  return publicArticles(db)
    .select(['id', 'lang', 'slug'])
    .where('translationGroup', '=', a.translationGroup ?? a.id)
    .orderBy('lang')
    .execute()
}

/** Other articles of the same section and language, in the section's order. */
export async function relatedArticles(db: Executor, a: KbArticleRow) {
  if (a.sectionId === null) return []
  return publicArticles(db)
    .select(['id', 'lang', 'slug', 'title'])
    .where('sectionId', '=', a.sectionId)
    .where('lang', '=', a.lang)
    .where('id', '!=', a.id)
    .orderBy('position')
    .orderBy('id')
    .limit(5)
    .execute()
}

export async function listPublicArticles(db: Executor, lang: string, sectionId?: number, limit = 500) {
  let q = publicArticles(db).select(['id', 'lang', 'slug', 'title', 'sectionId']).where('lang', '=', lang)
  if (sectionId !== undefined) q = q.where('sectionId', '=', sectionId)
  return q.orderBy('sectionId').orderBy('position').orderBy('id').limit(limit).execute()
}

/**
 * The home page's share: up to six articles of every section (the sixth only says "there are more") and fifty
 * without a section. One index range per section (kb_articles_by_section), however large the KB grows.
 */
export async function homeArticles(db: Executor, dialect: Dialect, lang: string) {
  const live = sql`b.status = 'published' AND b.visibility = 'public' AND b.deleted_at IS NULL AND b.lang = ${lang}`
  type Row = { id: number; lang: string; slug: string; title: string; sectionId: number | null }
  // PostgreSQL plans the correlated IN below as a scan per article; LATERAL gives it one index range per section.
  const sectioned =
    dialect === 'postgres'
      ? sql<Row>`SELECT a.id, a.lang, a.slug, a.title, a.section_id AS "sectionId" FROM kb_sections s
          CROSS JOIN LATERAL (SELECT b.* FROM kb_articles b WHERE b.section_id = s.id AND ${live} ORDER BY b.position, b.id LIMIT 6) a`
      : sql<Row>`SELECT a.id, a.lang, a.slug, a.title, a.section_id AS "sectionId" FROM kb_sections s
          JOIN kb_articles a ON a.id IN (SELECT b.id FROM kb_articles b WHERE b.section_id = s.id AND ${live} ORDER BY b.position, b.id LIMIT 6)`
  const loose = sql<Row>`SELECT b.id, b.lang, b.slug, b.title, b.section_id AS "sectionId" FROM kb_articles b
    WHERE b.section_id IS NULL AND ${live} ORDER BY b.position, b.id LIMIT 50`
  const [a, b] = await Promise.all([sectioned.execute(db), loose.execute(db)])
  return [...a.rows, ...b.rows]
}

export async function getPublicArticle(ctx: Ctx, id: number): Promise<KbPublicArticleDto> {
  const found = await lookupPublicArticle(ctx.db, id)
  if (found.kind !== 'ok') throw notFound('Article', id)
  const a = found.article
  const [translations, related] = await Promise.all([publicTranslations(ctx.db, a), relatedArticles(ctx.db, a)])
  return {
    id: a.id,
    lang: a.lang,
    title: a.title,
    bodyHtml: a.bodyHtml,
    sectionId: a.sectionId,
    url: articlePath(a),
    updatedAt: Number(a.updatedAt),
    translations: translations.filter((t) => t.id !== a.id).map((t) => ({ id: t.id, lang: t.lang, url: articlePath(t) })),
    related: related.map((r) => ({ id: r.id, title: r.title, url: articlePath(r) })),
  }
}

/** Help-center search; every search with words is logged (query, language, result count) for the gaps report. */
export async function publicSearch(ctx: Ctx, q: string, lang: string, limit = 20) {
  const terms = queryTerms(q)
  if (!terms.length) return { items: [], correctedQuery: null }
  const { rows, corrected } = await searchArticles(ctx.db, ctx.dialect, q, { lang, audience: 'public', limit })
  await ctx.db
    .insertInto('kbSearchLog')
    .values({ query: terms.join(' ').slice(0, 200), lang, results: rows.length, createdAt: now() })
    .execute()
  return {
    items: rows.map((r) => ({
      id: r.id,
      lang: r.lang,
      title: r.title,
      snippet: snippetOf(r.text, corrected ?? q),
      visibility: 'public' as const,
      url: articlePath(r),
    })),
    correctedQuery: corrected,
  }
}

/** One "was this helpful?" answer, with an optional comment kept for authors. */
export async function recordVote(ctx: Ctx, id: number, helpful: boolean, comment?: string) {
  const found = await lookupPublicArticle(ctx.db, id)
  if (found.kind !== 'ok') throw notFound('Article', id)
  const text = comment?.replace(/\s+/g, ' ').trim().slice(0, 2000) || null
  if (comment && comment.length > 2000) throw badRequest('comment is too long (2000 characters at most)')
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('kbVotes')
      .values({ articleId: id, helpful: helpful ? 1 : 0, comment: text, createdAt: now() })
      .execute()
    await trx
      .updateTable('kbArticles')
      .set((eb) => (helpful ? { helpfulCount: eb('helpfulCount', '+', 1) } : { unhelpfulCount: eb('unhelpfulCount', '+', 1) }))
      .where('id', '=', id)
      .execute()
  })
}

/** The visitor's best language among the offered ones, from Accept-Language (quality values honoured). */
export function negotiateLanguage(header: string | undefined, offered: string[]): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean)
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1, i }
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const w of wanted) {
    const exact = offered.find((o) => o.toLowerCase() === w.tag)
    if (exact) return exact
    const base = offered.find((o) => o.toLowerCase().split('-')[0] === w.tag.split('-')[0])
    if (base) return base
  }
  return offered[0]!
}
