import type { FastifyBaseLogger } from 'fastify'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { registerReplyDelivery } from '../tickets/delivery.ts'
import { markDeliveryFailed } from '../email/email.outbound.service.ts'
import { sendNoticeEmail } from '../email/staff-email.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { announceConversation, findConversation } from './chat.conversations.ts'
import { settleChatRating } from './chat.csat.ts'
import { renderReplyEmail } from './chat.emails.ts'
import { markAgentRead } from './chat.receipts.ts'
import { sendChatReplyEmailJob } from './jobs/send-chat-reply-email.ts'
import { presentWidgetMessages } from './widget.messages.ts'
import type { availabilityNotifier } from './widget.socket.ts'

/** How long a reply waits for a visitor who left a chat to come back before it is emailed. */
export const EMAIL_AFTER_MS = 60_000

/** The email address an agent's reply on a chat inbox may go to when the visitor cannot see it live, if any. */
async function replyEmailTarget(db: Executor, ticketId: number): Promise<{ address: string; why: 'left_chat' | 'offline_message' } | null> {
  const ticket = await db.selectFrom('tickets').select(['requesterId']).where('id', '=', ticketId).executeTakeFirst()
  if (!ticket) return null
  const conversation = await findConversation(db, ticketId)
  if (conversation) {
    // Only a proven address: an unverified claim could be anyone's, and the reply would leak the chat to them.
    const visitor = await db.selectFrom('chatVisitors').select(['verified', 'contactId']).where('id', '=', conversation.visitorId).executeTakeFirst()
    if (!visitor?.verified || visitor.contactId !== ticket.requesterId) return null
  }
  const email = await db
    .selectFrom('contactIdentities')
    .select('value')
    .where('contactId', '=', ticket.requesterId)
    .where('kind', '=', 'email')
    .where('bouncingAt', 'is', null)
    .orderBy('id')
    .executeTakeFirst()
  return email ? { address: email.value, why: conversation ? 'left_chat' : 'offline_message' } : null
}

/**
 * Replies on a chat inbox: a visitor connected right now gets it on their socket (forwarded after the commit,
 * see installChatDelivery), so it counts as sent. Otherwise it is emailed when there is a proven address (a
 * verified visitor, or a ticket from the offline form); an anonymous visitor sees it when they come back.
 */
export function registerChatChannel(): void {
  registerReplyDelivery('chat', async (trx, ctx, reply) => {
    const conversation = await findConversation(trx, reply.ticketId)
    // Connected, or between two pages of the site (the hub keeps them for the leave grace period).
    if (conversation && (ctx.visitors.isOnline(conversation.visitorId) || ctx.visitors.get(conversation.visitorId))) {
      await trx.updateTable('messages').set({ deliveryStatus: 'sent' }).where('id', '=', reply.messageId).execute()
      return
    }
    if (!(await replyEmailTarget(trx, reply.ticketId))) return
    await trx.updateTable('messages').set({ deliveryStatus: 'queued' }).where('id', '=', reply.messageId).execute()
    // A visitor who left a chat often comes back within moments: the email waits a little (see deliverChatReplyByEmail).
    await enqueueJob(
      trx,
      sendChatReplyEmailJob,
      { messageId: reply.messageId },
      { idempotencyKey: `send-chat-reply-email:${reply.messageId}`, runAt: now() + (conversation ? EMAIL_AFTER_MS : 0) },
    )
  })
}

async function publishTicketUpdated(ctx: Ctx, ticketId: number, messageId: number): Promise<void> {
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'teamId', 'assigneeId']).where('id', '=', ticketId).executeTakeFirst()
  if (ticket) ctx.realtime.publish(ticketEvent('ticket.updated', ticket, { messageId }))
}

/** Sends one queued reply by email (safe to repeat: a reply no longer queued is left alone). */
export async function deliverChatReplyByEmail(ctx: Ctx, messageId: number): Promise<void> {
  const message = await ctx.db
    .selectFrom('messages as m')
    .leftJoin('users as u', 'u.id', 'm.authorUserId')
    .select(['m.id', 'm.ticketId', 'm.kind', 'm.fullText', 'm.html', 'm.deliveryStatus', 'm.createdAt', 'u.name as authorName'])
    .where('m.id', '=', messageId)
    .executeTakeFirst()
  if (message?.kind !== 'reply' || message.deliveryStatus !== 'queued') return
  const conversation = await findConversation(ctx.db, message.ticketId)
  if (conversation) {
    // Back in the widget since the reply was written: they have it there (sessions and sync carry it).
    const visitor = await ctx.db.selectFrom('chatVisitors').select('lastSeenAt').where('id', '=', conversation.visitorId).executeTakeFirst()
    if (visitor && visitor.lastSeenAt > message.createdAt) {
      await ctx.db.updateTable('messages').set({ deliveryStatus: 'sent', deliveryError: null }).where('id', '=', messageId).execute()
      return publishTicketUpdated(ctx, message.ticketId, messageId)
    }
  }
  const target = await replyEmailTarget(ctx.db, message.ticketId)
  if (!target) return markDeliveryFailed(ctx, messageId, 'No verified email address to send this reply to')
  const ticket = await ctx.db
    .selectFrom('tickets')
    .innerJoin('contacts', 'contacts.id', 'tickets.requesterId')
    .select(['tickets.id', 'tickets.subject', 'contacts.name'])
    .where('tickets.id', '=', message.ticketId)
    .executeTakeFirstOrThrow()
  const attachments = await ctx.db.selectFrom('attachments').select(['filename', 'contentType', 'blobHash']).where('messageId', '=', messageId).execute()
  const mail = renderReplyEmail(ticket, { fullText: message.fullText, html: message.html, authorName: message.authorName }, target.why)
  const sent = await sendNoticeEmail(ctx, {
    to: { name: ticket.name, address: target.address },
    ...mail,
    automatic: false,
    idempotencyKey: `chat-reply:${messageId}`,
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: ctx.blobs.stream(a.blobHash) })),
  })
  if (!sent) return markDeliveryFailed(ctx, messageId, 'No outbound email is configured (set SMTP_URL or add an email inbox)')
  await ctx.db.updateTable('messages').set({ deliveryStatus: 'sent', deliveryError: null }).where('id', '=', messageId).execute()
  await publishTicketUpdated(ctx, message.ticketId, messageId)
}

/**
 * Live traffic from agents to visitors: sent replies reach the visitor's widget (a waiting chat becomes the
 * replying agent's), agents' typing shows in the widget, an agent who opens the chat has read it, and
 * availability changes flip the widget between chat and offline form. A rated chat whose ticket gets solved
 * has its rating moved to that solve (chat.csat.ts). Returns the unsubscribe.
 */
export function installChatDelivery(ctx: Ctx, notifier: ReturnType<typeof availabilityNotifier>, log: FastifyBaseLogger): () => void {
  const rt = ctx.realtime
  // Which visitor a ticket's chat belongs to (null: not a chat). A ticket becomes a chat only when it is created.
  const visitorOfTicket = new Map<number, number | null>()
  const visitorOf = async (ticketId: number): Promise<number | null> => {
    if (visitorOfTicket.has(ticketId)) return visitorOfTicket.get(ticketId)!
    const conversation = await findConversation(ctx.db, ticketId)
    const visitorId = conversation?.visitorId ?? null
    visitorOfTicket.set(ticketId, visitorId)
    if (visitorOfTicket.size > 10_000) visitorOfTicket.delete(visitorOfTicket.keys().next().value!)
    return visitorId
  }
  const guarded = (what: string, work: () => Promise<void>) => work().catch((err) => log.warn({ err }, `chat delivery: ${what} failed`))

  // Every node tells its own connected visitors, wherever the change happened.
  const offDeliver = rt.onDeliver((event) => {
    if (event.name === 'chat.availability') notifier.changed()
  })
  const offPublish = rt.onPublish((event) => {
    if (event.name === 'ticket.updated' && event.ticket && !event.payload.csat) {
      const ticketId = event.ticket.id
      void guarded('rating', async () => {
        if ((await visitorOf(ticketId)) !== null) await settleChatRating(ctx, ticketId)
      })
      return
    }
    if (event.name !== 'message.created' || event.payload.kind !== 'reply' || !event.ticket) return
    const messageId = event.payload.messageId
    const ticketId = event.ticket.id
    if (typeof messageId !== 'number') return
    void guarded('reply', async () => {
      const visitorId = await visitorOf(ticketId)
      if (visitorId === null) return
      const [message] = await presentWidgetMessages(ctx, ctx.db, [messageId])
      if (message?.author.kind !== 'agent') return
      ctx.visitors.send(visitorId, { type: 'message', message })
      const author = await ctx.db.selectFrom('messages').select(['authorUserId', 'ticketId']).where('id', '=', messageId).executeTakeFirst()
      if (author?.ticketId !== ticketId || !author.authorUserId) return
      // Answering a waiting chat takes it (the ticket itself was assigned to the author on first touch).
      const taken = await ctx.db
        .updateTable('chatConversations')
        .set({ status: 'active', agentId: author.authorUserId })
        .where('ticketId', '=', ticketId)
        .where('status', '=', 'waiting')
        .executeTakeFirst()
      if (Number(taken.numUpdatedRows)) await announceConversation(ctx, ticketId)
    })
  })

  // Per person: the chat tickets they have open, and whether they are typing there.
  const openBy = new Map<number, { name: string; tickets: Map<number, boolean> }>()
  let presenceWork: Promise<void> = Promise.resolve()
  const offPresence = rt.onPresenceChange((userId) => {
    const current = new Map(rt.ticketsOf(userId).map((t) => [t.ticketId, t.typing]))
    presenceWork = presenceWork.then(() =>
      guarded('presence', async () => {
        const before = openBy.get(userId)
        const name = before?.name ?? nameIn(userId, [...current.keys()])
        for (const ticketId of new Set([...current.keys(), ...(before?.tickets.keys() ?? [])])) {
          const visitorId = await visitorOf(ticketId)
          if (visitorId === null) continue
          const wasTyping = before?.tickets.get(ticketId) ?? false
          const typing = current.get(ticketId) ?? false
          if (wasTyping !== typing) ctx.visitors.send(visitorId, { type: 'typing', name, typing })
          if (current.has(ticketId) && !before?.tickets.has(ticketId)) await markAgentRead(ctx, ticketId)
        }
        if (current.size) openBy.set(userId, { name, tickets: current })
        else openBy.delete(userId)
      }),
    )
  })
  const nameIn = (userId: number, ticketIds: number[]) => {
    for (const t of ticketIds) {
      const entry = rt.presenceOf(t).find((p) => p.userId === userId)
      if (entry) return entry.name
    }
    return 'Support'
  }

  return () => {
    offPublish()
    offDeliver()
    offPresence()
    notifier.stop()
  }
}
