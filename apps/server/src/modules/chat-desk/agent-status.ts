import type { AgentChatStatusDto, ChatAvailability } from '@allhands/contract'
import type { Ctx, Executor } from '../../platform/context.ts'

/** Availability of someone who never set it: offline, ready for three chats at once. */
export const DEFAULT_CAPACITY = 3
export const CHAT_AGENTS_ROOM = 'chat-agents'

/** Chats each person holds now (active conversations they are the agent of). */
export async function activeChatCounts(db: Executor, userIds: number[]): Promise<Map<number, number>> {
  if (!userIds.length) return new Map()
  const rows = await db
    .selectFrom('chatConversations')
    .select(['agentId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agentId', 'in', userIds)
    .where('status', '=', 'active')
    .groupBy('agentId')
    .execute()
  return new Map(rows.map((r) => [r.agentId!, Number(r.n)]))
}

/** These people's chat availability, in the order asked; people without a status row get the defaults. */
export async function presentAgentStatuses(db: Executor, userIds: number[]): Promise<AgentChatStatusDto[]> {
  if (!userIds.length) return []
  const [users, statuses, counts] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'createdAt']).where('id', 'in', userIds).execute(),
    db.selectFrom('agentChatStatus').selectAll().where('userId', 'in', userIds).execute(),
    activeChatCounts(db, userIds),
  ])
  return userIds.flatMap((id) => {
    const user = users.find((u) => u.id === id)
    if (!user) return []
    const s = statuses.find((r) => r.userId === id)
    return [
      {
        user: { id: user.id, name: user.name },
        status: (s?.status ?? 'offline') as ChatAvailability,
        capacity: s?.capacity ?? DEFAULT_CAPACITY,
        activeChats: counts.get(id) ?? 0,
        updatedAt: s?.updatedAt ?? user.createdAt,
      },
    ]
  })
}

/** Tells the agents' chat panels that someone's availability or load changed. */
export async function publishAvailability(ctx: Ctx, userIds: (number | null | undefined)[]): Promise<void> {
  const ids = [...new Set(userIds.filter((id): id is number => typeof id === 'number'))]
  for (const status of await presentAgentStatuses(ctx.db, ids)) {
    ctx.realtime.publish({ name: 'chat.availability', room: CHAT_AGENTS_ROOM, payload: { userId: status.user.id, status } })
  }
}
