import type { AgentChatStatusDto, SetChatStatusInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { DEFAULT_CAPACITY, presentAgentStatuses, publishAvailability } from './agent-status.ts'
import { canTakeChats, canWorkChats } from './chat-desk.policy.ts'
import { routeWaitingChats } from './routing.ts'

export async function getMyChatStatus(ctx: Ctx, actor: Actor): Promise<AgentChatStatusDto> {
  if (!canWorkChats(actor)) throw forbidden('take live chats')
  return (await presentAgentStatuses(ctx.db, [actor.id]))[0]!
}

/**
 * Sets one's availability and capacity. Going online or raising the capacity hands waiting chats out
 * (to whoever of the available agents is next in turn, not necessarily this person).
 */
export async function setMyChatStatus(ctx: Ctx, actor: Actor, input: SetChatStatusInput): Promise<AgentChatStatusDto> {
  if (!canWorkChats(actor)) throw forbidden('take live chats')
  if (input.status !== 'offline' && !canTakeChats({ role: actor.role, isActive: true, trustLevel: actor.trustLevel }))
    throw forbidden('take live chats', 'observers do not talk to customers')
  const before = await ctx.db.selectFrom('agentChatStatus').selectAll().where('userId', '=', actor.id).executeTakeFirst()
  const capacity = input.capacity ?? before?.capacity ?? DEFAULT_CAPACITY
  const t = now()
  await ctx.db
    .insertInto('agentChatStatus')
    .values({ userId: actor.id, status: input.status, capacity, lastAssignedAt: 0, updatedAt: t })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ status: input.status, capacity, updatedAt: t }))
    .execute()
  await publishAvailability(ctx, [actor.id])
  const freed = input.status === 'online' && (before?.status !== 'online' || capacity > before.capacity)
  if (freed) await routeWaitingChats(ctx)
  return (await presentAgentStatuses(ctx.db, [actor.id]))[0]!
}

/** Everyone who takes chats or could: support agents, and anyone (admins, owners) who ever set a status. Sorted by name. */
export async function listChatAgents(ctx: Ctx, actor: Actor): Promise<AgentChatStatusDto[]> {
  if (!canWorkChats(actor)) throw forbidden('see who takes live chats')
  const rows = await ctx.db
    .selectFrom('users')
    .leftJoin('agentChatStatus as s', 's.userId', 'users.id')
    .select(['users.id'])
    .where('users.isActive', '=', 1)
    .where('users.role', 'in', ['owner', 'admin', 'agent'])
    .where((eb) => eb.or([eb('s.userId', 'is not', null), eb('users.role', '=', 'agent')]))
    .orderBy('users.name')
    .orderBy('users.id')
    .limit(1000)
    .execute()
  return presentAgentStatuses(
    ctx.db,
    rows.map((r) => r.id),
  )
}
