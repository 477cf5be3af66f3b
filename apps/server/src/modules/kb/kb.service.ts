import type {
  CreateKbArticleInput,
  KbArticleDto,
  KbArticleList,
  KbArticleListQuery,
  KbCategoryInput,
  KbCategoryPatch,
  KbCategoryTree,
  KbDiffDto,
  KbGapsDto,
  KbInsertDto,
  KbSearchResult,
  KbSectionDto,
  KbSectionInput,
  KbSectionPatch,
  KbSettingsDto,
  KbVersionDto,
  UpdateKbArticleInput,
} from '@allhands/contract'
import { diffLines, diffWords } from 'diff'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { afterCursor, decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { canViewTicket } from '../../platform/policy.ts'
import { htmlToText, sanitizeRichText } from '../../platform/sanitize.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'
import { removeArticleFiles } from './kb.files.ts'
import { HELP_CENTER_SETTINGS_KEY, readHelpCenterTheme } from './help-center.layout.ts'
import {
  canDeleteKbArticle,
  canEditKbArticle,
  canEditKbSettings,
  canManageKbStructure,
  canPublishKb,
  canSubmitKbArticle,
  canViewKbGaps,
  canWriteKbDraft,
} from './kb.policy.ts'
import { articlePath, findArticleRow, type KbArticleRow, listCategoryTree, presentSummary, slugify, userRefs } from './kb.queries.ts'
import { indexArticle, searchArticles, snippetOf } from './kb.search.ts'

/** An article a signed-in person may open: any that is not deleted. */
async function getArticleRow(db: Executor, id: number): Promise<KbArticleRow> {
  const row = await findArticleRow(db, id)
  if (!row || row.deletedAt !== null) throw notFound('Article', id)
  return row
}

export async function presentArticle(db: Executor, actor: Actor, a: KbArticleRow): Promise<KbArticleDto> {
  const group = a.translationGroup ?? a.id
  const [users, translations] = await Promise.all([
    userRefs(db, [a.authorId, a.submittedById]),
    db
      .selectFrom('kbArticles')
      .select(['id', 'lang', 'title', 'status'])
      .where('translationGroup', '=', group)
      .where('id', '!=', a.id)
      .where('deletedAt', 'is', null)
      .orderBy('lang')
      .execute(),
  ])
  return {
    ...presentSummary(a),
    translationGroup: group,
    bodyHtml: a.bodyHtml,
    author: a.authorId !== null ? (users.get(a.authorId) ?? null) : null,
    submittedBy: a.submittedById !== null ? (users.get(a.submittedById) ?? null) : null,
    reviewNote: a.reviewNote,
    publishedAt: a.publishedAt === null ? null : Number(a.publishedAt),
    createdAt: Number(a.createdAt),
    translations: translations.map((t) => ({ ...t, status: t.status as KbArticleDto['status'] })),
    canEdit: canEditKbArticle(actor, a),
    canPublish: canPublishKb(actor),
  }
}

// ---- categories and sections ----

export async function getCategoryTree(ctx: Ctx): Promise<KbCategoryTree> {
  return { items: await listCategoryTree(ctx.db) }
}

export async function createCategory(ctx: Ctx, actor: Actor, input: KbCategoryInput) {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base categories')
  const at = now()
  const row = await ctx.db
    .insertInto('kbCategories')
    .values({ name: input.name.trim(), description: input.description ?? '', position: input.position ?? 0, createdAt: at, updatedAt: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return (await listCategoryTree(ctx.db)).find((c) => c.id === row.id)!
}

export async function updateCategory(ctx: Ctx, actor: Actor, id: number, patch: KbCategoryPatch) {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base categories')
  const res = await ctx.db
    .updateTable('kbCategories')
    .set({ ...patch, ...(patch.name ? { name: patch.name.trim() } : {}), updatedAt: now() })
    .where('id', '=', id)
    .executeTakeFirst()
  if (!Number(res.numUpdatedRows)) throw notFound('Category', id)
  return (await listCategoryTree(ctx.db)).find((c) => c.id === id)!
}

/** Deleting a category deletes its sections; their articles stay, without a section. */
export async function deleteCategory(ctx: Ctx, actor: Actor, id: number) {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base categories')
  await ctx.db.transaction().execute(async (trx) => {
    const sections = await trx.selectFrom('kbSections').select('id').where('categoryId', '=', id).execute()
    if (sections.length)
      await trx
        .updateTable('kbArticles')
        .set({ sectionId: null })
        .where(
          'sectionId',
          'in',
          sections.map((s) => s.id),
        )
        .execute()
    await trx.deleteFrom('kbSections').where('categoryId', '=', id).execute()
    const res = await trx.deleteFrom('kbCategories').where('id', '=', id).executeTakeFirst()
    if (!Number(res.numDeletedRows)) throw notFound('Category', id)
  })
}

async function assertCategory(db: Executor, id: number) {
  if (!(await db.selectFrom('kbCategories').select('id').where('id', '=', id).executeTakeFirst())) throw badRequest(`Category ${id} does not exist`)
}
async function assertSection(db: Executor, id: number | null | undefined) {
  if (id == null) return
  if (!(await db.selectFrom('kbSections').select('id').where('id', '=', id).executeTakeFirst())) throw badRequest(`Section ${id} does not exist`)
}

const presentSection = (s: { id: number; categoryId: number; name: string; description: string; position: number }): KbSectionDto => ({
  id: s.id,
  categoryId: s.categoryId,
  name: s.name,
  description: s.description,
  position: s.position,
})

export async function createSection(ctx: Ctx, actor: Actor, input: KbSectionInput): Promise<KbSectionDto> {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base sections')
  await assertCategory(ctx.db, input.categoryId)
  const at = now()
  const row = await ctx.db
    .insertInto('kbSections')
    .values({
      categoryId: input.categoryId,
      name: input.name.trim(),
      description: input.description ?? '',
      position: input.position ?? 0,
      createdAt: at,
      updatedAt: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return presentSection(row)
}

export async function updateSection(ctx: Ctx, actor: Actor, id: number, patch: KbSectionPatch): Promise<KbSectionDto> {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base sections')
  if (patch.categoryId !== undefined) await assertCategory(ctx.db, patch.categoryId)
  const row = await ctx.db
    .updateTable('kbSections')
    .set({ ...patch, ...(patch.name ? { name: patch.name.trim() } : {}), updatedAt: now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('Section', id)
  return presentSection(row)
}

export async function deleteSection(ctx: Ctx, actor: Actor, id: number) {
  if (!canManageKbStructure(actor)) throw forbidden('manage knowledge-base sections')
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('kbArticles').set({ sectionId: null }).where('sectionId', '=', id).execute()
    const res = await trx.deleteFrom('kbSections').where('id', '=', id).executeTakeFirst()
    if (!Number(res.numDeletedRows)) throw notFound('Section', id)
  })
}

// ---- articles ----

export async function listArticles(ctx: Ctx, _actor: Actor, q: KbArticleListQuery): Promise<KbArticleList> {
  const limit = q.limit ?? 50
  const after = decodeCursor(q.cursor, 2)
  let query = ctx.db.selectFrom('kbArticles').selectAll().where('deletedAt', 'is', null)
  if (q.status) query = query.where('status', '=', q.status)
  if (q.lang) query = query.where('lang', '=', q.lang)
  if (q.sectionId) query = query.where('sectionId', '=', q.sectionId)
  if (after) {
    const [at, id] = after as [number, number]
    query = query.where((eb) => afterCursor(eb, 'updatedAt', 'id', 'desc', at, id))
  }
  const rows = await query
    .orderBy('updatedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { items: page.map(presentSummary), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.updatedAt), last.id]) : null }
}

export async function getArticle(ctx: Ctx, actor: Actor, id: number): Promise<KbArticleDto> {
  return presentArticle(ctx.db, actor, await getArticleRow(ctx.db, id))
}

async function appendVersion(db: Executor, a: { id: number; version: number; title: string; bodyHtml: string }, actor: Actor, note: string, at: number) {
  await db
    .insertInto('kbArticleVersions')
    .values({ articleId: a.id, version: a.version, title: a.title, bodyHtml: a.bodyHtml, note, authorId: actor.id, createdAt: at })
    .execute()
}

async function defaultLang(db: Executor) {
  return (await readHelpCenterTheme(db)).languages[0]!
}

/** A new draft (publishers may also create it published by publishing right after); every save is a version. */
export async function createArticle(ctx: Ctx, actor: Actor, input: CreateKbArticleInput): Promise<KbArticleDto> {
  if (!canWriteKbDraft(actor)) throw forbidden('write knowledge-base articles')
  await assertSection(ctx.db, input.sectionId)
  const bodyHtml = sanitizeRichText(input.bodyHtml)
  const at = now()
  const lang = input.lang ?? (await defaultLang(ctx.db))
  const row = await ctx.db.transaction().execute(async (trx) => {
    let group: number | null = null
    let sectionId = input.sectionId ?? null
    if (input.translationOf !== undefined) {
      const source = await findArticleRow(trx, input.translationOf)
      if (!source || source.deletedAt !== null) throw badRequest(`Article ${input.translationOf} does not exist`)
      group = source.translationGroup ?? source.id
      const taken = await trx
        .selectFrom('kbArticles')
        .select('id')
        .where('translationGroup', '=', group)
        .where('lang', '=', lang)
        .where('deletedAt', 'is', null)
        .executeTakeFirst()
      if (taken || source.lang === lang) throw conflict(`This article already has a ${lang} translation`, { articleId: taken?.id ?? source.id })
      if (input.sectionId === undefined) sectionId = source.sectionId
    }
    const inserted = await trx
      .insertInto('kbArticles')
      .values({
        translationGroup: group,
        lang,
        sectionId,
        title: input.title.trim(),
        slug: slugify(input.title),
        bodyHtml,
        bodyText: htmlToText(bodyHtml),
        status: 'draft',
        visibility: input.visibility ?? 'public',
        version: 1,
        authorId: actor.id,
        createdAt: at,
        updatedAt: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (group === null) await trx.updateTable('kbArticles').set({ translationGroup: inserted.id }).where('id', '=', inserted.id).execute()
    await appendVersion(trx, inserted, actor, input.note ?? 'Created', at)
    return { ...inserted, translationGroup: group ?? inserted.id }
  })
  return presentArticle(ctx.db, actor, row)
}

export async function updateArticle(ctx: Ctx, actor: Actor, id: number, input: UpdateKbArticleInput, note?: string): Promise<KbArticleDto> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const a = await getArticleRow(trx, id)
    if (!canEditKbArticle(actor, a))
      throw forbidden('edit this article', canPublishKb(actor) ? undefined : 'only your own drafts; a publisher edits live articles')
    await assertSection(trx, input.sectionId)
    const bodyHtml = input.bodyHtml !== undefined ? sanitizeRichText(input.bodyHtml) : a.bodyHtml
    const title = input.title !== undefined ? input.title.trim() : a.title
    const contentChanged = bodyHtml !== a.bodyHtml || title !== a.title
    const at = now()
    const next = await trx
      .updateTable('kbArticles')
      .set({
        title,
        slug: slugify(title),
        bodyHtml,
        bodyText: htmlToText(bodyHtml),
        ...(input.sectionId !== undefined ? { sectionId: input.sectionId } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        version: contentChanged ? a.version + 1 : a.version,
        updatedAt: at,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (contentChanged) await appendVersion(trx, next, actor, note ?? input.note ?? '', at)
    if (next.status === 'published') await indexArticle(trx, ctx.dialect, next)
    return next
  })
  return presentArticle(ctx.db, actor, row)
}

async function setStatus(ctx: Ctx, actor: Actor, id: number, change: (a: KbArticleRow) => Partial<KbArticleRow>, audit?: string) {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const a = await getArticleRow(trx, id)
    const next = await trx
      .updateTable('kbArticles')
      .set({ ...change(a), updatedAt: now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (next.status === 'published') await indexArticle(trx, ctx.dialect, next)
    else if (a.status === 'published') await indexArticle(trx, ctx.dialect, { id, remove: true })
    if (audit) await recordAudit(trx, { actorId: actor.id, action: audit, targetType: 'kb_article', targetId: id, data: { title: next.title } })
    return next
  })
  return presentArticle(ctx.db, actor, row)
}

/** A contributor's draft goes to the review queue; publishers see it there. */
export async function submitArticle(ctx: Ctx, actor: Actor, id: number) {
  const a = await getArticleRow(ctx.db, id)
  if (!canSubmitKbArticle(actor, a)) {
    if (a.status !== 'draft') throw conflict(`Only a draft can be submitted; this article is ${a.status}`)
    throw forbidden('submit this article')
  }
  return setStatus(ctx, actor, id, () => ({ status: 'in_review', submittedById: actor.id, reviewNote: null }))
}

export async function publishArticle(ctx: Ctx, actor: Actor, id: number, note?: string) {
  if (!canPublishKb(actor)) throw forbidden('publish articles', 'a contributor submits the draft for review')
  return setStatus(ctx, actor, id, (a) => ({ status: 'published', publishedAt: a.publishedAt ?? now(), reviewNote: note ?? null }), 'kb.article_published')
}

/** A reviewer sends the draft back with a note. */
export async function rejectArticle(ctx: Ctx, actor: Actor, id: number, note?: string) {
  if (!canPublishKb(actor)) throw forbidden('review articles')
  const a = await getArticleRow(ctx.db, id)
  if (a.status !== 'in_review') throw conflict(`Only an article in review can be sent back; this one is ${a.status}`)
  return setStatus(ctx, actor, id, () => ({ status: 'draft', reviewNote: note ?? null }))
}

export async function archiveArticle(ctx: Ctx, actor: Actor, id: number) {
  if (!canPublishKb(actor)) throw forbidden('archive articles')
  return setStatus(ctx, actor, id, () => ({ status: 'archived' }), 'kb.article_archived')
}

/** Soft delete: links to it keep answering (410 in the help center, a note in the composer) instead of breaking. */
export async function deleteArticle(ctx: Ctx, actor: Actor, id: number) {
  await ctx.db.transaction().execute(async (trx) => {
    const a = await getArticleRow(trx, id)
    if (!canDeleteKbArticle(actor, a)) throw forbidden('delete this article')
    await trx.updateTable('kbArticles').set({ deletedAt: now(), updatedAt: now() }).where('id', '=', id).execute()
    await indexArticle(trx, ctx.dialect, { id, remove: true })
    await recordAudit(trx, { actorId: actor.id, action: 'kb.article_deleted', targetType: 'kb_article', targetId: id, data: { title: a.title } })
  })
  await removeArticleFiles(ctx, id)
}

// ---- versions ----

export async function listVersions(ctx: Ctx, _actor: Actor, id: number): Promise<{ items: KbVersionDto[] }> {
  await getArticleRow(ctx.db, id)
  const rows = await ctx.db.selectFrom('kbArticleVersions').selectAll().where('articleId', '=', id).orderBy('version', 'desc').limit(500).execute()
  const users = await userRefs(
    ctx.db,
    rows.map((r) => r.authorId),
  )
  return {
    items: rows.map((r) => ({
      version: r.version,
      title: r.title,
      note: r.note,
      author: r.authorId !== null ? (users.get(r.authorId) ?? null) : null,
      createdAt: Number(r.createdAt),
    })),
  }
}

async function getVersion(db: Executor, id: number, version: number) {
  const row = await db.selectFrom('kbArticleVersions').selectAll().where('articleId', '=', id).where('version', '=', version).executeTakeFirst()
  if (!row) throw notFound(`Version ${version} of article`, id)
  return row
}

export async function diffVersions(ctx: Ctx, _actor: Actor, id: number, from: number, to: number): Promise<KbDiffDto> {
  await getArticleRow(ctx.db, id)
  const [a, b] = await Promise.all([getVersion(ctx.db, id, from), getVersion(ctx.db, id, to)])
  const parts = (cs: { value: string; added?: boolean; removed?: boolean }[]) => cs.map((c) => ({ value: c.value, added: !!c.added, removed: !!c.removed }))
  return { from, to, title: parts(diffWords(a.title, b.title)), body: parts(diffLines(htmlToText(a.bodyHtml), htmlToText(b.bodyHtml))) }
}

/** Restoring never rewrites history: the old text becomes a new version. */
export async function restoreVersion(ctx: Ctx, actor: Actor, id: number, version: number) {
  const v = await getVersion(ctx.db, id, version)
  return updateArticle(ctx, actor, id, { title: v.title, bodyHtml: v.bodyHtml }, `Restored version ${version}`)
}

// ---- search, suggestions, composer ----

const hitsOf = (rows: Awaited<ReturnType<typeof searchArticles>>['rows'], q: string) =>
  rows.map((r) => ({
    id: r.id,
    lang: r.lang,
    title: r.title,
    snippet: snippetOf(r.text, q),
    visibility: r.visibility as 'public' | 'internal',
    url: articlePath(r),
  }))

/** Staff search: published articles, internal ones included. */
export async function searchKb(ctx: Ctx, _actor: Actor, q: string, lang?: string, limit = 10): Promise<KbSearchResult> {
  const language = lang ?? (await defaultLang(ctx.db))
  const { rows, corrected } = await searchArticles(ctx.db, ctx.dialect, q, { lang: language, audience: 'staff', limit })
  return { items: hitsOf(rows, corrected ?? q), correctedQuery: corrected }
}

const STOP = new Set(
  'about after again also because been before being between both could does doing down during each from further have having here hers himself into itself just more most once only other ours over same should some such than that their theirs them then there these they this those through under until very were what when where which while whom will with would your yours hello thanks thank please regards dear best'.split(
    ' ',
  ),
)

/** Articles for a ticket: its subject and first customer message, any of their significant words. */
export async function suggestForTicket(ctx: Ctx, actor: Actor, ticketId: number): Promise<KbSearchResult> {
  const ticket = await findTicketRow(ctx.db, ticketId)
  if (!ticket || !canViewTicket(actor, ticket)) throw notFound('Ticket', ticketId)
  const first = await ctx.db.selectFrom('messages').select('text').where('ticketId', '=', ticketId).orderBy('id').limit(1).executeTakeFirst()
  const text = `${ticket.subject} ${ticket.subject} ${(first?.text ?? '').slice(0, 2000)}`
  const words = [...new Set((text.toLowerCase().match(/\p{L}{4,30}/gu) ?? []).filter((w) => !STOP.has(w)))].slice(0, 16)
  if (!words.length) return { items: [], correctedQuery: null }
  const { rows } = await searchArticles(ctx.db, ctx.dialect, words.join(' '), { lang: await defaultLang(ctx.db), audience: 'staff', limit: 5, anyWord: true })
  return { items: hitsOf(rows, words.join(' ')), correctedQuery: null }
}

/** What the composer inserts: the public link and the article's HTML. A deleted article is a clear 404. */
export async function articleForInsert(ctx: Ctx, _actor: Actor, id: number): Promise<KbInsertDto> {
  const a = await getArticleRow(ctx.db, id)
  if (a.status !== 'published') throw conflict('Only a published article can be inserted into a reply')
  // A reply leaves the help desk: the article's own images need the help center's full address there.
  const bodyHtml = ctx.config.publicUrl ? a.bodyHtml.replace(/src="\/help\/files\//g, `src="${ctx.config.publicUrl}/help/files/`) : a.bodyHtml
  return { id: a.id, title: a.title, url: `${ctx.config.publicUrl}${articlePath(a)}`, bodyHtml }
}

// ---- gaps and settings ----

export async function getGaps(ctx: Ctx, actor: Actor, days = 30): Promise<KbGapsDto> {
  if (!canViewKbGaps(actor)) throw forbidden('see knowledge-base gaps')
  const since = now() - days * 86_400_000
  const noResults = await ctx.db
    .selectFrom('kbSearchLog')
    .select((eb) => ['query', 'lang', eb.fn.countAll<number>().as('count'), eb.fn.max('createdAt').as('lastAt')])
    .where('results', '=', 0)
    .where('createdAt', '>=', since)
    .groupBy(['query', 'lang'])
    .orderBy('count', 'desc')
    .orderBy('lastAt', 'desc')
    .limit(50)
    .execute()
  const articles = await ctx.db
    .selectFrom('kbArticles')
    .selectAll()
    .where('unhelpfulCount', '>', 0)
    .where('deletedAt', 'is', null)
    .orderBy('unhelpfulCount', 'desc')
    .limit(20)
    .execute()
  const unhelpful = await Promise.all(
    articles.map(async (a) => {
      const comments = await ctx.db
        .selectFrom('kbVotes')
        .select(['comment', 'createdAt'])
        .where('articleId', '=', a.id)
        .where('helpful', '=', 0)
        .where('comment', 'is not', null)
        .orderBy('createdAt', 'desc')
        .limit(5)
        .execute()
      return { article: presentSummary(a), comments: comments.map((c) => ({ comment: c.comment!, createdAt: Number(c.createdAt) })) }
    }),
  )
  return {
    noResults: noResults.map((r) => ({ query: r.query, lang: r.lang, count: Number(r.count), lastAt: Number(r.lastAt) })),
    unhelpful,
  }
}

export async function getKbSettings(ctx: Ctx): Promise<KbSettingsDto> {
  return readHelpCenterTheme(ctx.db)
}

export async function updateKbSettings(ctx: Ctx, actor: Actor, input: KbSettingsDto): Promise<KbSettingsDto> {
  if (!canEditKbSettings(actor)) throw forbidden('change the help center settings')
  const value = JSON.stringify({ ...input, languages: [...new Set(input.languages)] })
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: HELP_CENTER_SETTINGS_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'kb.settings_changed', targetType: 'settings', targetId: null, data: { languages: input.languages } })
  })
  return readHelpCenterTheme(ctx.db)
}
