import type { ChatConversationDto, MessageDto, SuperviseChatInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden } from '../../platform/errors.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { notify, postMessage, presentMessages } from '../tickets/messages.service.ts'
import { notificationEvent, ticketEvent } from '../tickets/tickets.events.ts'
import { canSuperviseChats } from './chat-desk.policy.ts'
import { getVisibleChat, presentConversation } from './conversations.service.ts'

/**
 * The notice a visitor sees when a lead joins their chat. It is not stored (the ticket keeps the audit
 * entry and the supervisors list instead), so it carries the id -1: widgets show it and never use it as a
 * read receipt or a resend position.
 */
export const UNSTORED_NOTICE_ID = -1

/**
 * A lead starts watching, joins (the visitor is told) or stops supervising a live chat. Every change is
 * audited and shown to the chat's agent (supervisors list, `chat.changed`).
 */
export async function superviseChat(ctx: Ctx, actor: Actor, ticketId: number, input: SuperviseChatInput): Promise<ChatConversationDto> {
  if (!canSuperviseChats(actor)) throw forbidden('supervise live chats', 'only admins and owners supervise')
  const { ticket, conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  if (input.mode !== 'stop' && conversation.status === 'ended') throw conflict('This chat has ended')
  const joined = await inTransaction(ctx, async (trx, emit) => {
    const current = await trx
      .selectFrom('chatSupervisions')
      .selectAll()
      .where('ticketId', '=', ticketId)
      .where('userId', '=', actor.id)
      .where('endedAt', 'is', null)
      .executeTakeFirst()
    if (current?.mode === input.mode || (!current && input.mode === 'stop')) return false
    const t = now()
    if (current) await trx.updateTable('chatSupervisions').set({ endedAt: t }).where('id', '=', current.id).execute()
    if (input.mode !== 'stop')
      await trx.insertInto('chatSupervisions').values({ ticketId, userId: actor.id, mode: input.mode, startedAt: t, endedAt: null }).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: `chat.supervision_${input.mode}`,
      targetType: 'ticket',
      targetId: ticketId,
      data: { mode: input.mode, previousMode: current?.mode ?? null, agentId: conversation.agentId },
    })
    emit(ticketEvent('chat.changed', ticket))
    return input.mode === 'join'
  })
  if (joined) {
    ctx.visitors.send(conversation.visitorId, {
      type: 'message',
      message: {
        id: UNSTORED_NOTICE_ID,
        clientId: null,
        author: { kind: 'system', name: 'System', avatarUrl: null },
        text: `${actor.name} joined the chat`,
        attachments: [],
        createdAt: now(),
      },
    })
  }
  return presentConversation(ctx, ticketId)
}

/**
 * A lead's whisper to the chat's agent: stored as an internal note marked as a whisper (notes never reach
 * the visitor), the agent notified, the whisper audited.
 */
export async function whisper(ctx: Ctx, actor: Actor, ticketId: number, body: string): Promise<MessageDto> {
  if (!canSuperviseChats(actor)) throw forbidden('whisper in live chats', 'only admins and owners supervise')
  const { ticket, conversation } = await getVisibleChat(ctx.db, actor, ticketId)
  if (conversation.status === 'ended') throw conflict('This chat has ended')
  const { html, text } = normalizeBody(body, 'text')
  const content = { html: `<p><strong>Whisper</strong></p>${html}`, text: `Whisper: ${text}`, fullText: `Whisper: ${text}` }
  const messageId = await inTransaction(ctx, async (trx, emit) => {
    const id = await postMessage(trx, ctx, emit, { ticket, author: actor, kind: 'note', content, mayChangeStatus: false })
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'chat.whispered',
      targetType: 'ticket',
      targetId: ticketId,
      data: { messageId: id, agentId: conversation.agentId },
    })
    if (conversation.agentId !== null && conversation.agentId !== actor.id) {
      const n = await notify(trx, {
        userId: conversation.agentId,
        kind: 'whisper',
        ticketId,
        messageId: id,
        actorId: actor.id,
        title: `${actor.name} whispered on #${ticketId}: ${text.slice(0, 80)}`,
      })
      emit(notificationEvent(conversation.agentId, n))
    }
    return id
  })
  return (await presentMessages(ctx.db, [messageId]))[0]!
}
