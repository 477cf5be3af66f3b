import type { ChatConversationDto, ChatConversationListItem, TransferChatInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { AppError, badRequest, conflict, forbidden, unprocessable } from '../../platform/errors.ts'
import { canViewTicket } from '../../platform/policy.ts'
import type { VisitorHub } from '../chat/visitor-hub.ts'
import { announceConversation, type ConversationRow, findConversation } from '../chat/chat.conversations.ts'
import { addEventMessage, contentFromBody, postMessage } from '../tickets/messages.service.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { publishAvailability } from './agent-status.ts'
import { canTakeChats, canWorkChats } from './chat-desk.policy.ts'
import { assignChatTicket, routeChat, routeWaitingChats } from './routing.ts'

const LIST_CAP = 200

/** Conversations as the agent side shows them, in the order given: agent, live visitor state, supervisors. */
export async function presentConversations(db: Executor, visitors: VisitorHub, rows: ConversationRow[]): Promise<ChatConversationDto[]> {
  if (!rows.length) return []
  const ticketIds = rows.map((r) => r.ticketId)
  const supervisions = await db
    .selectFrom('chatSupervisions')
    .select(['ticketId', 'userId', 'mode', 'startedAt'])
    .where('ticketId', 'in', ticketIds)
    .where('endedAt', 'is', null)
    .orderBy('startedAt')
    .execute()
  const userIds = [...new Set([...rows.map((r) => r.agentId), ...supervisions.map((s) => s.userId)].filter((id): id is number => id !== null))]
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []
  const ref = (id: number) => ({ id, name: users.find((u) => u.id === id)?.name ?? 'Former user' })
  return rows.map((r) => ({
    ticketId: r.ticketId,
    inboxId: r.inboxId,
    visitorId: r.visitorId,
    status: r.status as ChatConversationDto['status'],
    agent: r.agentId === null ? null : ref(r.agentId),
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    visitorOnline: visitors.isOnline(r.visitorId),
    visitorTyping: visitors.isTyping(r.visitorId),
    visitorReadUpTo: r.visitorReadUpTo,
    rating: r.rating,
    supervisors: supervisions
      .filter((s) => s.ticketId === r.ticketId)
      .map((s) => ({ user: ref(s.userId), mode: s.mode as 'watch' | 'join', since: s.startedAt })),
  }))
}

export async function presentConversation(ctx: Ctx, ticketId: number): Promise<ChatConversationDto> {
  const row = await findConversation(ctx.db, ticketId)
  if (!row) throw notAChat(ticketId)
  return (await presentConversations(ctx.db, ctx.visitors, [row]))[0]!
}

const notAChat = (ticketId: number) => new AppError('not_found', 404, `Ticket ${ticketId} is not a live chat`)

/** The ticket (visible to the actor) and its conversation; 404 when the ticket is not a chat. */
export async function getVisibleChat(db: Executor, actor: Actor, ticketId: number) {
  const ticket = await getVisibleTicket(db, actor, ticketId)
  const conversation = await findConversation(db, ticketId)
  if (!conversation) throw notAChat(ticketId)
  return { ticket, conversation }
}

/** The chat beside a ticket: anyone who can see the ticket may read it (contributors too). */
export async function getChat(ctx: Ctx, actor: Actor, ticketId: number): Promise<ChatConversationDto> {
  const { conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  return (await presentConversations(ctx.db, ctx.visitors, [conversation]))[0]!
}

/**
 * Chats for the agents' chat list, newest activity first, at most 200. Each status reads its own index
 * (newest started first), so ended chats piling up over the years never slow the live lists down.
 */
export async function listChats(
  ctx: Ctx,
  actor: Actor,
  query: { status?: 'waiting' | 'active' | 'ended'; mine?: boolean },
): Promise<ChatConversationListItem[]> {
  if (!canWorkChats(actor)) throw forbidden('work on live chats')
  const statuses = query.status ? [query.status] : (['waiting', 'active', 'ended'] as const)
  const perStatus = await Promise.all(
    statuses.map((status) => {
      let q = ctx.db.selectFrom('chatConversations').selectAll().where('status', '=', status)
      if (query.mine) q = q.where('agentId', '=', actor.id)
      return q.orderBy('startedAt', 'desc').limit(LIST_CAP).execute()
    }),
  )
  const rows = perStatus.flat()
  if (!rows.length) return []
  const tickets = await ctx.db
    .selectFrom('tickets')
    .leftJoin('contacts', 'contacts.id', 'tickets.requesterId')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.teamId',
      'tickets.assigneeId',
      'tickets.lastMessageAt',
      'tickets.preview',
      'contacts.name as contactName',
    ])
    .where(
      'tickets.id',
      'in',
      rows.map((r) => r.ticketId),
    )
    .execute()
  const byId = new Map(tickets.filter((t) => canViewTicket(actor, t)).map((t) => [t.id, t]))
  const visible = rows
    .filter((r) => byId.has(r.ticketId))
    .sort((a, b) => byId.get(b.ticketId)!.lastMessageAt - byId.get(a.ticketId)!.lastMessageAt || b.ticketId - a.ticketId)
    .slice(0, LIST_CAP)
  const dtos = await presentConversations(ctx.db, ctx.visitors, visible)
  return dtos.map((dto) => {
    const t = byId.get(dto.ticketId)!
    return { ...dto, subject: t.subject, visitorName: t.contactName ?? `Visitor ${dto.visitorId}`, lastMessageAt: t.lastMessageAt, preview: t.preview }
  })
}

/** Takes a waiting chat: the actor becomes its agent and the ticket's assignee. */
export async function acceptChat(ctx: Ctx, actor: Actor, ticketId: number): Promise<ChatConversationDto> {
  if (!canTakeChats({ role: actor.role, isActive: true, trustLevel: actor.trustLevel })) throw forbidden('take live chats')
  const { conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  if (conversation.status === 'active' && conversation.agentId === actor.id) return presentConversation(ctx, ticketId)
  await inTransaction(ctx, async (trx, emit) => {
    const taken = await trx
      .updateTable('chatConversations')
      .set({ status: 'active', agentId: actor.id })
      .where('ticketId', '=', ticketId)
      .where('status', '=', 'waiting')
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) !== 1) {
      const current = await findConversation(trx, ticketId)
      if (current?.status === 'ended') throw conflict('This chat has ended')
      const agent = current?.agentId ? await trx.selectFrom('users').select('name').where('id', '=', current.agentId).executeTakeFirst() : undefined
      throw conflict(`${agent?.name ?? 'Someone'} already took this chat`, { agentId: current?.agentId ?? null })
    }
    await assignChatTicket(trx, emit, ticketId, actor, actor, 'chat_accept')
  })
  await announceConversation(ctx, ticketId)
  await publishAvailability(ctx, [actor.id])
  return presentConversation(ctx, ticketId)
}

/**
 * Hands a chat to a person (who becomes its agent at once) or to a team (the chat waits again and is
 * routed within that team). The optional note is kept as an internal note for whoever picks it up.
 */
export async function transferChat(ctx: Ctx, actor: Actor, ticketId: number, input: TransferChatInput): Promise<ChatConversationDto> {
  if (!canWorkChats(actor)) throw forbidden('transfer live chats')
  if ((input.userId === undefined) === (input.teamId === undefined)) throw badRequest('Give exactly one of userId or teamId')
  const { conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  if (conversation.status === 'ended') throw conflict('This chat has ended')
  let targetName: string
  if (input.userId !== undefined) {
    const user = await ctx.db.selectFrom('users').select(['id', 'name', 'role', 'isActive', 'trustLevel']).where('id', '=', input.userId).executeTakeFirst()
    if (!user) throw unprocessable(`User ${input.userId} does not exist`)
    if (!canTakeChats(user)) throw unprocessable(`${user.name} cannot take live chats`)
    if (conversation.agentId === user.id) throw unprocessable(`${user.name} already has this chat`)
    targetName = user.name
  } else {
    const team = await ctx.db.selectFrom('teams').select(['id', 'name']).where('id', '=', input.teamId!).executeTakeFirst()
    if (!team) throw unprocessable(`Team ${input.teamId} does not exist`)
    targetName = team.name
  }
  await inTransaction(ctx, async (trx, emit) => {
    const moved = await trx
      .updateTable('chatConversations')
      .set(input.userId !== undefined ? { status: 'active', agentId: input.userId } : { status: 'waiting', agentId: null })
      .where('ticketId', '=', ticketId)
      .where('status', '!=', 'ended')
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('This chat has ended')
    if (input.userId !== undefined) await assignChatTicket(trx, emit, ticketId, { id: input.userId, name: targetName }, actor, 'chat_transfer')
    else await assignChatTicket(trx, emit, ticketId, null, actor, 'chat_transfer', { teamId: input.teamId!, teamName: targetName })
    const note = input.note?.trim()
    if (note) {
      const ticket = (await findTicketRow(trx, ticketId))!
      await postMessage(trx, ctx, emit, {
        ticket,
        author: actor,
        kind: 'note',
        content: contentFromBody(`Transferred to ${targetName}: ${note}`, 'text'),
        mayChangeStatus: false,
      })
    }
  })
  await announceConversation(ctx, ticketId)
  await publishAvailability(ctx, [conversation.agentId, input.userId])
  if (input.teamId !== undefined) await routeChat(ctx, ticketId)
  // The previous agent has room again.
  if (conversation.agentId !== null) await routeWaitingChats(ctx)
  return presentConversation(ctx, ticketId)
}

/** Ends a chat (idempotent): the visitor's widget shows it ended, supervision stops and the agent's capacity frees up. */
export async function endChat(ctx: Ctx, actor: Actor, ticketId: number): Promise<ChatConversationDto> {
  if (!canWorkChats(actor)) throw forbidden('end live chats')
  const { conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  if (conversation.status === 'ended') return presentConversation(ctx, ticketId)
  const ended = await inTransaction(ctx, async (trx, emit) => {
    const t = now()
    const res = await trx
      .updateTable('chatConversations')
      .set({ status: 'ended', endedAt: t })
      .where('ticketId', '=', ticketId)
      .where('status', '!=', 'ended')
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) return false
    await trx.updateTable('chatSupervisions').set({ endedAt: t }).where('ticketId', '=', ticketId).where('endedAt', 'is', null).execute()
    const ticket = (await findTicketRow(trx, ticketId))!
    await addEventMessage(trx, ticketId, actor.id, { type: 'chat_ended' })
    await trx.updateTable('tickets').set({ updatedAt: t }).where('id', '=', ticketId).execute()
    emit(ticketEvent('ticket.updated', ticket))
    return true
  })
  if (ended) {
    await announceConversation(ctx, ticketId)
    await publishAvailability(ctx, [conversation.agentId])
    await routeWaitingChats(ctx)
  }
  return presentConversation(ctx, ticketId)
}
