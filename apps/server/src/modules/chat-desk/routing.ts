import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { announceConversation } from '../chat/chat.conversations.ts'
import { queueEvent } from '../queue/index.ts'
import { addEventMessage, notify } from '../tickets/messages.service.ts'
import { notificationEvent, ticketEvent } from '../tickets/tickets.events.ts'
import { activeChatCounts, publishAvailability } from './agent-status.ts'
import { onlineAgentsQuery } from './availability.ts'
import { canTakeChats } from './chat-desk.policy.ts'

type Emit = (e: DomainEvent) => void
type Person = { id: number; name: string }

/** How an inbox hands out new chats (`inboxes.chat_settings.routing`); round-robin unless an admin chose manual. */
export function routingOf(chatSettings: unknown): 'round_robin' | 'manual' {
  return readJson<{ routing?: string }>(chatSettings, {}).routing === 'manual' ? 'manual' : 'round_robin'
}

/**
 * Gives a chat's ticket to a person (or takes it away with `to: null`), writing the `assigned` event the
 * ticket history shows and notifying the new assignee when someone else did it.
 */
export async function assignChatTicket(
  trx: Transaction<DB>,
  emit: Emit,
  ticketId: number,
  to: Person | null,
  by: Person | null,
  via: 'chat_routing' | 'chat_accept' | 'chat_transfer',
  teamChange?: { teamId: number | null; teamName: string | null },
): Promise<void> {
  const ticket = await trx
    .selectFrom('tickets')
    .select(['id', 'subject', 'status', 'assigneeId', 'teamId'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow()
  const t = now()
  const teamId = teamChange ? teamChange.teamId : ticket.teamId
  const assigneeChanged = ticket.assigneeId !== (to?.id ?? null)
  const teamChanged = teamId !== ticket.teamId
  if (!assigneeChanged && !teamChanged) return
  await trx
    .updateTable('tickets')
    .set({ assigneeId: to?.id ?? null, teamId, updatedAt: t, ...(to && ticket.status === 'new' ? { status: 'open' } : {}) })
    .where('id', '=', ticketId)
    .execute()
  if (teamChanged)
    await addEventMessage(trx, ticketId, by?.id ?? null, { type: 'team_changed', from: ticket.teamId, to: teamId, toName: teamChange?.teamName ?? null })
  if (assigneeChanged) {
    await addEventMessage(trx, ticketId, by?.id ?? null, { type: 'assigned', from: ticket.assigneeId, to: to?.id ?? null, toName: to?.name ?? null, via })
    if (to && to.id !== by?.id) {
      const title =
        via === 'chat_routing'
          ? `A live chat was routed to you: #${ticketId} ${ticket.subject}`
          : `${by?.name ?? 'Someone'} gave you the live chat #${ticketId}: ${ticket.subject}`
      emit(notificationEvent(to.id, await notify(trx, { userId: to.id, kind: 'assigned', ticketId, actorId: by?.id ?? null, title })))
    }
  }
  emit(ticketEvent('ticket.updated', { id: ticketId, teamId, assigneeId: to?.id ?? null }, teamChanged ? { previousTeamId: ticket.teamId } : {}))
  emit(queueEvent(ticketId))
}

/**
 * Round-robin: gives a waiting chat to the online agent (of the ticket's team, or anyone when it has none)
 * with free capacity who was given a chat least recently. Candidates' status rows are locked (in id order,
 * so two routings never deadlock) and their load recounted inside the transaction, so two chats starting
 * at once cannot push anyone over capacity. Returns the agent, or null when the chat keeps waiting.
 */
export async function routeChat(ctx: Ctx, ticketId: number): Promise<number | null> {
  const chat = await ctx.db
    .selectFrom('chatConversations as c')
    .innerJoin('tickets as t', 't.id', 'c.ticketId')
    .innerJoin('inboxes as i', 'i.id', 'c.inboxId')
    .select(['c.status', 'c.agentId', 't.teamId', 'i.chatSettings'])
    .where('c.ticketId', '=', ticketId)
    .executeTakeFirst()
  if (chat?.status !== 'waiting' || chat.agentId !== null || routingOf(chat.chatSettings) === 'manual') return null
  const agent = await inTransaction(ctx, async (trx, emit) => {
    const online = await onlineAgentsQuery(trx, chat.teamId).select(['s.userId', 'u.role', 'u.isActive', 'u.trustLevel']).execute()
    const ids = online.filter((u) => canTakeChats(u)).map((u) => u.userId)
    if (!ids.length) return null
    let locked = trx
      .selectFrom('agentChatStatus')
      .select(['userId', 'capacity', 'lastAssignedAt'])
      .where('userId', 'in', ids)
      .where('status', '=', 'online')
      .orderBy('userId')
    if (ctx.dialect === 'postgres') locked = locked.forUpdate()
    const statuses = await locked.execute()
    const load = await activeChatCounts(trx, ids)
    const next = statuses.filter((s) => (load.get(s.userId) ?? 0) < s.capacity).sort((a, b) => a.lastAssignedAt - b.lastAssignedAt || a.userId - b.userId)[0]
    if (!next) return null
    const taken = await trx
      .updateTable('chatConversations')
      .set({ status: 'active', agentId: next.userId })
      .where('ticketId', '=', ticketId)
      .where('status', '=', 'waiting')
      .where('agentId', 'is', null)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) !== 1) return null
    // Strictly later than anyone's turn so far, so ties within one millisecond still rotate.
    const turn = Math.max(now(), ...statuses.map((s) => s.lastAssignedAt + 1))
    await trx.updateTable('agentChatStatus').set({ lastAssignedAt: turn }).where('userId', '=', next.userId).execute()
    const user = await trx.selectFrom('users').select(['id', 'name']).where('id', '=', next.userId).executeTakeFirstOrThrow()
    await assignChatTicket(trx, emit, ticketId, user, null, 'chat_routing')
    return next.userId
  })
  if (agent !== null) {
    await announceConversation(ctx, ticketId)
    await publishAvailability(ctx, [agent])
  }
  return agent
}

/**
 * Hands out chats that are still waiting, oldest first: called when someone goes online, frees capacity
 * or a chat ends. Stops early when nobody online has room.
 */
export async function routeWaitingChats(ctx: Ctx): Promise<void> {
  const waiting = await ctx.db
    .selectFrom('chatConversations')
    .select('ticketId')
    .where('status', '=', 'waiting')
    .where('agentId', 'is', null)
    .orderBy('startedAt')
    .limit(100)
    .execute()
  for (const w of waiting) {
    if (!(await anyoneHasRoom(ctx))) return
    await routeChat(ctx, w.ticketId)
  }
}

async function anyoneHasRoom(ctx: Ctx): Promise<boolean> {
  const online = await onlineAgentsQuery(ctx.db, null).select(['s.userId', 's.capacity']).execute()
  const load = await activeChatCounts(
    ctx.db,
    online.map((o) => o.userId),
  )
  return online.some((o) => (load.get(o.userId) ?? 0) < o.capacity)
}
