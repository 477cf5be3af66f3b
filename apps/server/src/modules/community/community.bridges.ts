import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { AppError, conflict, forbidden, unprocessable } from '../../platform/errors.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { createArticle } from '../kb/kb.service.ts'
import { createTicket } from '../tickets/tickets.service.ts'
import { getVisibleItem } from '../voc/voc.items.service.ts'
import { linkToItem } from '../voc/voc.links.service.ts'
import { canModerateCommunity } from './community.policy.ts'
import { getTopicRow, questionOf, type TopicRow, topicPath } from './community.queries.ts'

function assertStaff(actor: Actor, action: string) {
  if (!canModerateCommunity(actor)) throw forbidden(action, 'this is for the support team')
}

/** A claim older than this is from a request that died half-way; the next one may take it over. */
const CLAIM_TTL_MS = 5 * 60_000

/**
 * Runs a bridge (ticket, KB draft) for a topic once at a time: a claim row (primary key topic + kind) is inserted first,
 * so of two presses at once only one goes on, the other gets 409; the claim goes when the bridge is done or failed.
 */
async function withClaim<T>(ctx: Ctx, topicId: number, kind: 'ticket' | 'kb_draft', run: () => Promise<T>): Promise<T> {
  const t = now()
  await ctx.db
    .deleteFrom('communityBridgeClaims')
    .where('topicId', '=', topicId)
    .where('kind', '=', kind)
    .where('claimedAt', '<', t - CLAIM_TTL_MS)
    .execute()
  const claimed = await ctx.db
    .insertInto('communityBridgeClaims')
    .values({ topicId, kind, claimedAt: t })
    .onConflict((oc) => oc.columns(['topicId', 'kind']).doNothing())
    .executeTakeFirst()
  if (!Number(claimed.numInsertedOrUpdatedRows ?? 0n))
    throw conflict(kind === 'ticket' ? 'This topic is being turned into a ticket right now' : 'This answer is being turned into an article right now')
  try {
    return await run()
  } finally {
    await ctx.db.deleteFrom('communityBridgeClaims').where('topicId', '=', topicId).where('kind', '=', kind).execute()
  }
}

const backLink = (ctx: Ctx, topic: TopicRow, label: string) =>
  `<p>${escapeHtml(label)} <a href="${escapeHtml(ctx.config.publicUrl + topicPath(topic))}">${escapeHtml(topic.title)}</a></p>`

/**
 * Turns a thread into a ticket through the tickets module: the asker's contact is the requester, the first message is
 * the question with a link back to the thread, and the public page then says the support team is handling it.
 */
export async function turnIntoTicket(ctx: Ctx, actor: Actor, topicId: number): Promise<TopicRow> {
  assertStaff(actor, 'turn community topics into tickets')
  await getTopicRow(ctx.db, topicId)
  return withClaim(ctx, topicId, 'ticket', () => createTopicTicket(ctx, actor, topicId))
}

async function createTopicTicket(ctx: Ctx, actor: Actor, topicId: number): Promise<TopicRow> {
  const topic = await getTopicRow(ctx.db, topicId)
  if (topic.ticketId !== null) throw conflict(`This topic already became ticket #${topic.ticketId}`, { ticketId: topic.ticketId })
  if (topic.mergedIntoId !== null) throw unprocessable(`This topic was merged into topic ${topic.mergedIntoId}`)
  const member = topic.authorMemberId
    ? await ctx.db.selectFrom('communityMembers').select(['contactId', 'email', 'displayName']).where('id', '=', topic.authorMemberId).executeTakeFirst()
    : undefined
  if (!member) throw unprocessable('Only a question asked by a customer can become a ticket (this one was asked by staff or its author is gone)')
  const question = await questionOf(ctx.db, topicId)
  const body = `${question?.bodyHtml ?? ''}${backLink(ctx, topic, 'Asked in the community:')}`
  const ticket = await createTicket(ctx, actor, {
    subject: topic.title.slice(0, 300),
    body,
    ...(member.contactId ? { requesterId: member.contactId } : { requester: { email: member.email, name: member.displayName } }),
    tags: ['community'],
  })
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('communityTopics')
      .set({ ticketId: ticket.id, updatedAt: now() })
      .where('id', '=', topicId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.topic_ticket_created',
      targetType: 'community_topic',
      targetId: topicId,
      data: { ticketId: ticket.id },
    })
    return updated
  })
}

/** The accepted answer as a knowledge-base draft (through the kb module): the question as title, the answer as body, a link back. */
export async function makeKbDraft(ctx: Ctx, actor: Actor, topicId: number): Promise<TopicRow> {
  assertStaff(actor, 'turn community answers into articles')
  await getTopicRow(ctx.db, topicId)
  return withClaim(ctx, topicId, 'kb_draft', () => createTopicKbDraft(ctx, actor, topicId))
}

async function createTopicKbDraft(ctx: Ctx, actor: Actor, topicId: number): Promise<TopicRow> {
  const topic = await getTopicRow(ctx.db, topicId)
  if (topic.acceptedPostId === null) throw unprocessable('Accept an answer first: the draft is made from the accepted answer')
  if (topic.kbArticleId !== null) {
    const live = await ctx.db.selectFrom('kbArticles').select('id').where('id', '=', topic.kbArticleId).where('deletedAt', 'is', null).executeTakeFirst()
    if (live) throw conflict(`This answer already became article ${topic.kbArticleId}`, { articleId: topic.kbArticleId })
  }
  const answer = await ctx.db.selectFrom('communityPosts').select('bodyHtml').where('id', '=', topic.acceptedPostId).executeTakeFirstOrThrow()
  const article = await createArticle(ctx, actor, {
    title: topic.title,
    bodyHtml: `${answer.bodyHtml}${backLink(ctx, topic, 'From the community:')}`,
    visibility: 'public',
    note: `From community topic ${topic.id}`,
  })
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('communityTopics')
      .set({ kbArticleId: article.id, updatedAt: now() })
      .where('id', '=', topicId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'community.kb_draft_created',
      targetType: 'community_topic',
      targetId: topicId,
      data: { articleId: article.id },
    })
    return updated
  })
}

/**
 * Links a thread to a voice-of-customer item. VoC links hold tickets and survey answers, not forum threads, so the
 * topic keeps the item's id; when the thread became a ticket, that ticket is linked to the item through voc too.
 */
export async function linkToVocItem(ctx: Ctx, actor: Actor, topicId: number, itemId: number): Promise<TopicRow> {
  assertStaff(actor, 'link community topics to voice-of-customer items')
  const topic = await getTopicRow(ctx.db, topicId)
  await getVisibleItem(ctx.db, actor, itemId)
  if (topic.ticketId !== null) {
    try {
      await linkToItem(ctx, actor, itemId, { ticketId: topic.ticketId, quote: topic.title })
    } catch (err) {
      // Already linked from the ticket side: the topic's own link below is all that is missing.
      if (!(err instanceof AppError && err.code === 'conflict')) throw err
    }
  }
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('communityTopics')
      .set({ vocItemId: itemId, updatedAt: now() })
      .where('id', '=', topicId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'community.voc_linked', targetType: 'community_topic', targetId: topicId, data: { itemId } })
    return updated
  })
}
