import type { Executor } from '../../platform/context.ts'

/**
 * Agents who may take chats of an inbox right now: online, active, and in the inbox's team when it has one.
 * The widget offers chat while at least one of them is online (at capacity, the visitor waits in the queue);
 * otherwise it shows the offline form.
 */
export function onlineAgentsQuery(db: Executor, inboxTeamId: number | null) {
  let q = db.selectFrom('agentChatStatus as s').innerJoin('users as u', 'u.id', 's.userId').where('s.status', '=', 'online').where('u.isActive', '=', 1)
  if (inboxTeamId !== null) q = q.where('s.userId', 'in', db.selectFrom('teamMembers').select('userId').where('teamId', '=', inboxTeamId))
  return q
}

export async function agentsAvailableFor(db: Executor, inboxId: number): Promise<boolean> {
  const inbox = await db.selectFrom('inboxes').select('teamId').where('id', '=', inboxId).executeTakeFirst()
  if (!inbox) return false
  return !!(await onlineAgentsQuery(db, inbox.teamId).select('s.userId').limit(1).executeTakeFirst())
}
