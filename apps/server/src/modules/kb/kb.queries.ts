import type { KbArticleSummary, KbCategoryDto } from '@allhands/contract'
import type { Selectable } from 'kysely'
import type { Executor } from '../../platform/context.ts'
import type { DB } from '../../db/schema.ts'

export type KbArticleRow = Selectable<DB['kbArticles']>

export const findArticleRow = (db: Executor, id: number) => db.selectFrom('kbArticles').selectAll().where('id', '=', id).executeTakeFirst()

/** An article's public path; slugs keep non-Latin letters, so they are percent-encoded (a raw one breaks the Location header). */
export const articlePath = (a: { id: number; lang: string; slug: string }) =>
  `/help/${encodeURIComponent(a.lang)}/articles/${a.id}-${encodeURIComponent(a.slug)}`

/** A URL-safe slug from a title, ASCII where possible; "article" when nothing is left. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return slug || 'article'
}

export const presentSummary = (a: KbArticleRow): KbArticleSummary => ({
  id: a.id,
  lang: a.lang,
  title: a.title,
  slug: a.slug,
  status: a.status as KbArticleSummary['status'],
  visibility: a.visibility as KbArticleSummary['visibility'],
  sectionId: a.sectionId,
  version: a.version,
  helpfulCount: a.helpfulCount,
  unhelpfulCount: a.unhelpfulCount,
  updatedAt: Number(a.updatedAt),
  url: articlePath(a),
})

/** Categories with their sections, in display order. */
export async function listCategoryTree(db: Executor): Promise<KbCategoryDto[]> {
  const [categories, sections] = await Promise.all([
    db.selectFrom('kbCategories').selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('kbSections').selectAll().orderBy('position').orderBy('id').execute(),
  ])
  return categories.map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    position: c.position,
    sections: sections
      .filter((s) => s.categoryId === c.id)
      .map((s) => ({ id: s.id, categoryId: s.categoryId, name: s.name, description: s.description, position: s.position })),
  }))
}

export const userRefs = async (db: Executor, ids: (number | null)[]) => {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))]
  if (!wanted.length) return new Map<number, { id: number; name: string }>()
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r]))
}
