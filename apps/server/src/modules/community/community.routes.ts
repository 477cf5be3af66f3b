import {
  CommunityAnswerInput,
  CommunityBanInput,
  CommunityCategoryDto,
  CommunityCategoryInput,
  CommunityCategoryList,
  CommunityCategoryPatch,
  CommunityFollowInput,
  CommunityMemberDto,
  CommunityMergeInput,
  CommunityPostDto,
  CommunityPostEdit,
  CommunityQueue,
  CommunitySettingsDto,
  CommunityTopicDto,
  CommunityTopicListQuery,
  CommunityTopicPage,
  CommunityTopicPatch,
  CommunityVocLinkInput,
  CommunityVoteInput,
  IdParams,
  Ok,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { staffEditPost } from './community.editing.ts'
import { scheduleCommunityCleanup } from './jobs/clean-community-sessions.ts'
import { linkToVocItem, makeKbDraft, turnIntoTicket } from './community.bridges.ts'
import { approvePost, banMember, listModerationQueue, mergeTopic, rejectPost, unbanMember, updateTopic } from './community.moderation.ts'
import { canModerateCommunity, type Poster } from './community.policy.ts'
import { acceptAnswer, postAnswer, setTopicFollow, votePost } from './community.posting.ts'
import { getPostRow, presentPosts } from './community.queries.ts'
import { readCommunitySettings, updateCommunitySettings } from './community.settings.ts'
import { createCategory, deleteCategory, getMember, getTopic, listCategories, listTopics, presentMember, updateCategory } from './community.service.ts'

/** Staff act in the community API as posters with the staff badge; moderation is for the support team. */
function staffPoster(actor: Actor): Poster {
  if (!canModerateCommunity(actor)) throw forbidden('act in the community from the app', 'this is for the support team')
  return { kind: 'staff', actor }
}

/** /community: the staff side of the forum (moderation, staff answers, bridges, settings). Customers use /community pages. */
export async function communityRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['community']
  const ok = { ok: true }
  const staff = (req: Parameters<typeof actorOf>[0]) => staffPoster(actorOf(req))
  const topicOf = async (req: Parameters<typeof actorOf>[0], id: number) => getTopic(ctx, actorOf(req), id)
  // The hourly clean-up of expired member sessions and sign-in links.
  app.addHook('onReady', async () => {
    await scheduleCommunityCleanup(ctx.db)
  })

  app.get('/community/categories', { schema: { tags, description: 'Everyone signed in.', response: { 200: CommunityCategoryList } } }, async (req) => {
    actorOf(req)
    return { items: await listCategories(ctx.db) }
  })
  app.post(
    '/community/categories',
    { schema: { tags, description: 'Admins.', body: CommunityCategoryInput, response: { 201: CommunityCategoryDto } } },
    async (req, reply) => reply.code(201).send(await createCategory(ctx, actorOf(req), req.body)),
  )
  app.patch(
    '/community/categories/:id',
    { schema: { tags, description: 'Admins.', params: IdParams, body: CommunityCategoryPatch, response: { 200: CommunityCategoryDto } } },
    async (req) => updateCategory(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/community/categories/:id',
    { schema: { tags, description: 'Admins; only an empty category (409 otherwise).', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await deleteCategory(ctx, actorOf(req), req.params.id)
      return ok
    },
  )

  app.get(
    '/community/topics',
    {
      schema: {
        tags,
        description: 'Topics with held and hidden ones (support team). Sort latest, unanswered or top; cursor pagination.',
        querystring: CommunityTopicListQuery,
        response: { 200: CommunityTopicPage },
      },
    },
    async (req) => listTopics(ctx, actorOf(req), req.query),
  )
  app.get('/community/topics/:id', { schema: { tags, description: 'Support team.', params: IdParams, response: { 200: CommunityTopicDto } } }, async (req) =>
    topicOf(req, req.params.id),
  )
  app.patch(
    '/community/topics/:id',
    {
      schema: {
        tags,
        description: 'Lock, pin, move or hide a topic (support team; audited).',
        params: IdParams,
        body: CommunityTopicPatch,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      await updateTopic(ctx, actorOf(req), req.params.id, req.body)
      return topicOf(req, req.params.id)
    },
  )
  app.post(
    '/community/topics/:id/merge',
    {
      schema: {
        tags,
        description: 'Moves the posts and followers into another topic; the old URL redirects there (support team; audited).',
        params: IdParams,
        body: CommunityMergeInput,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      const into = await mergeTopic(ctx, actorOf(req), req.params.id, req.body.intoTopicId)
      return topicOf(req, into.id)
    },
  )
  app.post(
    '/community/topics/:id/answers',
    {
      schema: {
        tags,
        description: 'A staff answer (shown with the staff badge).',
        params: IdParams,
        body: CommunityAnswerInput,
        response: { 201: CommunityPostDto },
      },
    },
    async (req, reply) => {
      const { post } = await postAnswer(ctx, staff(req), req.params.id, { body: req.body.bodyHtml })
      return reply.code(201).send((await presentPosts(ctx.db, [post], null))[0])
    },
  )
  app.post(
    '/community/topics/:id/follow',
    {
      schema: {
        tags,
        description: 'Follow (in-app notifications on new answers) or unfollow.',
        params: IdParams,
        body: CommunityFollowInput,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      await setTopicFollow(ctx, staff(req), req.params.id, req.body.follow)
      return topicOf(req, req.params.id)
    },
  )
  app.post(
    '/community/topics/:id/ticket',
    {
      schema: {
        tags,
        description: 'Turns the thread into a ticket: the asker is the requester, the ticket links back.',
        params: IdParams,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      await turnIntoTicket(ctx, actorOf(req), req.params.id)
      return topicOf(req, req.params.id)
    },
  )
  app.post(
    '/community/topics/:id/kb-draft',
    {
      schema: {
        tags,
        description: 'Turns the accepted answer into a knowledge-base draft (kbArticleId).',
        params: IdParams,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      await makeKbDraft(ctx, actorOf(req), req.params.id)
      return topicOf(req, req.params.id)
    },
  )
  app.post(
    '/community/topics/:id/voc-link',
    {
      schema: {
        tags,
        description: 'Links the thread to a voice-of-customer item.',
        params: IdParams,
        body: CommunityVocLinkInput,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      await linkToVocItem(ctx, actorOf(req), req.params.id, req.body.itemId)
      return topicOf(req, req.params.id)
    },
  )

  app.post(
    '/community/posts/:id/vote',
    {
      schema: {
        tags,
        description: 'One vote per person per post (409 on a second one).',
        params: IdParams,
        body: CommunityVoteInput,
        response: { 200: CommunityPostDto },
      },
    },
    async (req) => {
      const post = await votePost(ctx, staff(req), req.params.id, req.body.value)
      return (await presentPosts(ctx.db, [post], null))[0]
    },
  )
  app.post(
    '/community/posts/:id/accept',
    {
      schema: {
        tags,
        description: 'Marks the accepted answer (the asker on the public page, or staff here).',
        params: IdParams,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      const topic = await acceptAnswer(ctx, staff(req), req.params.id)
      return topicOf(req, topic.id)
    },
  )
  app.patch(
    '/community/posts/:id',
    {
      schema: {
        tags,
        description: 'Edits any post: its text, and the title for a question (support team; audited). The post keeps its status.',
        params: IdParams,
        body: CommunityPostEdit,
        response: { 200: CommunityTopicDto },
      },
    },
    async (req) => {
      const post = await staffEditPost(ctx, actorOf(req), req.params.id, req.body)
      return topicOf(req, post.topicId)
    },
  )
  app.get(
    '/community/moderation',
    { schema: { tags, description: 'Held posts, oldest first (support team).', response: { 200: CommunityQueue } } },
    async (req) => listModerationQueue(ctx, actorOf(req)),
  )
  app.post(
    '/community/posts/:id/approve',
    { schema: { tags, description: 'Makes a held or hidden post public (audited).', params: IdParams, response: { 200: CommunityTopicDto } } },
    async (req) => {
      await approvePost(ctx, actorOf(req), req.params.id)
      return topicOf(req, (await getPostRow(ctx.db, req.params.id)).topicId)
    },
  )
  app.post(
    '/community/posts/:id/reject',
    { schema: { tags, description: 'Hides a post; hiding the question hides the topic (audited).', params: IdParams, response: { 200: CommunityTopicDto } } },
    async (req) => {
      await rejectPost(ctx, actorOf(req), req.params.id)
      return topicOf(req, (await getPostRow(ctx.db, req.params.id)).topicId)
    },
  )

  app.get('/community/members/:id', { schema: { tags, description: 'Support team.', params: IdParams, response: { 200: CommunityMemberDto } } }, async (req) =>
    getMember(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/community/members/:id/ban',
    {
      schema: {
        tags,
        description: 'Banned members cannot sign in or post (audited).',
        params: IdParams,
        body: CommunityBanInput,
        response: { 200: CommunityMemberDto },
      },
    },
    async (req) => presentMember(await banMember(ctx, actorOf(req), req.params.id, req.body.reason)),
  )
  app.post('/community/members/:id/unban', { schema: { tags, params: IdParams, response: { 200: CommunityMemberDto } } }, async (req) =>
    presentMember(await unbanMember(ctx, actorOf(req), req.params.id)),
  )

  app.get('/community/settings', { schema: { tags, description: 'Spam rules (support team).', response: { 200: CommunitySettingsDto } } }, async (req) => {
    if (!canModerateCommunity(actorOf(req))) throw forbidden('see community settings')
    return readCommunitySettings(ctx.db)
  })
  app.put(
    '/community/settings',
    { schema: { tags, description: 'Admins (audited).', body: CommunitySettingsDto, response: { 200: CommunitySettingsDto } } },
    async (req) => updateCommunitySettings(ctx, actorOf(req), req.body),
  )
}
