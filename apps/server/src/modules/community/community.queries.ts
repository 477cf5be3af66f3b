import type { CommunityAuthorDto, CommunityPostDto, CommunityTopicSummary } from '@allhands/contract'
import { type Selectable, type SelectQueryBuilder, sql } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { notFound } from '../../platform/errors.ts'

export type TopicRow = Selectable<DB['communityTopics']>
export type PostRow = Selectable<DB['communityPosts']>
export type MemberRow = Selectable<DB['communityMembers']>

/** Public path of a topic; the slug is decoration, the id finds it. Slugs keep non-Latin letters, so they are percent-encoded. */
export const topicPath = (t: { id: number; slug: string }) => `/community/t/${t.id}-${encodeURIComponent(t.slug)}`
export const memberPath = (id: number) => `/community/u/${id}`

export const findTopicRow = (db: Executor, id: number) => db.selectFrom('communityTopics').selectAll().where('id', '=', id).executeTakeFirst()
export async function getTopicRow(db: Executor, id: number): Promise<TopicRow> {
  const row = await findTopicRow(db, id)
  if (!row) throw notFound('Topic', id)
  return row
}
/** The topic row locked for the rest of the transaction on PostgreSQL (SQLite transactions already write one at a time). */
export async function lockTopicRow(db: Executor, dialect: Dialect, id: number): Promise<TopicRow> {
  let q = db.selectFrom('communityTopics').selectAll().where('id', '=', id)
  if (dialect === 'postgres') q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (!row) throw notFound('Topic', id)
  return row
}
/** The post row locked for the rest of the transaction on PostgreSQL. */
export async function lockPostRow(db: Executor, dialect: Dialect, id: number): Promise<PostRow> {
  let q = db.selectFrom('communityPosts').selectAll().where('id', '=', id)
  if (dialect === 'postgres') q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (!row) throw notFound('Post', id)
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

export const ANSWERS_PER_PAGE = 50
type PostQuery = SelectQueryBuilder<DB, 'communityPosts', PostRow>

/**
 * One page of a topic for its public page: the question, the accepted answer (first page), then answers by votes
 * (oldest first on ties), ANSWERS_PER_PAGE at a time. Everyone sees public answers and deleted placeholders; a held
 * answer its author too; moderators everything. `answerCount` counts public and held answers (what keeps a question).
 */
export async function topicPagePosts(
  db: Executor,
  topic: TopicRow,
  opts: { moderator: boolean; viewer: { kind: 'member'; member: { id: number } } | { kind: 'staff'; actor: { id: number } } | null; page: number },
): Promise<{ posts: PostRow[]; answerCount: number; hasMore: boolean }> {
  const visibleTo = (q: PostQuery): PostQuery => {
    const v = opts.viewer
    if (opts.moderator) return q
    return q.where((eb) =>
      eb.or([
        eb('status', 'in', ['visible', 'deleted']),
        ...(v ? [eb.and([eb('status', '=', 'held'), v.kind === 'member' ? eb('authorMemberId', '=', v.member.id) : eb('authorUserId', '=', v.actor.id)])] : []),
      ]),
    )
  }
  const base = (): PostQuery => db.selectFrom('communityPosts').selectAll().where('topicId', '=', topic.id)
  const [question, accepted, answers, count] = await Promise.all([
    visibleTo(base().where('kind', '=', 'question'))
      .orderBy('id')
      .limit(1)
      .execute(),
    topic.acceptedPostId !== null && opts.page === 1 ? visibleTo(base().where('id', '=', topic.acceptedPostId)).execute() : Promise.resolve([]),
    visibleTo(
      base()
        .where('kind', '=', 'answer')
        .where('id', '!=', topic.acceptedPostId ?? 0),
    )
      .orderBy('score', 'desc')
      .orderBy('id')
      .limit(ANSWERS_PER_PAGE + 1)
      .offset((opts.page - 1) * ANSWERS_PER_PAGE)
      .execute(),
    db
      .selectFrom('communityPosts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('topicId', '=', topic.id)
      .where('kind', '=', 'answer')
      .where('status', 'in', ['visible', 'held'])
      .executeTakeFirstOrThrow(),
  ])
  return {
    posts: [...question, ...accepted, ...answers.slice(0, ANSWERS_PER_PAGE)],
    answerCount: Number(count.n),
    hasMore: answers.length > ANSWERS_PER_PAGE,
  }
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

/** A member's post count is their public posts: recounted whenever one of their posts changes status. */
export async function recountMemberPosts(db: Executor, memberId: number | null): Promise<void> {
  if (memberId === null) return
  await sql`UPDATE community_members SET post_count = (SELECT count(*) FROM community_posts p
    WHERE p.author_member_id = ${memberId} AND p.status = 'visible') WHERE id = ${memberId}`.execute(db)
}

/** Reputation for being the accepted answer (see REPUTATION in community.posting.ts). */
export const ACCEPTED_BONUS = 15

export async function addReputation(db: Executor, memberId: number | null, points: number) {
  if (memberId === null || points === 0) return
  await db
    .updateTable('communityMembers')
    .set((eb) => ({ reputation: eb('reputation', '+', points) }))
    .where('id', '=', memberId)
    .execute()
}

/**
 * Sets (or clears, with null) a topic's accepted answer and moves the bonus with it: the previous answer's author
 * loses it, the new one's gains it. An answer by the asker themselves earns nothing. Call it in the transaction, with
 * the topic row read (locked) in that transaction.
 */
export async function setAccepted(db: Executor, topic: Pick<TopicRow, 'id' | 'acceptedPostId' | 'authorMemberId'>, postId: number | null): Promise<void> {
  if (topic.acceptedPostId === postId) return
  const bonusOf = async (id: number | null) => {
    if (id === null) return null
    const post = await db.selectFrom('communityPosts').select('authorMemberId').where('id', '=', id).executeTakeFirst()
    const author = post?.authorMemberId ?? null
    return author !== null && author !== topic.authorMemberId ? author : null
  }
  await addReputation(db, await bonusOf(topic.acceptedPostId), -ACCEPTED_BONUS)
  await addReputation(db, await bonusOf(postId), ACCEPTED_BONUS)
  await db.updateTable('communityTopics').set({ acceptedPostId: postId }).where('id', '=', topic.id).execute()
}
