import type { CommunitySettingsDto } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound, rateLimited, unprocessable } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { htmlToText, normalizeBody } from '../../platform/sanitize.ts'
import { slugify } from '../kb/kb.queries.ts'
import { notifyTopicFollowersJob } from './jobs/notify-topic-followers.ts'
import { canAcceptAnswer, isAuthorOf, needsFirstPostReview, type Poster, postRefusal, posterKey, voteRefusal } from './community.policy.ts'
import {
  ACCEPTED_BONUS,
  addReputation,
  getPostRow,
  getTopicRow,
  lockPostRow,
  lockTopicRow,
  type PostRow,
  recountMemberPosts,
  refreshTopicStats,
  setAccepted,
  setTopicStatus,
  type TopicRow,
  trackTopicCount,
} from './community.queries.ts'
import { reindexTopic } from './community.search.ts'
import { blockedWordIn, countLinks, readCommunitySettings } from './community.settings.ts'

const HOUR = 3_600_000
/** Reputation: what a member's post earns for each vote and for being the accepted answer. */
export const REPUTATION = { upvote: 10, downvote: -2, accepted: ACCEPTED_BONUS } as const
/** Reports one member may file in an hour. */
export const FLAGS_PER_HOUR = 10

export type Screened = { status: 'visible' | 'held'; heldReason: string | null }

/** Why a post is held, from the spam rules; refusals (banned, too fast, too many links) throw with a clear message. */
async function screenPost(db: Executor, poster: Poster, html: string, text: string): Promise<Screened> {
  const refusal = postRefusal(poster)
  if (refusal) throw forbidden('post in the community', refusal.replace(/^You are /, 'you are '))
  if (poster.kind === 'staff') return { status: 'visible', heldReason: null }
  const rules = await readCommunitySettings(db)
  const recent = await db
    .selectFrom('communityPosts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('authorMemberId', '=', poster.member.id)
    .where('createdAt', '>', now() - HOUR)
    .executeTakeFirstOrThrow()
  if (Number(recent.n) >= rules.maxPostsPerHour)
    throw rateLimited(`You are posting too fast: at most ${rules.maxPostsPerHour} posts an hour. Please try again later.`)
  const held = screenContent(rules, html, text)
  if (held) return held
  if (needsFirstPostReview(poster, rules.holdFirstPosts)) return { status: 'held', heldReason: 'first_post' }
  return { status: 'visible', heldReason: null }
}

/** The content rules (links, blocked words) new posts and edits share: null when the text passes, else why it is held. */
export function screenContent(rules: CommunitySettingsDto, html: string, text: string): Screened | null {
  const links = countLinks(html, text)
  if (links > rules.maxLinks) {
    if (rules.linkAction === 'refuse')
      throw unprocessable(`Your post has ${links} links; at most ${rules.maxLinks} are allowed. Remove some links and post again.`)
    return { status: 'held', heldReason: 'too_many_links' }
  }
  if (blockedWordIn(text, rules.blockedWords)) return { status: 'held', heldReason: 'blocked_word' }
  return null
}

/** Customer HTML through the e-mail allow-list (or plain text into paragraphs); an empty result is refused. */
export function cleanBody(body: string) {
  const { html } = normalizeBody(body)
  const text = htmlToText(html)
  if (!text.trim() && !/<img\s/i.test(html)) throw badRequest('Write something first: the post is empty')
  return { html, text }
}

/** A question's title on one line, 5 to 200 characters. */
export function cleanTitle(raw: string): string {
  const title = raw.replace(/\s+/g, ' ').trim()
  if (title.length < 5) throw badRequest('The title needs at least 5 characters')
  if (title.length > 200) throw badRequest('The title may have at most 200 characters')
  return title
}

const authorColumns = (p: Poster) =>
  p.kind === 'member' ? { authorMemberId: p.member.id, authorUserId: null } : { authorMemberId: null, authorUserId: p.actor.id }

async function follow(db: Executor, topicId: number, p: Poster) {
  await db
    .insertInto('communityFollows')
    .values({
      topicId,
      memberId: p.kind === 'member' ? p.member.id : null,
      userId: p.kind === 'staff' ? p.actor.id : null,
      followerKey: posterKey(p),
      createdAt: now(),
    })
    .onConflict((oc) => oc.columns(['topicId', 'followerKey']).doNothing())
    .execute()
}

/** Followers hear about an answer once it is public (now, or when a moderator approves it). */
export async function announceAnswer(db: Executor, postId: number) {
  await enqueueJob(db, notifyTopicFollowersJob, { postId }, { idempotencyKey: `community-answer:${postId}` })
}

/** Asks a question in a category: a new topic with its question post; the asker follows it. Held posts wait for a moderator. */
export async function askQuestion(
  ctx: Ctx,
  poster: Poster,
  input: { categoryId: number; title: string; body: string },
): Promise<{ topic: TopicRow; held: boolean }> {
  const title = cleanTitle(input.title)
  const body = cleanBody(input.body)
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await trx.selectFrom('communityCategories').select('id').where('id', '=', input.categoryId).executeTakeFirst()))
      throw badRequest(`Category ${input.categoryId} does not exist`)
    const screened = await screenPost(trx, poster, body.html, `${title}\n${body.text}`)
    const t = now()
    const topic = await trx
      .insertInto('communityTopics')
      .values({
        categoryId: input.categoryId,
        title,
        slug: slugify(title),
        ...authorColumns(poster),
        status: screened.status,
        acceptedPostId: null,
        mergedIntoId: null,
        ticketId: null,
        kbArticleId: null,
        vocItemId: null,
        lastActivityAt: t,
        createdAt: t,
        updatedAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('communityPosts')
      .values({
        topicId: topic.id,
        kind: 'question',
        ...authorColumns(poster),
        bodyHtml: body.html,
        bodyText: body.text,
        status: screened.status,
        heldReason: screened.heldReason,
        createdAt: t,
        updatedAt: t,
      })
      .execute()
    await follow(trx, topic.id, poster)
    if (poster.kind === 'member') await recountMemberPosts(trx, poster.member.id)
    await trackTopicCount(trx, null, topic)
    await reindexTopic(trx, ctx.dialect, topic.id)
    return { topic, held: screened.status === 'held' }
  })
}

/** Answers a topic that is public, not locked and not merged away. */
export async function postAnswer(ctx: Ctx, poster: Poster, topicId: number, input: { body: string }): Promise<{ post: PostRow; held: boolean }> {
  const body = cleanBody(input.body)
  return ctx.db.transaction().execute(async (trx) => {
    const topic = await getTopicRow(trx, topicId)
    const refusal = postRefusal(poster, topic)
    if (refusal) throw forbidden('answer this topic', refusal.charAt(0).toLowerCase() + refusal.slice(1))
    const screened = await screenPost(trx, poster, body.html, body.text)
    const t = now()
    const post = await trx
      .insertInto('communityPosts')
      .values({
        topicId,
        kind: 'answer',
        ...authorColumns(poster),
        bodyHtml: body.html,
        bodyText: body.text,
        status: screened.status,
        heldReason: screened.heldReason,
        createdAt: t,
        updatedAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (poster.kind === 'member') await recountMemberPosts(trx, poster.member.id)
    if (screened.status === 'visible') {
      await refreshTopicStats(trx, topicId, t)
      await reindexTopic(trx, ctx.dialect, topicId)
      await announceAnswer(trx, post.id)
    }
    return { post, held: screened.status === 'held' }
  })
}

/** One vote per person per post (up or down); a second vote is refused. The author's reputation moves with it. */
export async function votePost(ctx: Ctx, poster: Poster, postId: number, value: 1 | -1): Promise<PostRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const post = await getPostRow(trx, postId)
    const topic = await getTopicRow(trx, post.topicId)
    const refusal = voteRefusal(poster, post) ?? (topic.status !== 'visible' ? 'This topic is not public' : null)
    if (refusal) throw forbidden('vote on this post', refusal.charAt(0).toLowerCase() + refusal.slice(1))
    const inserted = await trx
      .insertInto('communityVotes')
      .values({ postId, voterKey: posterKey(poster), value, createdAt: now() })
      .onConflict((oc) => oc.columns(['postId', 'voterKey']).doNothing())
      .executeTakeFirst()
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 0n)) throw conflict('You already voted on this post')
    await trx
      .updateTable('communityPosts')
      .set((eb) => ({ score: eb('score', '+', value) }))
      .where('id', '=', postId)
      .execute()
    await addReputation(trx, post.authorMemberId, value === 1 ? REPUTATION.upvote : REPUTATION.downvote)
    if (post.kind === 'question') await refreshTopicStats(trx, post.topicId, Number(topic.lastActivityAt))
    return getPostRow(trx, postId)
  })
}

/** Marks an answer as the accepted one (the asker or a moderator); accepting another moves the reputation bonus. */
export async function acceptAnswer(ctx: Ctx, poster: Poster, postId: number): Promise<TopicRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const post = await getPostRow(trx, postId)
    // Locked: two accepts at once must not both move the bonus.
    const topic = await lockTopicRow(trx, ctx.dialect, post.topicId)
    if (!canAcceptAnswer(poster, topic)) throw forbidden('accept an answer', 'only the person who asked or a moderator may')
    if (post.kind !== 'answer' || post.status !== 'visible') throw unprocessable('Only a public answer can be accepted')
    if (topic.acceptedPostId === postId) return topic
    await setAccepted(trx, topic, postId)
    return trx.updateTable('communityTopics').set({ updatedAt: now() }).where('id', '=', topic.id).returningAll().executeTakeFirstOrThrow()
  })
}

/** Follows or unfollows a public topic: followers get an email (members) or a notification (staff) on new answers. */
export async function setTopicFollow(ctx: Ctx, poster: Poster, topicId: number, on: boolean): Promise<void> {
  const topic = await getTopicRow(ctx.db, topicId)
  if (topic.status !== 'visible' && poster.kind === 'member' && !isAuthorOf(poster, topic)) throw notFound('Topic', topicId)
  if (on) await follow(ctx.db, topicId, poster)
  else await ctx.db.deleteFrom('communityFollows').where('topicId', '=', topicId).where('followerKey', '=', posterKey(poster)).execute()
}

export async function isFollowing(db: Executor, topicId: number, poster: Poster | null): Promise<boolean> {
  if (!poster) return false
  return !!(await db
    .selectFrom('communityFollows')
    .select('topicId')
    .where('topicId', '=', topicId)
    .where('followerKey', '=', posterKey(poster))
    .executeTakeFirst())
}

/**
 * Flags a public post as inappropriate (anyone signed in, once per post, at most FLAGS_PER_HOUR reports an hour). With
 * enough distinct reporters (Settings → Community, default 3) the post is held in the moderation queue until a moderator
 * approves or hides it; a staff post and the accepted answer are never held by reports (moderators see the count).
 */
export async function flagPost(ctx: Ctx, poster: Poster, postId: number, reason: string): Promise<{ held: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    const post = await lockPostRow(trx, ctx.dialect, postId)
    if (post.status !== 'visible') throw notFound('Post', postId)
    if (isAuthorOf(poster, post)) throw unprocessable('You cannot flag your own post')
    const key = posterKey(poster)
    const recent = await trx
      .selectFrom('communityFlags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('flaggerKey', '=', key)
      .where('createdAt', '>', now() - HOUR)
      .executeTakeFirstOrThrow()
    if (Number(recent.n) >= FLAGS_PER_HOUR) throw rateLimited(`You reported ${FLAGS_PER_HOUR} posts in the last hour. Please try again later.`)
    const inserted = await trx
      .insertInto('communityFlags')
      .values({ postId, flaggerKey: key, reason: reason.trim().slice(0, 500), createdAt: now() })
      .onConflict((oc) => oc.columns(['postId', 'flaggerKey']).doNothing())
      .executeTakeFirst()
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 0n)) return { held: false }
    const { flagCount } = await trx
      .updateTable('communityPosts')
      .set((eb) => ({ flagCount: eb('flagCount', '+', 1), updatedAt: now() }))
      .where('id', '=', postId)
      .returning('flagCount')
      .executeTakeFirstOrThrow()
    const rules = await readCommunitySettings(trx)
    const topic = await getTopicRow(trx, post.topicId)
    const protectedPost = post.authorUserId !== null || topic.acceptedPostId === postId
    if (protectedPost || flagCount < rules.flagsToHold) return { held: false }
    const held = await trx
      .updateTable('communityPosts')
      .set({ status: 'held', heldReason: 'flagged' })
      .where('id', '=', postId)
      .where('status', '=', 'visible')
      .executeTakeFirst()
    if (!Number(held.numUpdatedRows)) return { held: false }
    if (post.kind === 'question') await setTopicStatus(trx, post.topicId, 'held', now())
    await recountMemberPosts(trx, post.authorMemberId)
    await refreshTopicStats(trx, post.topicId, now())
    await reindexTopic(trx, ctx.dialect, post.topicId)
    return { held: true }
  })
}
