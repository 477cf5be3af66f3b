import type { WidgetConversation } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { storeAttachment } from '../attachments/attachments.service.ts'
import { createTicket } from '../tickets/tickets.service.ts'
import { recordChatRating } from './chat.csat.ts'
import { announceConversation, latestConversationOf, widgetConversation } from './chat.conversations.ts'
import { canSendEmail, sendNoticeEmail } from '../email/staff-email.ts'
import { renderTranscript } from './chat.emails.ts'
import { afterVisitorMessage, oneAtATime, receiveVisitorMessage, type StoredVisitorMessage, subjectFrom } from './chat.messages.service.ts'
import { cachedChatSettings, isOriginAllowed } from './chat.settings.ts'
import { EMAIL, findVisitorByToken, type VisitorRow } from './chat.visitors.ts'
import { sendChatTranscriptJob } from './jobs/send-chat-transcript.ts'
import { presentWidgetMessages } from './widget.messages.ts'
import type { OfflineMessageInput, RatingInput, TranscriptInput } from './widget.schemas.ts'

const HOUR = 3_600_000

/** The visitor a widget request speaks for, from this site only; an unknown or expired token is a 401. */
export async function visitorForRequest(ctx: Ctx, token: string | undefined, origin: string | undefined): Promise<VisitorRow> {
  const visitor = await findVisitorByToken(ctx.db, token)
  if (!visitor) throw new AppError('unauthenticated', 401, 'This chat session is unknown or has expired: start a new one')
  await assertOrigin(ctx, visitor.inboxId, origin)
  return visitor
}

async function assertOrigin(ctx: Ctx, inboxId: number, origin: string | undefined) {
  const settings = await cachedChatSettings(ctx, inboxId)
  if (!isOriginAllowed(settings, origin)) throw forbidden('use this chat from this site', 'its origin is not in the inbox’s allowed origins')
  return settings
}

/**
 * The offline form (nobody available): an email-style ticket on the chat inbox, requested by the address given
 * (replies go out by email, see chat.delivery). The widget's visitor only keeps the name and address as claims.
 */
export async function submitOfflineMessage(
  ctx: Ctx,
  input: OfflineMessageInput,
  origin: string | undefined,
  /** A message handed over from guided help: its subject and extra tags. */
  handoff?: { subject: string; tags: string[] },
): Promise<{ ticketId: number | null }> {
  const settings = await assertOrigin(ctx, input.inboxId, origin)
  if (!settings.offlineFormEnabled) throw forbidden('leave a message here', 'the offline form of this chat is turned off')
  if (input.website) return { ticketId: null }
  const name = input.name.trim()
  const email = input.email.trim().toLowerCase()
  const message = input.message.trim()
  const problems: string[] = []
  if (!name || name.length > 200) problems.push('name is required (at most 200 characters)')
  if (!EMAIL.test(email) || email.length > 320) problems.push('email must be a valid address')
  if (!message || message.length > 10_000) problems.push('message is required (at most 10,000 characters)')
  if (problems.length) throw badRequest(`Please check the form: ${problems.join('; ')}`, problems)
  const ticket = await createTicket(
    ctx,
    null,
    {
      subject: handoff?.subject ?? subjectFrom(message, `Message from ${name}`),
      body: message,
      requester: { email, name },
      inboxId: input.inboxId,
      tags: ['chat-offline', ...(handoff?.tags ?? [])],
    },
    { bodyFormat: 'text' },
  )
  const visitor = await findVisitorByToken(ctx.db, input.token)
  if (visitor && visitor.inboxId === input.inboxId && !visitor.verified)
    await ctx.db.updateTable('chatVisitors').set({ claimedName: name, claimedEmail: email, lastSeenAt: now() }).where('id', '=', visitor.id).execute()
  return { ticketId: ticket.id }
}

/**
 * A file from the visitor: stored like any attachment and added as a customer message to their open chat (or
 * opening one). A resend with the same client id stores nothing twice. Every tab of the visitor sees it.
 */
export async function uploadVisitorFile(
  ctx: Ctx,
  visitor: VisitorRow,
  file: { filename: string; contentType: string; bytes: Buffer },
  extra: { clientId?: string; text?: string; fields?: Record<string, unknown> },
): Promise<StoredVisitorMessage> {
  const clientId = extra.clientId || `upload-${now()}-${Math.random().toString(36).slice(2, 10)}`
  const stored = await oneAtATime(ctx, visitor.id, async () => {
    const seen = await ctx.db
      .selectFrom('chatClientMessages')
      .select('messageId')
      .where('visitorId', '=', visitor.id)
      .where('clientId', '=', clientId)
      .executeTakeFirst()
    if (seen) {
      const [message] = await presentWidgetMessages(ctx, ctx.db, [seen.messageId])
      if (message) return { message, duplicate: true, startedTicketId: null, ticketId: null }
    }
    const attachment = await storeAttachment(ctx, ctx.db, null, file)
    return receiveVisitorMessage(ctx, visitor.id, {
      clientId,
      text: extra.text ?? '',
      fields: extra.fields,
      attachmentId: attachment.id,
      filename: attachment.filename,
    })
  })
  if (!stored.duplicate) ctx.visitors.send(visitor.id, { type: 'message', message: stored.message })
  await afterVisitorMessage(ctx, stored)
  return stored
}

/** Queues the transcript of the visitor's newest chat to the given address, or their verified one. */
export async function requestTranscript(ctx: Ctx, input: TranscriptInput, origin: string | undefined): Promise<{ queued: true }> {
  const visitor = await visitorForRequest(ctx, input.token, origin)
  const settings = await cachedChatSettings(ctx, visitor.inboxId)
  if (!settings.transcriptsEnabled) throw forbidden('get a transcript', 'transcripts are turned off for this chat')
  const conversation = await latestConversationOf(ctx.db, visitor.id)
  if (!conversation) throw notFound('Chat of visitor', visitor.id)
  let email = input.email?.trim().toLowerCase() ?? ''
  if (email && !EMAIL.test(email)) throw badRequest('email must be a valid address')
  if (!email && visitor.verified && visitor.contactId) {
    const known = await ctx.db
      .selectFrom('contactIdentities')
      .select('value')
      .where('contactId', '=', visitor.contactId)
      .where('kind', '=', 'email')
      .orderBy('id')
      .executeTakeFirst()
    email = known?.value ?? ''
  }
  if (!email) throw badRequest('Give the email address to send the transcript to')
  if (!(await canSendEmail(ctx))) throw unprocessable('This help desk cannot send email right now')
  // Once per chat, address and hour: asking again in the same hour sends nothing new.
  const key = `transcript:${conversation.ticketId}:${email}:${Math.floor(now() / HOUR)}`
  await enqueueJob(
    ctx.db,
    sendChatTranscriptJob,
    { ticketId: conversation.ticketId, email, timeZone: visitor.timezone || 'UTC', key },
    { idempotencyKey: `send-chat-transcript:${key}` },
  )
  return { queued: true }
}

/** What the transcript job is asked to send; `key` names the email (jobs queued before it existed have none). */
export type TranscriptRequest = { ticketId: number; email: string; timeZone: string; key?: string }

/** Job: renders the transcript as it is when sent, and emails it. */
export async function sendTranscript(ctx: Ctx, p: TranscriptRequest): Promise<void> {
  const mail = await renderTranscript(ctx, p.ticketId, { timeZone: p.timeZone })
  if (!mail) return
  const sent = await sendNoticeEmail(ctx, { to: { name: '', address: p.email }, ...mail, idempotencyKey: p.key ?? `transcript:${p.ticketId}:${p.email}` })
  if (!sent) throw new Error('No outbound email is configured (set SMTP_URL or add an email inbox)')
}

/**
 * The visitor rates their newest chat, once, when it has ended or an agent has answered. The rating also counts
 * as the ticket's CSAT (chat.csat.ts), so the Satisfaction panel and the reports count it like an emailed answer.
 */
export async function rateChat(ctx: Ctx, input: RatingInput, origin: string | undefined): Promise<WidgetConversation> {
  const visitor = await visitorForRequest(ctx, input.token, origin)
  const settings = await cachedChatSettings(ctx, visitor.inboxId)
  if (!settings.csatEnabled) throw forbidden('rate this chat', 'ratings are turned off for this chat')
  const conversation = await latestConversationOf(ctx.db, visitor.id)
  if (!conversation) throw notFound('Chat of visitor', visitor.id)
  if (conversation.rating !== null) throw conflict('You already rated this chat. Thank you!')
  if (conversation.status !== 'ended') {
    const answered = await ctx.db
      .selectFrom('messages')
      .select('id')
      .where('ticketId', '=', conversation.ticketId)
      .where('kind', '=', 'reply')
      .limit(1)
      .executeTakeFirst()
    if (!answered) throw unprocessable('You can rate the chat once someone has answered')
  }
  const comment = input.comment?.trim() || null
  await inTransaction(ctx, async (trx, emit) => {
    const res = await trx
      .updateTable('chatConversations')
      .set({ rating: input.rating, ratingComment: comment })
      .where('ticketId', '=', conversation.ticketId)
      .where('rating', 'is', null)
      .executeTakeFirst()
    if (!Number(res.numUpdatedRows)) throw conflict('You already rated this chat. Thank you!')
    await recordChatRating(trx, emit, conversation.ticketId, { rating: input.rating, comment })
  })
  await announceConversation(ctx, conversation.ticketId)
  const updated = await latestConversationOf(ctx.db, visitor.id)
  return widgetConversation(ctx.db, updated!)
}
