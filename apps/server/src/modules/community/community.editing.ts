import type { CommunityPostEdit } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { badRequest, conflict, forbidden } from '../../platform/errors.ts'
import { slugify } from '../kb/kb.queries.ts'
import { canModerateCommunity, changeRefusal, deleteConflict, type Poster, posterKey } from './community.policy.ts'
import { cleanBody, cleanTitle, type Screened, screenContent } from './community.posting.ts'
import { getPostRow, getTopicRow, type PostRow, recountMemberPosts, refreshTopicStats, setTopicStatus, type TopicRow } from './community.queries.ts'
import { reindexTopic } from './community.search.ts'
import { readCommunitySettings } from './community.settings.ts'

type Change = { html: string; text: string; title: string | null } & Screened

/** Writes an edit: the post's text (marked edited), the topic's title for a question, its index and, when held, the queue. */
async function applyEdit(ctx: Ctx, trx: Transaction<DB>, post: PostRow, change: Change): Promise<PostRow> {
  const t = now()
  const updated = await trx
    .updateTable('communityPosts')
    .set({ bodyHtml: change.html, bodyText: change.text, status: change.status, heldReason: change.heldReason, editedAt: t, updatedAt: t })
    .where('id', '=', post.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (change.title !== null)
    await trx
      .updateTable('communityTopics')
      .set({ title: change.title, slug: slugify(change.title), updatedAt: t })
      .where('id', '=', post.topicId)
      .execute()
  if (change.status !== post.status) {
    if (post.kind === 'question') await setTopicStatus(trx, post.topicId, change.status, t)
    const topic = await getTopicRow(trx, post.topicId)
    await refreshTopicStats(trx, post.topicId, Number(topic.lastActivityAt))
    await recountMemberPosts(trx, post.authorMemberId)
  }
  await reindexTopic(trx, ctx.dialect, post.topicId)
  return updated
}

function titleOf(post: PostRow, title: string | undefined): string | null {
  if (title === undefined || title === '') return null
  if (post.kind !== 'question') throw badRequest('Only a question has a title')
  return cleanTitle(title)
}

/**
 * An author edits their post on the public pages, under the rules of a new post: the same sanitizer, link limit and
 * blocked words. A held post stays held; a public one stays public unless the edit brings in what the rules hold.
 */
export async function editOwnPost(
  ctx: Ctx,
  poster: Poster,
  postId: number,
  input: { title?: string; body: string },
): Promise<{ post: PostRow; held: boolean }> {
  const body = cleanBody(input.body)
  return ctx.db.transaction().execute(async (trx) => {
    const post = await getPostRow(trx, postId)
    const refusal = changeRefusal(poster, post)
    if (refusal) throw forbidden('edit this post', refusal)
    const title = titleOf(post, input.title)
    let screened: Screened = { status: post.status as Screened['status'], heldReason: post.heldReason }
    if (poster.kind === 'member' && post.status === 'visible')
      screened = screenContent(await readCommunitySettings(trx), body.html, `${title ?? ''}\n${body.text}`) ?? screened
    const updated = await applyEdit(ctx, trx, post, { ...body, title, ...screened })
    return { post: updated, held: updated.status === 'held' }
  })
}

/** Staff edit any post from the desk (audited); the post keeps its status. */
export async function staffEditPost(ctx: Ctx, actor: Actor, postId: number, input: CommunityPostEdit): Promise<PostRow> {
  if (!canModerateCommunity(actor)) throw forbidden('edit community posts', 'this is for the support team')
  const body = cleanBody(input.bodyHtml)
  return ctx.db.transaction().execute(async (trx) => {
    const post = await getPostRow(trx, postId)
    const title = titleOf(post, input.title)
    const topic = await getTopicRow(trx, post.topicId)
    const updated = await applyEdit(ctx, trx, post, { ...body, title, status: post.status as Screened['status'], heldReason: post.heldReason })
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.post_edited',
      targetType: 'community_post',
      targetId: postId,
      data: { topicId: post.topicId, ...(title !== null && title !== topic.title ? { titleFrom: topic.title, titleTo: title } : {}) },
    })
    return updated
  })
}

/**
 * An author deletes their post (a soft delete: the page says "deleted by its author", moderators still see it). The
 * accepted answer and a question that has answers stay (409 with the reason); deleting a question removes its topic.
 */
export async function deleteOwnPost(ctx: Ctx, poster: Poster, postId: number): Promise<TopicRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const post = await getPostRow(trx, postId)
    const refusal = changeRefusal(poster, post)
    if (refusal) throw forbidden('delete this post', refusal)
    const topic = await getTopicRow(trx, post.topicId)
    const answers = await trx
      .selectFrom('communityPosts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('topicId', '=', topic.id)
      .where('kind', '=', 'answer')
      .where('status', 'in', ['visible', 'held'])
      .executeTakeFirstOrThrow()
    const why = deleteConflict(post, topic, Number(answers.n))
    if (why) throw conflict(why)
    const t = now()
    await trx.updateTable('communityPosts').set({ status: 'deleted', updatedAt: t }).where('id', '=', postId).execute()
    if (post.kind === 'question') await setTopicStatus(trx, topic.id, 'deleted', t)
    await recountMemberPosts(trx, post.authorMemberId)
    await refreshTopicStats(trx, topic.id, Number(topic.lastActivityAt))
    await reindexTopic(trx, ctx.dialect, topic.id)
    await recordAudit(trx, {
      actorId: poster.kind === 'staff' ? poster.actor.id : null,
      action: 'community.post_deleted',
      targetType: 'community_post',
      targetId: postId,
      data: { topicId: topic.id, by: posterKey(poster), wasStatus: post.status },
    })
    return getTopicRow(trx, topic.id)
  })
}
