import {
  AgentChatStatusDto,
  AutoInviteRuleDto,
  AutoInviteRuleInput,
  ChatConversationDto,
  ChatConversationListItem,
  ConversationStatusSchema,
  CursorQuery,
  Id,
  IdParams,
  InviteVisitorInput,
  LiveVisitorDto,
  MessageDto,
  Ok,
  Page,
  PageViewDto,
  SetChatStatusInput,
  SuperviseChatInput,
  TransferChatInput,
  WhisperInput,
} from '@allhands/contract'
import type { FastifyBaseLogger } from 'fastify'
import { Type } from 'typebox'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx } from '../../platform/context.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard } from '../../platform/realtime.ts'
import { onChatStarted } from '../chat/chat.hooks.ts'
import { CHAT_AGENTS_ROOM } from './agent-status.ts'
import { getMyChatStatus, listChatAgents, setMyChatStatus } from './agents.service.ts'
import { canWorkChats } from './chat-desk.policy.ts'
import { acceptChat, endChat, getChat, listChats, transferChat } from './conversations.service.ts'
import { createInviteRule, deleteInviteRule, installAutoInvites, listInviteRules, updateInviteRule } from './invite-rules.service.ts'
import { routeChat } from './routing.ts'
import { superviseChat, whisper } from './supervision.service.ts'
import { installVisitorFeed, inviteVisitor, listContactPageViews, listLiveVisitors, listVisitorPageViews, VISITORS_ROOM } from './visitors.service.ts'

const chatRoomGuard = (_ctx: Ctx, actor: Actor, room: string) => (room === CHAT_AGENTS_ROOM || room === VISITORS_ROOM ? canWorkChats(actor) : undefined)

const loggers = new WeakMap<Ctx, FastifyBaseLogger>()
/** A new chat is routed as soon as the visitor side has stored it; a routing failure leaves it waiting (and logged). */
async function routeStartedChat(ctx: Ctx, ticketId: number): Promise<void> {
  try {
    await routeChat(ctx, ticketId)
  } catch (err) {
    loggers.get(ctx)?.error({ err, ticketId }, 'chat routing failed; the chat waits for an agent')
  }
}

const Items = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) })
const ConversationsQuery = Type.Object({ status: Type.Optional(ConversationStatusSchema), mine: Type.Optional(Type.Boolean()) })
const VisitorsQuery = Type.Object({ inboxId: Type.Optional(Id) })
const PageQuery = Type.Object(CursorQuery)

/** Live chat, agent side: availability and routing, the chats list, transfer, supervision, the visitor list, invites. */
export async function chatDeskRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(chatRoomGuard)
  loggers.set(ctx, app.log)
  onChatStarted(routeStartedChat)
  const stopFeed = installVisitorFeed(ctx, app.log)
  const stopInvites = installAutoInvites(ctx, app.log)
  app.addHook('onClose', async () => {
    stopFeed()
    stopInvites()
  })
  const tags = ['chat']

  app.get('/chat/me', { schema: { tags, response: { 200: AgentChatStatusDto } } }, async (req) => getMyChatStatus(ctx, actorOf(req)))
  app.put('/chat/me', { schema: { tags, body: SetChatStatusInput, response: { 200: AgentChatStatusDto } } }, async (req) =>
    setMyChatStatus(ctx, actorOf(req), req.body),
  )
  app.get('/chat/agents', { schema: { tags, response: { 200: Items(AgentChatStatusDto) } } }, async (req) => ({
    items: await listChatAgents(ctx, actorOf(req)),
  }))

  app.get('/chat/conversations', { schema: { tags, querystring: ConversationsQuery, response: { 200: Items(ChatConversationListItem) } } }, async (req) => ({
    items: await listChats(ctx, actorOf(req), req.query),
  }))
  app.get('/tickets/:id/chat', { schema: { tags, params: IdParams, response: { 200: ChatConversationDto } } }, async (req) =>
    getChat(ctx, actorOf(req), req.params.id),
  )
  app.post('/tickets/:id/chat/accept', { schema: { tags, params: IdParams, response: { 200: ChatConversationDto } } }, async (req) =>
    acceptChat(ctx, actorOf(req), req.params.id),
  )
  app.post('/tickets/:id/chat/transfer', { schema: { tags, params: IdParams, body: TransferChatInput, response: { 200: ChatConversationDto } } }, async (req) =>
    transferChat(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post('/tickets/:id/chat/end', { schema: { tags, params: IdParams, response: { 200: ChatConversationDto } } }, async (req) =>
    endChat(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/tickets/:id/chat/supervise',
    { schema: { tags, params: IdParams, body: SuperviseChatInput, response: { 200: ChatConversationDto } } },
    async (req) => superviseChat(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post('/tickets/:id/chat/whispers', { schema: { tags, params: IdParams, body: WhisperInput, response: { 201: MessageDto } } }, async (req, reply) =>
    reply.code(201).send(await whisper(ctx, actorOf(req), req.params.id, req.body.body)),
  )

  app.get('/chat/visitors', { schema: { tags, querystring: VisitorsQuery, response: { 200: Items(LiveVisitorDto) } } }, async (req) => ({
    items: await listLiveVisitors(ctx, actorOf(req), req.query.inboxId),
  }))
  app.get('/chat/visitors/:id/page-views', { schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: Page(PageViewDto) } } }, async (req) =>
    listVisitorPageViews(ctx, actorOf(req), req.params.id, req.query.cursor, req.query.limit ?? 50),
  )
  app.get('/contacts/:id/page-views', { schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: Page(PageViewDto) } } }, async (req) =>
    listContactPageViews(ctx, actorOf(req), req.params.id, req.query.cursor, req.query.limit ?? 50),
  )
  app.post(
    '/chat/visitors/:id/invite',
    { schema: { tags, params: IdParams, body: InviteVisitorInput, response: { 201: Type.Object({ id: Id }) } } },
    async (req, reply) => reply.code(201).send(await inviteVisitor(ctx, actorOf(req), req.params.id, req.body)),
  )

  app.get('/chat/inboxes/:id/invite-rules', { schema: { tags, params: IdParams, response: { 200: Items(AutoInviteRuleDto) } } }, async (req) => ({
    items: await listInviteRules(ctx, actorOf(req), req.params.id),
  }))
  app.post(
    '/chat/inboxes/:id/invite-rules',
    { schema: { tags, params: IdParams, body: AutoInviteRuleInput, response: { 201: AutoInviteRuleDto } } },
    async (req, reply) => reply.code(201).send(await createInviteRule(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.patch(
    '/chat/invite-rules/:id',
    { schema: { tags, params: IdParams, body: Type.Partial(AutoInviteRuleInput), response: { 200: AutoInviteRuleDto } } },
    async (req) => updateInviteRule(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/chat/invite-rules/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteInviteRule(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
