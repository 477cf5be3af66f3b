import type {
  CommunityCategoryDto,
  CommunityCategoryInput,
  CommunityCategoryPatch,
  CommunityMemberDto,
  CommunityTopicDto,
  CommunityTopicListQuery,
  CommunityTopicPage,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { canManageCommunitySettings, canModerateCommunity, type Poster } from './community.policy.ts'
import { isFollowing } from './community.posting.ts'
import { searchTopicIds } from './community.search.ts'
import { getMemberRow, getTopicRow, listTopicPosts, type MemberRow, presentPosts, presentTopics, type TopicRow } from './community.queries.ts'

// ---- categories ----

/** Categories in display order, with how many public topics each holds (a counter kept by the writes, see trackTopicCount). */
export async function listCategories(db: Executor): Promise<CommunityCategoryDto[]> {
  const rows = await db.selectFrom('communityCategories').selectAll().orderBy('position').orderBy('id').execute()
  return rows.map((c) => ({ id: c.id, name: c.name, description: c.description, position: c.position, topicCount: c.topicCount }))
}

const categoryDto = async (db: Executor, id: number) => {
  const c = (await listCategories(db)).find((x) => x.id === id)
  if (!c) throw notFound('Category', id)
  return c
}

export async function createCategory(ctx: Ctx, actor: Actor, input: CommunityCategoryInput): Promise<CommunityCategoryDto> {
  if (!canManageCommunitySettings(actor)) throw forbidden('manage community categories')
  const t = now()
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('communityCategories')
      .values({ name: input.name.trim(), description: input.description ?? '', position: input.position ?? 0, createdAt: t, updatedAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.category_created',
      targetType: 'community_category',
      targetId: inserted.id,
      data: { name: input.name },
    })
    return inserted
  })
  return categoryDto(ctx.db, row.id)
}

export async function updateCategory(ctx: Ctx, actor: Actor, id: number, patch: CommunityCategoryPatch): Promise<CommunityCategoryDto> {
  if (!canManageCommunitySettings(actor)) throw forbidden('manage community categories')
  const res = await ctx.db
    .updateTable('communityCategories')
    .set({ ...patch, ...(patch.name ? { name: patch.name.trim() } : {}), updatedAt: now() })
    .where('id', '=', id)
    .executeTakeFirst()
  if (!Number(res.numUpdatedRows)) throw notFound('Category', id)
  return categoryDto(ctx.db, id)
}

/** Only an empty category can go: move its topics first, so no question loses its place. */
export async function deleteCategory(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageCommunitySettings(actor)) throw forbidden('manage community categories')
  await ctx.db.transaction().execute(async (trx) => {
    const used = await trx.selectFrom('communityTopics').select('id').where('categoryId', '=', id).limit(1).executeTakeFirst()
    if (used) throw conflict('This category still has topics; move them to another category first')
    const res = await trx.deleteFrom('communityCategories').where('id', '=', id).executeTakeFirst()
    if (!Number(res.numDeletedRows)) throw notFound('Category', id)
    await recordAudit(trx, { actorId: actor.id, action: 'community.category_deleted', targetType: 'community_category', targetId: id })
  })
}

// ---- topics ----

/** Topics for staff (held and hidden ones too), keyset-paginated: latest activity, unanswered, or top score. */
export async function listTopics(ctx: Ctx, actor: Actor, q: CommunityTopicListQuery): Promise<CommunityTopicPage> {
  if (!canModerateCommunity(actor)) throw forbidden('moderate the community')
  const limit = q.limit ?? 50
  const sort = q.sort ?? 'latest'
  const status = q.status && q.status !== 'all' ? q.status : undefined
  if (q.q?.trim()) {
    // A text filter: the public search's query over every status, best match first, one page.
    const { ids } = await searchTopicIds(ctx.db, ctx.dialect, q.q, { audience: 'staff', status, categoryId: q.categoryId, limit })
    const rows = (await topicsInOrder(ctx.db, ids)).filter((t) => sort !== 'unanswered' || t.answerCount === 0)
    return { items: await presentTopics(ctx.db, rows), nextCursor: null }
  }
  const after = decodeCursor(q.cursor, 2) as [number, number] | null
  let query = ctx.db.selectFrom('communityTopics').selectAll().where('mergedIntoId', 'is', null)
  if (status) query = query.where('status', '=', status)
  if (q.categoryId) query = query.where('categoryId', '=', q.categoryId)
  if (sort === 'unanswered') query = query.where('answerCount', '=', 0)
  const key = sort === 'top' ? 'score' : 'lastActivityAt'
  if (after) query = query.where((eb) => eb.or([eb(key, '<', after[0]), eb.and([eb(key, '=', after[0]), eb('id', '<', after[1])])]))
  const rows = await query
    .orderBy(key, 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await presentTopics(ctx.db, page),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last[key]), last.id]) : null,
  }
}

/** A topic with its posts for whoever may see them: staff see held and hidden posts, others only public ones. */
export async function presentTopicDetail(db: Executor, topic: TopicRow, viewer: Poster | null): Promise<CommunityTopicDto> {
  const staff = viewer?.kind === 'staff' && canModerateCommunity(viewer.actor)
  const [summary] = await presentTopics(db, [topic])
  const posts = await listTopicPosts(db, topic, { visibleOnly: !staff })
  return { ...summary!, posts: await presentPosts(db, posts, topic.acceptedPostId), following: await isFollowing(db, topic.id, viewer) }
}

export async function getTopic(ctx: Ctx, actor: Actor, id: number): Promise<CommunityTopicDto> {
  if (!canModerateCommunity(actor)) throw forbidden('moderate the community')
  return presentTopicDetail(ctx.db, await getTopicRow(ctx.db, id), { kind: 'staff', actor })
}

// ---- members ----

export const presentMember = (m: MemberRow): CommunityMemberDto => ({
  id: m.id,
  displayName: m.displayName,
  email: m.email,
  contactId: m.contactId,
  reputation: m.reputation,
  postCount: m.postCount,
  bannedAt: m.bannedAt === null ? null : Number(m.bannedAt),
  banReason: m.banReason,
  createdAt: Number(m.createdAt),
})

export async function getMember(ctx: Ctx, actor: Actor, id: number): Promise<CommunityMemberDto> {
  if (!canModerateCommunity(actor)) throw forbidden('see community members')
  return presentMember(await getMemberRow(ctx.db, id))
}

// ---- public reads ----

export const PUBLIC_PAGE_SIZE = 30

/**
 * The public topic list query: visible topics of one category or all, pinned first inside a category, then by activity,
 * by score, or unanswered only. Each sort walks its own index (see the 2026_11_27_0020 migration and the plan test).
 */
export function publicTopicsQuery(db: Executor, opts: { categoryId?: number; sort: 'latest' | 'unanswered' | 'top'; page: number }) {
  // Merged topics have status `merged`: the status alone keeps them out, straight from the index.
  let q = db.selectFrom('communityTopics').selectAll().where('status', '=', 'visible')
  if (opts.categoryId) q = q.where('categoryId', '=', opts.categoryId)
  if (opts.sort === 'unanswered') q = q.where('answerCount', '=', 0)
  if (opts.categoryId) q = q.orderBy('isPinned', 'desc')
  q = opts.sort === 'top' ? q.orderBy('score', 'desc').orderBy('lastActivityAt', 'desc') : q.orderBy('lastActivityAt', 'desc')
  return q
    .orderBy('id', 'desc')
    .limit(PUBLIC_PAGE_SIZE + 1)
    .offset((opts.page - 1) * PUBLIC_PAGE_SIZE)
}

/** Public topics of one category or all (offset pages for the HTML lists). */
export async function listPublicTopics(db: Executor, opts: { categoryId?: number; sort: 'latest' | 'unanswered' | 'top'; page: number }) {
  const rows = await publicTopicsQuery(db, opts).execute()
  return { rows: rows.slice(0, PUBLIC_PAGE_SIZE), hasMore: rows.length > PUBLIC_PAGE_SIZE }
}

/** Topics in search order (ids from the search), dropping any that changed in between. */
async function topicsInOrder(db: Executor, ids: number[]): Promise<TopicRow[]> {
  if (!ids.length) return []
  const rows = await db.selectFrom('communityTopics').selectAll().where('id', 'in', ids).execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id) => byId.get(id)).filter((r): r is TopicRow => !!r)
}

export const SEARCH_RESULTS = 30

/** The public search: public, approved, not hidden topics, ranked, with typo correction. */
export async function searchPublicTopics(ctx: Ctx, q: string, opts: { limit?: number; anyWord?: boolean } = {}) {
  const { ids, corrected } = await searchTopicIds(ctx.db, ctx.dialect, q, { audience: 'public', limit: opts.limit ?? SEARCH_RESULTS, anyWord: opts.anyWord })
  const rows = await topicsInOrder(ctx.db, ids)
  const questions = rows.length
    ? await ctx.db
        .selectFrom('communityPosts')
        .select(['topicId', 'bodyText'])
        .where(
          'topicId',
          'in',
          rows.map((r) => r.id),
        )
        .where('kind', '=', 'question')
        .execute()
    : []
  const text = new Map(questions.map((p) => [p.topicId, p.bodyText]))
  return { rows: rows.filter((r) => r.status === 'visible' && r.mergedIntoId === null), corrected, textOf: (id: number) => text.get(id) ?? '' }
}

/** A member's public profile: reputation, and their latest public questions and answers. */
export async function publicProfile(db: Executor, memberId: number) {
  const member = await db.selectFrom('communityMembers').selectAll().where('id', '=', memberId).executeTakeFirst()
  if (!member) return null
  const posts = await db
    .selectFrom('communityPosts as p')
    .innerJoin('communityTopics as t', 't.id', 'p.topicId')
    .select(['p.id', 'p.kind', 'p.score', 'p.createdAt', 't.id as topicId', 't.title', 't.slug', 't.acceptedPostId'])
    .where('p.authorMemberId', '=', memberId)
    .where('p.status', '=', 'visible')
    .where('t.status', '=', 'visible')
    .orderBy('p.createdAt', 'desc')
    .limit(30)
    .execute()
  return { member, posts }
}
