import type { CommunityQueue, CommunityTopicPatch } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, unprocessable } from '../../platform/errors.ts'
import { canModerateCommunity } from './community.policy.ts'
import { announceAnswer } from './community.posting.ts'
import {
  getMemberRow,
  getTopicRow,
  lockPostRow,
  lockTopicRow,
  type MemberRow,
  presentPosts,
  recountMemberPosts,
  refreshTopicStats,
  setAccepted,
  setTopicStatus,
  type TopicRow,
  topicPath,
  trackTopicCount,
} from './community.queries.ts'
import { reindexTopic } from './community.search.ts'

function assertModerator(actor: Actor, action: string) {
  if (!canModerateCommunity(actor)) throw forbidden(action, 'community moderation is for the support team')
}

/** Held posts, oldest first: new members' first posts, flagged posts and posts the spam rules held. */
export async function listModerationQueue(ctx: Ctx, actor: Actor): Promise<CommunityQueue> {
  assertModerator(actor, 'see the moderation queue')
  const rows = await ctx.db.selectFrom('communityPosts').selectAll().where('status', '=', 'held').orderBy('createdAt').orderBy('id').limit(200).execute()
  const topicIds = [...new Set(rows.map((r) => r.topicId))]
  const topics = topicIds.length ? await ctx.db.selectFrom('communityTopics').select(['id', 'title', 'slug']).where('id', 'in', topicIds).execute() : []
  const byId = new Map(topics.map((t) => [t.id, t]))
  const posts = await presentPosts(ctx.db, rows, null)
  return {
    items: posts.map((post) => {
      const t = byId.get(post.topicId)!
      return { post, topic: { id: t.id, title: t.title, url: topicPath(t) } }
    }),
  }
}

/** Makes a held (or hidden) post public; a member's first approved post lifts the first-post hold for them. */
export async function approvePost(ctx: Ctx, actor: Actor, postId: number): Promise<void> {
  assertModerator(actor, 'approve community posts')
  await ctx.db.transaction().execute(async (trx) => {
    const post = await lockPostRow(trx, ctx.dialect, postId)
    if (post.status === 'visible') return
    const t = now()
    // Conditional: of two approvals at once, only the one that changes the status counts.
    const changed = await trx
      .updateTable('communityPosts')
      .set({ status: 'visible', heldReason: null, flagCount: 0, updatedAt: t })
      .where('id', '=', postId)
      .where('status', '=', post.status)
      .executeTakeFirst()
    if (!Number(changed.numUpdatedRows)) return
    if (post.kind === 'question') await setTopicStatus(trx, post.topicId, 'visible', t)
    if (post.authorMemberId !== null && post.status === 'held')
      await trx
        .updateTable('communityMembers')
        .set((eb) => ({ approvedCount: eb('approvedCount', '+', 1) }))
        .where('id', '=', post.authorMemberId)
        .execute()
    await recountMemberPosts(trx, post.authorMemberId)
    await refreshTopicStats(trx, post.topicId, t)
    await reindexTopic(trx, ctx.dialect, post.topicId)
    if (post.kind === 'answer') await announceAnswer(trx, postId)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.post_approved',
      targetType: 'community_post',
      targetId: postId,
      data: { reason: post.heldReason },
    })
  })
}

/** Hides a post (rejecting a held one, or deleting a public one); hiding the question hides the whole topic. */
export async function rejectPost(ctx: Ctx, actor: Actor, postId: number): Promise<void> {
  assertModerator(actor, 'hide community posts')
  await ctx.db.transaction().execute(async (trx) => {
    const post = await lockPostRow(trx, ctx.dialect, postId)
    if (post.status === 'hidden') return
    const topic = await lockTopicRow(trx, ctx.dialect, post.topicId)
    const t = now()
    await trx.updateTable('communityPosts').set({ status: 'hidden', updatedAt: t }).where('id', '=', postId).execute()
    if (post.kind === 'question') await setTopicStatus(trx, post.topicId, 'hidden', t)
    // A hidden answer is no longer accepted, and its author loses the bonus.
    if (topic.acceptedPostId === postId) await setAccepted(trx, topic, null)
    await recountMemberPosts(trx, post.authorMemberId)
    await refreshTopicStats(trx, post.topicId, t)
    await reindexTopic(trx, ctx.dialect, post.topicId)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.post_hidden',
      targetType: 'community_post',
      targetId: postId,
      data: { wasStatus: post.status },
    })
  })
}

/** Lock, pin, move to another category, hide or show a topic; each change is audited. */
export async function updateTopic(ctx: Ctx, actor: Actor, topicId: number, patch: CommunityTopicPatch): Promise<TopicRow> {
  assertModerator(actor, 'moderate community topics')
  return ctx.db.transaction().execute(async (trx) => {
    const topic = await getTopicRow(trx, topicId)
    if (topic.mergedIntoId !== null && patch.status !== undefined) throw unprocessable(`Topic ${topicId} was merged into topic ${topic.mergedIntoId}`)
    if (patch.categoryId !== undefined && !(await trx.selectFrom('communityCategories').select('id').where('id', '=', patch.categoryId).executeTakeFirst()))
      throw badRequest(`Category ${patch.categoryId} does not exist`)
    const set: Partial<TopicRow> = {}
    if (patch.isLocked !== undefined) set.isLocked = patch.isLocked ? 1 : 0
    if (patch.isPinned !== undefined) set.isPinned = patch.isPinned ? 1 : 0
    if (patch.categoryId !== undefined) set.categoryId = patch.categoryId
    if (patch.status !== undefined && patch.status !== topic.status) {
      set.status = patch.status
      await trx
        .updateTable('communityPosts')
        .set({ status: patch.status, heldReason: null })
        .where('topicId', '=', topicId)
        .where('kind', '=', 'question')
        .execute()
    }
    const updated = await trx
      .updateTable('communityTopics')
      .set({ ...set, updatedAt: now() })
      .where('id', '=', topicId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await trackTopicCount(trx, topic, updated)
    if (set.status !== undefined) await recountMemberPosts(trx, topic.authorMemberId)
    // Showing a topic again shows its question, whose text the index left out while it was not public.
    if (set.status !== undefined) await reindexTopic(trx, ctx.dialect, topicId)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.topic_updated',
      targetType: 'community_topic',
      targetId: topicId,
      data: { ...patch, from: { isLocked: !!topic.isLocked, isPinned: !!topic.isPinned, categoryId: topic.categoryId, status: topic.status } },
    })
    return updated
  })
}

/**
 * Merges a topic into another: its posts (the question becomes an answer) and followers move, and its public URL
 * then redirects to the target. The target keeps its accepted answer, or takes the merged topic's.
 */
export async function mergeTopic(ctx: Ctx, actor: Actor, fromId: number, intoId: number): Promise<TopicRow> {
  assertModerator(actor, 'merge community topics')
  if (fromId === intoId) throw badRequest('A topic cannot be merged into itself')
  return ctx.db.transaction().execute(async (trx) => {
    const [first, second] = fromId < intoId ? [fromId, intoId] : [intoId, fromId]
    const locked = new Map([
      [first, await lockTopicRow(trx, ctx.dialect, first)],
      [second, await lockTopicRow(trx, ctx.dialect, second)],
    ])
    const from = locked.get(fromId)!
    const into = locked.get(intoId)!
    if (from.mergedIntoId !== null) throw conflict(`Topic ${fromId} was already merged into topic ${from.mergedIntoId}`)
    if (into.mergedIntoId !== null) throw unprocessable(`Topic ${intoId} was itself merged into topic ${into.mergedIntoId}; merge into that one`)
    if (into.status !== 'visible') throw unprocessable(`Topic ${intoId} is not public (${into.status}); merge only into a public topic`)
    const t = now()
    // The merged topic's accepted answer leaves it (bonus and all); the target takes it when it has none, under its own asker.
    const carried = from.acceptedPostId
    await setAccepted(trx, from, null)
    await trx.updateTable('communityPosts').set({ topicId: intoId, kind: 'answer', updatedAt: t }).where('topicId', '=', fromId).execute()
    const followers = await trx.selectFrom('communityFollows').selectAll().where('topicId', '=', fromId).execute()
    if (followers.length)
      await trx
        .insertInto('communityFollows')
        .values(followers.map((f) => ({ ...f, topicId: intoId })))
        .onConflict((oc) => oc.columns(['topicId', 'followerKey']).doNothing())
        .execute()
    await trx.deleteFrom('communityFollows').where('topicId', '=', fromId).execute()
    if (into.acceptedPostId === null && carried !== null) await setAccepted(trx, into, carried)
    await trx
      .updateTable('communityTopics')
      .set({ mergedIntoId: intoId, status: 'merged', acceptedPostId: null, answerCount: 0, updatedAt: t })
      .where('id', '=', fromId)
      .execute()
    await trackTopicCount(trx, from, { ...from, status: 'merged', mergedIntoId: intoId })
    await refreshTopicStats(trx, intoId, t)
    await reindexTopic(trx, ctx.dialect, intoId)
    await reindexTopic(trx, ctx.dialect, fromId)
    await recordAudit(trx, { actorId: actor.id, action: 'community.topic_merged', targetType: 'community_topic', targetId: fromId, data: { intoId } })
    return getTopicRow(trx, intoId)
  })
}

/** Bans a member: signed out everywhere, no new sign-in links, no posts, votes or flags. */
export async function banMember(ctx: Ctx, actor: Actor, memberId: number, reason: string): Promise<MemberRow> {
  assertModerator(actor, 'ban community members')
  return ctx.db.transaction().execute(async (trx) => {
    const member = await getMemberRow(trx, memberId)
    const updated = await trx
      .updateTable('communityMembers')
      .set({ bannedAt: member.bannedAt ?? now(), banReason: reason.trim() })
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx.deleteFrom('communitySessions').where('memberId', '=', memberId).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'community.member_banned', targetType: 'community_member', targetId: memberId, data: { reason } })
    return updated
  })
}

export async function unbanMember(ctx: Ctx, actor: Actor, memberId: number): Promise<MemberRow> {
  assertModerator(actor, 'lift community bans')
  return ctx.db.transaction().execute(async (trx) => {
    await getMemberRow(trx, memberId)
    const updated = await trx
      .updateTable('communityMembers')
      .set({ bannedAt: null, banReason: null })
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'community.member_unbanned', targetType: 'community_member', targetId: memberId })
    return updated
  })
}
