import type { Ctx } from '../../platform/context.ts'

/**
 * What happens when a visitor starts a chat is the agent side's business (routing to an available agent);
 * the visitor side only announces it. Listeners run after the conversation's transaction committed.
 */
type ChatStarted = (ctx: Ctx, ticketId: number) => Promise<void>
const started = new Set<ChatStarted>()

export function onChatStarted(listener: ChatStarted): void {
  started.add(listener)
}

export async function announceChatStarted(ctx: Ctx, ticketId: number): Promise<void> {
  for (const l of started) await l(ctx, ticketId)
}
