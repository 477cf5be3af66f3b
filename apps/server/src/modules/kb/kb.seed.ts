import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { htmlToText, sanitizeRichText } from '../../platform/sanitize.ts'
import { slugify } from './kb.queries.ts'
import { indexArticle } from './kb.search.ts'

/** Bulk-loading articles for the demo workspace and the benchmark: same rows, version and index as the service writes. */
export async function insertKbArticle(
  db: Executor,
  dialect: Dialect,
  a: {
    title: string
    bodyHtml: string
    lang?: string
    sectionId?: number | null
    status?: 'draft' | 'in_review' | 'published' | 'archived'
    visibility?: 'public' | 'internal'
    translationOf?: number
    authorId?: number | null
    at: number
    position?: number
  },
): Promise<number> {
  const bodyHtml = sanitizeRichText(a.bodyHtml)
  const status = a.status ?? 'published'
  const row = await db
    .insertInto('kbArticles')
    .values({
      translationGroup: a.translationOf ?? null,
      lang: a.lang ?? 'en',
      sectionId: a.sectionId ?? null,
      title: a.title,
      slug: slugify(a.title),
      bodyHtml,
      bodyText: htmlToText(bodyHtml),
      status,
      visibility: a.visibility ?? 'public',
      position: a.position ?? 0,
      version: 1,
      authorId: a.authorId ?? null,
      submittedById: status === 'in_review' ? (a.authorId ?? null) : null,
      publishedAt: status === 'published' ? a.at : null,
      createdAt: a.at,
      updatedAt: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (a.translationOf === undefined) await db.updateTable('kbArticles').set({ translationGroup: row.id }).where('id', '=', row.id).execute()
  await db
    .insertInto('kbArticleVersions')
    .values({ articleId: row.id, version: 1, title: a.title, bodyHtml, note: 'Created', authorId: a.authorId ?? null, createdAt: a.at })
    .execute()
  if (status === 'published') await indexArticle(db, dialect, { id: row.id, lang: a.lang ?? 'en', title: a.title, bodyText: htmlToText(bodyHtml) })
  return row.id
}

export async function insertKbCategory(db: Executor, name: string, description: string, position: number, at: number) {
  return (await db.insertInto('kbCategories').values({ name, description, position, createdAt: at, updatedAt: at }).returning('id').executeTakeFirstOrThrow())
    .id
}

export async function insertKbSection(db: Executor, categoryId: number, name: string, position: number, at: number) {
  return (await db.insertInto('kbSections').values({ categoryId, name, position, createdAt: at, updatedAt: at }).returning('id').executeTakeFirstOrThrow()).id
}
