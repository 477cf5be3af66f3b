import type { PreChatField, WidgetMessage } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { badRequest } from '../../platform/errors.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { insertContact } from '../contacts/contacts.service.ts'
import { addEventMessage, contentFromBody, insertMessage } from '../tickets/messages.service.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { openTicket } from '../tickets/tickets.service.ts'
import { announceConversation } from './chat.conversations.ts'
import { announceChatStarted } from './chat.hooks.ts'
import { readChatSettings } from './chat.settings.ts'
import { EMAIL, type VisitorRow } from './chat.visitors.ts'
import { markAgentRead } from './chat.receipts.ts'
import { presentWidgetMessages } from './widget.messages.ts'

export const MAX_MESSAGE_CHARS = 10_000
const MAX_FIELD_CHARS = 1_000
const OPEN = ['waiting', 'active']

/** What a visitor sends: text and/or one stored attachment, with the widget's id for resends. */
export interface VisitorMessageInput {
  clientId: string
  text: string
  fields?: Record<string, unknown>
  attachmentId?: number
  /** Names the ticket when a chat starts with a file and no text. */
  filename?: string
  /** A chat handed over from guided help: the ticket's subject and extra tags (when this message starts it). */
  subject?: string
  tags?: string[]
}

export interface StoredVisitorMessage {
  message: WidgetMessage
  /** A resend of a message stored before: nothing new was created. */
  duplicate: boolean
  /** The ticket of a chat this message started. */
  startedTicketId: number | null
  /** The ticket the message was added to (null for a duplicate). */
  ticketId: number | null
}

// A visitor's messages are handled one at a time (several tabs, resends racing the original): the first one
// must open exactly one ticket. PostgreSQL also locks the visitor row, for visitors whose tabs sit on two nodes.
const queues = new WeakMap<Ctx, Map<number, Promise<unknown>>>()
export function oneAtATime<T>(ctx: Ctx, visitorId: number, work: () => Promise<T>): Promise<T> {
  let byVisitor = queues.get(ctx)
  if (!byVisitor) {
    byVisitor = new Map()
    queues.set(ctx, byVisitor)
  }
  const previous = byVisitor.get(visitorId) ?? Promise.resolve()
  const run = previous.then(work, work)
  const settled = run.then(
    () => undefined,
    () => undefined,
  )
  byVisitor.set(visitorId, settled)
  void settled.then(() => {
    if (byVisitor.get(visitorId) === settled) byVisitor.delete(visitorId)
  })
  return run
}

/** The pre-chat answers, checked against the inbox's form; a verified visitor's name and email count as given. */
export function checkPreChatFields(
  form: PreChatField[],
  given: Record<string, unknown> | undefined,
  known: { name?: string; email?: string },
): { answers: { key: string; label: string; value: string }[]; problems: string[] } {
  const answers: { key: string; label: string; value: string }[] = []
  const problems: string[] = []
  for (const field of form) {
    const raw = given?.[field.key]
    let value = typeof raw === 'string' ? raw.trim() : ''
    if (!value && (field.key === 'name' || field.key === 'email')) value = known[field.key] ?? ''
    if (value.length > MAX_FIELD_CHARS) problems.push(`${field.label} is too long (at most ${MAX_FIELD_CHARS} characters)`)
    else if (!value && field.required) problems.push(`${field.label} is required`)
    else if (value && field.type === 'email' && !EMAIL.test(value)) problems.push(`${field.label} must be a valid email address`)
    else if (value) answers.push({ key: field.key, label: field.label, value })
  }
  return { answers, problems }
}

/** A ticket subject from the first line of what the customer wrote (or the fallback when there is none). */
export const subjectFrom = (text: string, fallback: string) => {
  const line =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  if (!line) return fallback
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

/** The contact a new chat is requested by: the verified one, else the visitor's own (created once, without any email). */
async function requesterFor(trx: Transaction<DB>, ctx: Ctx, visitor: VisitorRow, name: string): Promise<number> {
  if (visitor.contactId) {
    const contact = await trx.selectFrom('contacts').select(['id', 'name']).where('id', '=', visitor.contactId).executeTakeFirst()
    if (contact) {
      if (!visitor.verified && contact.name === `Visitor ${visitor.id}` && name !== contact.name)
        await trx.updateTable('contacts').set({ name, updatedAt: now() }).where('id', '=', contact.id).execute()
      return contact.id
    }
  }
  // Unverified claims never become an email identity: the address stays a claim on the visitor row.
  const contactId = await insertContact(trx, ctx.dialect, { name, emails: [] })
  await trx
    .insertInto('contactIdentities')
    .values({ contactId, kind: 'visitor', value: `visitor:${visitor.id}`, createdAt: now() })
    .execute()
  await trx.updateTable('chatVisitors').set({ contactId }).where('id', '=', visitor.id).execute()
  return contactId
}

/**
 * Stores a visitor's chat message. The first one without an open conversation opens a ticket on the chat inbox
 * and a waiting conversation (routing is the agent side's: announceChatStarted after the commit); later ones
 * are customer messages on that ticket. A resend with the same client id returns the stored message and
 * creates nothing (the id is recorded in the same transaction as the message).
 */
export async function receiveVisitorMessage(ctx: Ctx, visitorId: number, input: VisitorMessageInput): Promise<StoredVisitorMessage> {
  const text = input.text.trim()
  if (!input.clientId || input.clientId.length > 100) throw badRequest('clientId must be 1 to 100 characters')
  if (text.length > MAX_MESSAGE_CHARS) throw badRequest(`Messages are limited to ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters`)
  if (!text && input.attachmentId === undefined) throw badRequest('Write a message first')

  const outcome = await inTransaction(ctx, async (trx, emit) => {
    let vq = trx.selectFrom('chatVisitors').selectAll().where('id', '=', visitorId)
    if (ctx.dialect === 'postgres') vq = vq.forUpdate()
    const visitor = await vq.executeTakeFirstOrThrow()
    const seen = await trx
      .selectFrom('chatClientMessages')
      .select('messageId')
      .where('visitorId', '=', visitorId)
      .where('clientId', '=', input.clientId)
      .executeTakeFirst()
    if (seen) return { messageId: seen.messageId, duplicate: true, started: null, ticketId: null }

    let conversation = await trx
      .selectFrom('chatConversations as cc')
      .innerJoin('tickets as t', 't.id', 'cc.ticketId')
      .select(['cc.ticketId', 'cc.status', 't.status as ticketStatus', 't.mergedIntoId', 't.teamId', 't.assigneeId', 't.requesterId'])
      .where('cc.visitorId', '=', visitorId)
      .where('cc.status', 'in', OPEN)
      .orderBy('cc.startedAt', 'desc')
      .executeTakeFirst()
    if (conversation && (conversation.ticketStatus === 'closed' || conversation.mergedIntoId !== null)) {
      // A closed or merged ticket takes no more messages: that chat is over, the next message starts a new one.
      await trx.updateTable('chatConversations').set({ status: 'ended', endedAt: now() }).where('ticketId', '=', conversation.ticketId).execute()
      conversation = undefined
    }

    const content = contentFromBody(text, 'text')
    let messageId: number
    let ticketId: number
    let started: number | null = null
    if (!conversation) {
      // Inside the transaction: on SQLite's single connection a read through ctx.db would wait for it forever.
      const settings = await readChatSettings(trx, visitor.inboxId)
      const known = visitor.verified && visitor.contactId ? await verifiedContact(trx, visitor.contactId) : {}
      const { answers, problems } = checkPreChatFields(settings.preChatFields, input.fields, known)
      if (problems.length) throw badRequest(`Please check the form: ${problems.join('; ')}`, problems)
      const claimedName = answers.find((a) => a.key === 'name')?.value ?? null
      const claimedEmail = answers.find((a) => a.key === 'email')?.value.toLowerCase() ?? null
      if (!visitor.verified && (claimedName || claimedEmail))
        await trx
          .updateTable('chatVisitors')
          .set({ claimedName: claimedName ?? visitor.claimedName, claimedEmail: claimedEmail ?? visitor.claimedEmail })
          .where('id', '=', visitor.id)
          .execute()
      const name = (visitor.verified ? known.name : claimedName) || visitor.claimedName || `Visitor ${visitor.id}`
      const requesterId = await requesterFor(trx, ctx, visitor, name)
      const opened = await openTicket(trx, ctx, emit, {
        subject: input.subject ?? subjectFrom(text, input.filename ? `File from ${name}` : `Chat with ${name}`),
        inboxId: visitor.inboxId,
        requesterId,
        content,
        tags: ['chat', ...(input.tags ?? [])],
        attachmentIds: input.attachmentId !== undefined ? [input.attachmentId] : undefined,
        uploaderId: null,
        actorId: null,
      })
      ticketId = opened.ticketId
      messageId = opened.messageId
      await trx
        .insertInto('chatConversations')
        .values({
          ticketId,
          visitorId,
          inboxId: visitor.inboxId,
          status: 'waiting',
          agentId: null,
          startedAt: now(),
          endedAt: null,
          visitorReadUpTo: null,
          agentReadUpTo: null,
          rating: null,
          ratingComment: null,
        })
        .execute()
      // Agents see what the visitor typed into the pre-chat form (and whether the identity is proven) as a line in the ticket.
      await addEventMessage(trx, ticketId, null, { type: 'chat_prechat', verified: !!visitor.verified, fields: answers })
      started = ticketId
    } else {
      ticketId = conversation.ticketId
      const message = await insertMessage(trx, {
        ticketId,
        kind: 'customer',
        content,
        authorContactId: conversation.requesterId,
        attachmentIds: input.attachmentId !== undefined ? [input.attachmentId] : undefined,
        uploaderId: null,
      })
      messageId = message.id
      if (['solved', 'pending', 'on_hold'].includes(conversation.ticketStatus)) {
        await trx.updateTable('tickets').set({ status: 'open', solvedAt: null }).where('id', '=', ticketId).execute()
        await addEventMessage(trx, ticketId, null, { type: 'status_changed', from: conversation.ticketStatus, to: 'open', reason: 'customer replied' })
      }
      const scope = { id: ticketId, teamId: conversation.teamId, assigneeId: conversation.assigneeId }
      emit(ticketEvent('message.created', scope, { messageId, kind: 'customer' }) as DomainEvent)
      emit(ticketEvent('ticket.updated', scope))
    }
    await trx.insertInto('chatClientMessages').values({ visitorId, clientId: input.clientId, messageId }).execute()
    await trx.updateTable('chatVisitors').set({ lastSeenAt: now() }).where('id', '=', visitorId).execute()
    return { messageId, duplicate: false, started, ticketId }
  })

  const [message] = await presentWidgetMessages(ctx, ctx.db, [outcome.messageId])
  if (!message) throw badRequest('The message could not be found')
  return { message, duplicate: outcome.duplicate, startedTicketId: outcome.started, ticketId: outcome.ticketId }
}

/**
 * After the visitor has their acknowledgement: a new chat is announced (the widget sees it waiting, the agent
 * side routes it), and an agent who has the ticket open has read the message.
 */
export async function afterVisitorMessage(ctx: Ctx, stored: StoredVisitorMessage): Promise<void> {
  if (stored.startedTicketId !== null) {
    await announceConversation(ctx, stored.startedTicketId)
    await announceChatStarted(ctx, stored.startedTicketId)
  }
  if (stored.ticketId !== null && ctx.realtime.presenceOf(stored.ticketId).length) await markAgentRead(ctx, stored.ticketId)
}

async function verifiedContact(trx: Transaction<DB>, contactId: number): Promise<{ name?: string; email?: string }> {
  const contact = await trx.selectFrom('contacts').select('name').where('id', '=', contactId).executeTakeFirst()
  const email = await trx
    .selectFrom('contactIdentities')
    .select('value')
    .where('contactId', '=', contactId)
    .where('kind', '=', 'email')
    .orderBy('id')
    .executeTakeFirst()
  return { name: contact?.name, email: email?.value }
}
