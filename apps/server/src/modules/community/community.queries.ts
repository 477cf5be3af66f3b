import type { CommunityAuthorDto, CommunityPostDto, CommunityTopicSummary } from '@allhands/contract'
import { type Selectable, sql } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Executor } from '../../platform/context.ts'
import { notFound } from '../../platform/errors.ts'

export type TopicRow = Selectable<DB['communityTopics']>
export type PostRow = Selectable<DB['communityPosts']>
export type MemberRow = Selectable<DB['communityMembers']>

/** Public path of a topic; the slug is decoration, the id finds it. */
export const topicPath = (t: { id: number; slug: string }) => `/community/t/${t.id}-${t.slug}`
export const memberPath = (id: number) => `/community/u/${id}`

export const findTopicRow = (db: Executor, id: number) => db.selectFrom('communityTopics').selectAll().where('id', '=', id).executeTakeFirst()
export async function getTopicRow(db: Executor, id: number): Promise<TopicRow> {
  const row = await findTopicRow(db, id)
  if (!row) throw notFound('Topic', id)
  return row
}
export const findPostRow = (db: Executor, id: number) => db.selectFrom('communityPosts').selectAll().where('id', '=', id).executeTakeFirst()
export async function getPostRow(db: Executor, id: number): Promise<PostRow> {
  const row = await findPostRow(db, id)
  if (!row) throw notFound('Post', id)
  return row
}
export const findMemberRow = (db: Executor, id: number) => db.selectFrom('communityMembers').selectAll().where('id', '=', id).executeTakeFirst()
export async function getMemberRow(db: Executor, id: number): Promise<MemberRow> {
  const row = await findMemberRow(db, id)
  if (!row) throw notFound('Member', id)
  return row
}

/** The question post of a topic (its first post). */
export const questionOf = (db: Executor, topicId: number) =>
  db.selectFrom('communityPosts').selectAll().where('topicId', '=', topicId).where('kind', '=', 'question').orderBy('id').executeTakeFirst()

/** Authors of many posts and topics in two queries. */
export async function authorsOf(db: Executor, rows: { authorMemberId: number | null; authorUserId: number | null }[]) {
  const memberIds = [...new Set(rows.map((r) => r.authorMemberId).filter((x): x is number => x !== null))]
  const userIds = [...new Set(rows.map((r) => r.authorUserId).filter((x): x is number => x !== null))]
  const [members, users] = await Promise.all([
    memberIds.length ? db.selectFrom('communityMembers').select(['id', 'displayName', 'reputation']).where('id', 'in', memberIds).execute() : [],
    userIds.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
  ])
  const m = new Map(members.map((x) => [x.id, x]))
  const u = new Map(users.map((x) => [x.id, x]))
  return (r: { authorMemberId: number | null; authorUserId: number | null }): CommunityAuthorDto | null => {
    if (r.authorUserId !== null) {
      const user = u.get(r.authorUserId)
      return user ? { kind: 'staff', id: user.id, name: user.name, reputation: null } : null
    }
    const member = r.authorMemberId !== null ? m.get(r.authorMemberId) : undefined
    return member ? { kind: 'member', id: member.id, name: member.displayName, reputation: member.reputation } : null
  }
}

export async function presentTopics(db: Executor, rows: TopicRow[]): Promise<CommunityTopicSummary[]> {
  const author = await authorsOf(db, rows)
  return rows.map((t) => ({
    id: t.id,
    title: t.title,
    categoryId: t.categoryId,
    status: t.status as CommunityTopicSummary['status'],
    isLocked: !!t.isLocked,
    isPinned: !!t.isPinned,
    answerCount: t.answerCount,
    score: t.score,
    acceptedPostId: t.acceptedPostId,
    author: author(t),
    mergedIntoId: t.mergedIntoId,
    ticketId: t.ticketId,
    kbArticleId: t.kbArticleId,
    vocItemId: t.vocItemId,
    url: topicPath(t),
    lastActivityAt: Number(t.lastActivityAt),
    createdAt: Number(t.createdAt),
  }))
}

export async function presentPosts(db: Executor, rows: PostRow[], acceptedPostId: number | null): Promise<CommunityPostDto[]> {
  const author = await authorsOf(db, rows)
  return rows.map((p) => ({
    id: p.id,
    topicId: p.topicId,
    kind: p.kind as CommunityPostDto['kind'],
    author: author(p),
    bodyHtml: p.bodyHtml,
    status: p.status as CommunityPostDto['status'],
    heldReason: p.heldReason,
    score: p.score,
    flagCount: p.flagCount,
    isAccepted: p.id === acceptedPostId,
    editedAt: p.editedAt === null ? null : Number(p.editedAt),
    createdAt: Number(p.createdAt),
  }))
}

/** Posts of a topic in reading order: the question, then the accepted answer, then answers by votes, oldest first on ties. */
export async function listTopicPosts(db: Executor, topic: TopicRow, opts: { visibleOnly: boolean }): Promise<PostRow[]> {
  let q = db.selectFrom('communityPosts').selectAll().where('topicId', '=', topic.id)
  if (opts.visibleOnly) q = q.where('status', '=', 'visible')
  const rows = await q.orderBy('id').execute()
  const rank = (p: PostRow) => (p.kind === 'question' ? 0 : p.id === topic.acceptedPostId ? 1 : 2)
  return rows.sort((a, b) => rank(a) - rank(b) || b.score - a.score || a.id - b.id)
}

/** Recounts a topic's visible answers, its score (the question's) and last activity after posts changed. */
export async function refreshTopicStats(db: Executor, topicId: number, at: number): Promise<void> {
  const posts = await db.selectFrom('communityPosts').select(['id', 'kind', 'status', 'score', 'createdAt']).where('topicId', '=', topicId).execute()
  const visible = posts.filter((p) => p.status === 'visible')
  const question = posts.filter((p) => p.kind === 'question').sort((a, b) => a.id - b.id)[0]
  const answers = visible.filter((p) => p.kind === 'answer')
  const last = Math.max(0, ...visible.map((p) => Number(p.createdAt)))
  await db
    .updateTable('communityTopics')
    .set({ answerCount: answers.length, score: question?.score ?? 0, lastActivityAt: last || at, updatedAt: at })
    .where('id', '=', topicId)
    .execute()
}

type TopicPlace = Pick<TopicRow, 'categoryId' | 'status' | 'mergedIntoId'>
const isCounted = (t: TopicPlace | null) => !!t && t.status === 'visible' && t.mergedIntoId === null

/**
 * Keeps the categories' public topic counters in step when a topic appears, disappears or moves; call it in the
 * transaction that changes the topic, with the topic before and after (null: did not exist).
 */
export async function trackTopicCount(db: Executor, before: TopicPlace | null, after: TopicPlace | null): Promise<void> {
  const was = isCounted(before) ? before!.categoryId : null
  const is = isCounted(after) ? after!.categoryId : null
  if (was === is) return
  if (was !== null)
    await db
      .updateTable('communityCategories')
      .set((eb) => ({ topicCount: eb('topicCount', '-', 1) }))
      .where('id', '=', was)
      .execute()
  if (is !== null)
    await db
      .updateTable('communityCategories')
      .set((eb) => ({ topicCount: eb('topicCount', '+', 1) }))
      .where('id', '=', is)
      .execute()
}

/** Sets the counters from the topics themselves (demo data writes topics directly). */
export async function recountCategoryTopics(db: Executor): Promise<void> {
  await sql`UPDATE community_categories SET topic_count = (SELECT count(*) FROM community_topics t
    WHERE t.category_id = community_categories.id AND t.status = 'visible' AND t.merged_into_id IS NULL)`.execute(db)
}

/** Sets a topic's status with its category's public counter (a question approved, hidden or deleted decides its topic). */
export async function setTopicStatus(trx: Executor, topicId: number, status: string, at: number): Promise<void> {
  const before = await getTopicRow(trx, topicId)
  await trx.updateTable('communityTopics').set({ status, updatedAt: at }).where('id', '=', topicId).execute()
  await trackTopicCount(trx, before, { ...before, status })
}
