import type { WidgetConversation } from '@allhands/contract'
import type { Ctx, Executor } from '../../platform/context.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'

/**
 * Shared by the visitor side (modules/chat) and the agent side (modules/chat-desk): a chat's conversation
 * row, how the widget sees it, and telling both sides that it changed.
 */
export async function findConversation(db: Executor, ticketId: number) {
  return db.selectFrom('chatConversations').selectAll().where('ticketId', '=', ticketId).executeTakeFirst()
}
export type ConversationRow = NonNullable<Awaited<ReturnType<typeof findConversation>>>

/** The visitor's newest conversation (open or ended), if any. */
export async function latestConversationOf(db: Executor, visitorId: number) {
  return db.selectFrom('chatConversations').selectAll().where('visitorId', '=', visitorId).orderBy('startedAt', 'desc').limit(1).executeTakeFirst()
}

export async function widgetConversation(db: Executor, row: ConversationRow): Promise<WidgetConversation> {
  const agent = row.agentId ? await db.selectFrom('users').select(['name']).where('id', '=', row.agentId).executeTakeFirst() : undefined
  return {
    ticketId: row.ticketId,
    status: row.status as WidgetConversation['status'],
    agent: agent ? { name: agent.name, avatarUrl: null } : null,
    agentReadUpTo: row.agentReadUpTo,
    rating: row.rating,
  }
}

/** After a change to a conversation: the visitor's widget gets the new state, agents in the ticket a `chat.changed` event. */
export async function announceConversation(ctx: Ctx, ticketId: number): Promise<void> {
  const row = await findConversation(ctx.db, ticketId)
  if (!row) return
  ctx.visitors.send(row.visitorId, { type: 'conversation', conversation: await widgetConversation(ctx.db, row) })
  ctx.visitors.touch(row.visitorId)
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'teamId', 'assigneeId']).where('id', '=', ticketId).executeTakeFirst()
  if (ticket) ctx.realtime.publish(ticketEvent('chat.changed', ticket))
}
