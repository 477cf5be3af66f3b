import type { Ctx } from '../../platform/context.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { findConversation, latestConversationOf } from './chat.conversations.ts'

/**
 * Read receipts and typing, both ways. Agents: whoever has the chat ticket open has read the visitor's messages.
 * Visitors: the widget reports what it has shown and whether they are typing.
 */

/** An agent has the chat open: the visitor's newest message is read (monotonic); the widget hears `read`. */
export async function markAgentRead(ctx: Ctx, ticketId: number): Promise<void> {
  const conversation = await findConversation(ctx.db, ticketId)
  if (!conversation) return
  const newest = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('ticketId', '=', ticketId)
    .where('kind', '=', 'customer')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!newest || (conversation.agentReadUpTo !== null && conversation.agentReadUpTo >= newest.id)) return
  const res = await ctx.db
    .updateTable('chatConversations')
    .set({ agentReadUpTo: newest.id })
    .where('ticketId', '=', ticketId)
    .where((eb) => eb.or([eb('agentReadUpTo', 'is', null), eb('agentReadUpTo', '<', newest.id)]))
    .executeTakeFirst()
  if (Number(res.numUpdatedRows)) ctx.visitors.send(conversation.visitorId, { type: 'read', upTo: newest.id })
}

/** The visitor has seen the agents' messages up to `upTo` (never beyond the newest reply; never backwards). */
export async function markVisitorRead(ctx: Ctx, visitorId: number, upTo: number): Promise<boolean> {
  const conversation = await latestConversationOf(ctx.db, visitorId)
  if (!conversation) return false
  const reply = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('ticketId', '=', conversation.ticketId)
    .where('kind', '=', 'reply')
    .where('id', '<=', upTo)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!reply) return false
  const res = await ctx.db
    .updateTable('chatConversations')
    .set({ visitorReadUpTo: reply.id })
    .where('ticketId', '=', conversation.ticketId)
    .where((eb) => eb.or([eb('visitorReadUpTo', 'is', null), eb('visitorReadUpTo', '<', reply.id)]))
    .executeTakeFirst()
  if (!Number(res.numUpdatedRows)) return false
  await publishChatChanged(ctx, conversation.ticketId)
  return true
}

/** Tells agents in the ticket that something they show about the chat changed (typing, read, online). */
export async function publishChatChanged(ctx: Ctx, ticketId: number): Promise<void> {
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'teamId', 'assigneeId']).where('id', '=', ticketId).executeTakeFirst()
  if (ticket) ctx.realtime.publish(ticketEvent('chat.changed', ticket))
}

const TYPING_EVERY_MS = 1_000
type TypingState = { lastAt: number; timer: NodeJS.Timeout | null }
const typingStates = new WeakMap<Ctx, Map<number, TypingState>>()

/**
 * The visitor is (or stopped) typing: the hub knows at once; agents hear it at most once a second per visitor,
 * and the last state always arrives (a trailing announcement covers changes inside the window).
 */
export function reportVisitorTyping(ctx: Ctx, visitorId: number, typing: boolean, onError: (err: unknown) => void): void {
  const before = ctx.visitors.isTyping(visitorId)
  ctx.visitors.setTyping(visitorId, typing)
  if (before === typing) return
  let states = typingStates.get(ctx)
  if (!states) {
    states = new Map()
    typingStates.set(ctx, states)
  }
  const state = states.get(visitorId) ?? { lastAt: 0, timer: null }
  states.set(visitorId, state)
  const announce = () => {
    state.timer = null
    state.lastAt = Date.now()
    latestConversationOf(ctx.db, visitorId)
      .then((c) => (c && c.status !== 'ended' ? publishChatChanged(ctx, c.ticketId) : undefined))
      .catch(onError)
  }
  if (state.timer) return
  const wait = state.lastAt + TYPING_EVERY_MS - Date.now()
  if (wait <= 0) announce()
  else {
    state.timer = setTimeout(announce, wait)
    state.timer.unref()
  }
}

/** Forgets a visitor's typing throttle when they leave. */
export function forgetVisitorTyping(ctx: Ctx, visitorId: number): void {
  const state = typingStates.get(ctx)?.get(visitorId)
  if (state?.timer) clearTimeout(state.timer)
  typingStates.get(ctx)?.delete(visitorId)
}
