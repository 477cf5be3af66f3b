import type { AttachmentDto, ComposeInput, MessageDto, PendingReviewDto, ReplyDecisionDto, TicketStatus } from '@allhands/contract'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAddNote, canReplyToTicket, canViewTicket, replyDecision } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { markForReports, reportMark } from '../../platform/report-queue.ts'
import { foldingWrites, type Write } from '../../platform/folded-writes.ts'
import { appendedTextValues, indexAppendedText } from '../../platform/search.ts'
import { isPostgres } from '../../db/database.ts'
import { createNotification } from '../notifications/index.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { signInlineFileLinks } from '../attachments/attachments.service.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { replyDeliveryFor } from './delivery.ts'
import { notificationEvent, ticketEvent } from './tickets.events.ts'
import { holdReply, presentReviews } from '../reviews/reviews.hold.ts'
import { RISK_TICKET_COLUMNS, reassessAfterCustomerMessage, type RiskTicketRow } from '../risk/index.ts'
import type { TicketRow } from './tickets.queries.ts'
import { getVisibleTicket } from './tickets.service.ts'
import { missingRequiredScript } from '../decision-trees/index.ts'

type Kind = 'customer' | 'reply' | 'note'
const DIRECTION: Record<Kind | 'event', MessageDto['direction']> = { customer: 'inbound', reply: 'outbound', note: 'internal', event: 'internal' }

/** What a message shows: sanitized HTML, the visible text and the whole text (for email: before trimming). */
export interface MessageContent {
  html: string
  text: string
  fullText: string
}

/** Content from a composer or API body (HTML or plain text). */
export function contentFromBody(body: string, format: 'auto' | 'text' = 'auto'): MessageContent {
  const { html, text } = normalizeBody(body, format)
  return { html, text, fullText: text }
}

/** The author's role and trust level as they are now, kept on the reply so reports attribute it to who they were then. */
const authorSnapshot = (userId: number) => ({
  authorRole: sql<string>`(select role from users where id = ${userId})`,
  authorTrustLevel: sql<string>`(select trust_level from users where id = ${userId})`,
})

/** Stores a message, links its uploaded attachments and moves the ticket's activity markers. */
export async function insertMessage(
  trx: Executor,
  m: {
    ticketId: number
    kind: Kind
    content: MessageContent
    authorUserId?: number | null
    authorContactId?: number | null
    attachmentIds?: number[]
    uploaderId: number | null
    deliveryStatus?: 'queued' | 'sent' | null
    emailMeta?: Record<string, unknown> | null
    createdAt?: number
    /**
     * The ticket inserted a moment ago (`openTicket`) as it stands, when this is its first message, already counted:
     * its row only lacks the message id. Its indexed columns (updated_at, last_message_at: nine index entries) are
     * then not rewritten, and the message id is written by the risk assessment's update: one update, not two.
     */
    newTicket?: RiskTicketRow
    /**
     * With newTicket: its last writes (the risk assessment's and the message id) are added here instead of run, for
     * a caller that runs them with its own last statement of the transaction (foldingWrites).
     */
    deferWritesInto?: (Write | null)[]
    /** With newTicket: its requester was created with it (AssessmentHints.requesterIsNew). */
    requesterIsNew?: boolean
  },
): Promise<{ id: number; text: string }> {
  const { html, text, fullText } = m.content
  const t = m.createdAt ?? now()
  const row = await trx
    .insertInto('messages')
    .values({
      ticketId: m.ticketId,
      kind: m.kind,
      direction: DIRECTION[m.kind],
      authorUserId: m.authorUserId ?? null,
      authorContactId: m.authorContactId ?? null,
      text,
      fullText,
      html,
      event: null,
      deliveryStatus: m.deliveryStatus ?? null,
      emailMeta: m.emailMeta ? writeJson(m.emailMeta) : null,
      ...(m.kind === 'reply' && m.authorUserId ? authorSnapshot(m.authorUserId) : {}),
      createdAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (m.attachmentIds?.length) {
    const ids = [...new Set(m.attachmentIds)]
    let q = trx.updateTable('attachments').set({ messageId: row.id }).where('id', 'in', ids).where('messageId', 'is', null)
    q = m.uploaderId === null ? q.where('uploadedById', 'is', null) : q.where('uploadedById', '=', m.uploaderId)
    const res = await q.executeTakeFirst()
    if (Number(res.numUpdatedRows) !== ids.length) throw unprocessable('Some attachments do not exist, are not yours or are already used')
  }
  // The ticket as the update leaves it, read back in the same statement for the risk assessment below.
  // Safe routing: every customer message (a new ticket's first one included) reassesses the ticket's risk.
  if (m.newTicket) {
    if (m.kind !== 'customer') throw new Error('A new ticket starts with a customer message')
    await reassessAfterCustomerMessage(trx, m.newTicket, text, {
      alsoSet: { lastMessageId: row.id },
      deferInto: m.deferWritesInto,
      requesterIsNew: m.requesterIsNew,
    })
    return { id: row.id, text }
  }
  // The ticket is marked for the reports (a CTE on PostgreSQL) and its search document takes the text, by the same statement.
  const dialect = isPostgres(trx) ? 'postgres' : 'sqlite'
  const ticket = await (await foldingWrites(trx, [reportMark(trx, [m.ticketId])]))
    .updateTable('tickets')
    .set((eb) => ({
      lastMessageAt: t,
      lastMessageId: row.id,
      messageCount: eb('messageCount', '+', 1),
      preview: messagePreview(text),
      updatedAt: t,
      ...appendedTextValues(dialect, text),
    }))
    .where('id', '=', m.ticketId)
    .returning(RISK_TICKET_COLUMNS)
    .executeTakeFirst()
  await indexAppendedText(trx, dialect, m.ticketId, text)
  if (m.kind === 'customer' && ticket) await reassessAfterCustomerMessage(trx, ticket, text)
  return { id: row.id, text }
}

/** What the inbox list shows of a ticket's latest message. */
export const messagePreview = (text: string) => text.slice(0, 200)

/** A system line in the conversation (assigned, status changed, merged…). */
export async function addEventMessage(trx: Executor, ticketId: number, actorId: number | null, event: Record<string, unknown>): Promise<void> {
  await trx
    .insertInto('messages')
    .values({
      ticketId,
      kind: 'event',
      direction: 'internal',
      authorUserId: actorId,
      authorContactId: null,
      text: '',
      fullText: '',
      html: '',
      event: writeJson(event),
      createdAt: now(),
    })
    .execute()
  await markForReports(trx, [ticketId])
}

/**
 * Tells a person about something (mention, assignment, review, consult…). Delegates to the notifications module,
 * which applies the person's preferences (in-app, email now or in the daily digest) and skips deactivated people.
 * Returns the in-app notification's id, or 0 when none is shown.
 */
export async function notify(
  trx: Executor,
  n: { userId: number; kind: string; ticketId: number | null; messageId?: number | null; actorId: number | null; title: string },
): Promise<number> {
  return createNotification(trx, n)
}

/** User ids mentioned in a note: editor mention nodes (data-id) and plain @email addresses. */
export function mentionedIn(html: string): { ids: number[]; emails: string[] } {
  const ids = [...html.matchAll(/data-type="mention"[^>]*data-id="(\d+)"|data-id="(\d+)"[^>]*data-type="mention"/g)].map((m) => Number(m[1] ?? m[2]))
  const emails = [...html.matchAll(/@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g)].map((m) => m[1]!.toLowerCase())
  return { ids: [...new Set(ids)], emails: [...new Set(emails)] }
}

/**
 * Adds an agent reply or internal note. Refuses with 409 when the draft was written against an older
 * conversation (someone else's message arrived since `baseMessageId`), returning what is new. A reply
 * by someone whose replies are reviewed is held instead (202 pending_review) and sent on approval.
 */
export async function composeMessage(
  ctx: Ctx,
  actor: Actor,
  ticketId: number,
  kind: 'reply' | 'note',
  input: ComposeInput,
): Promise<{ message: MessageDto } | { pendingReview: PendingReviewDto }> {
  const result = await inTransaction(ctx, async (trx, emit) => {
    const ticket = await getVisibleTicket(trx, actor, ticketId)
    const decision = kind === 'reply' ? replyDecision(actor, ticket) : undefined
    if (decision?.mode === 'deny') throw forbidden('reply to customers on this ticket', decision.reason)
    // issue 9 decision-trees: a category may require rotation contributors to run a script before replying.
    const missingScript = kind === 'reply' ? await missingRequiredScript(trx, actor, ticket) : null
    if (missingScript) throw unprocessable(missingScript, { code: 'script_required' })
    if (kind === 'note' && !canAddNote(actor, ticket)) throw forbidden('add notes to this ticket')
    if (ticket.mergedIntoId) throw unprocessable(`Ticket ${ticketId} was merged into #${ticket.mergedIntoId}`)
    if (input.baseMessageId !== undefined) {
      let newer = trx.selectFrom('messages').select('id').where('ticketId', '=', ticketId).where('kind', '!=', 'event')
      newer = input.baseMessageId === null ? newer : newer.where('id', '>', input.baseMessageId)
      const rows = await newer
        .where((eb) => eb.or([eb('authorUserId', 'is', null), eb('authorUserId', '!=', actor.id)]))
        .orderBy('id')
        .execute()
      if (rows.length) {
        throw conflict('New messages arrived while you were writing. Read them, then send again.', {
          code: 'stale_draft',
          newMessageIds: rows.map((r) => r.id),
          lastMessageId: ticket.lastMessageId,
        })
      }
    }
    const content = contentFromBody(input.body)
    if (decision?.mode === 'review') {
      return { held: true as const, id: await holdReply(trx, emit, { ticket, author: actor, content, input, reason: decision.reason }) }
    }
    const mayChangeStatus = kind === 'reply' || canReplyToTicket(actor, ticket)
    const post = { ticket, author: actor, kind, content, attachmentIds: input.attachmentIds, status: input.status, mayChangeStatus }
    return { held: false as const, id: await postMessage(trx, ctx, emit, post) }
  })
  if (result.held) return { pendingReview: { status: 'pending_review', review: (await presentReviews(ctx.db, [result.id]))[0]! } }
  return { message: (await presentMessages(ctx.db, [result.id]))[0]! }
}

export async function replyDecisionFor(ctx: Ctx, actor: Actor, ticketId: number): Promise<ReplyDecisionDto> {
  return replyDecision(actor, await getVisibleTicket(ctx.db, actor, ticketId))
}

/**
 * Writes a reply or note that is allowed to go out: the message, its search text, delivery for replies,
 * first-response and first-touch assignment, a status change, mention notifications and the live events.
 * Callers have checked the author's rights (composeMessage directly, reviews on approval).
 */
export async function postMessage(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  m: {
    ticket: TicketRow
    author: Pick<Actor, 'id' | 'name'>
    kind: 'reply' | 'note'
    content: MessageContent
    attachmentIds?: number[]
    status?: TicketStatus
    mayChangeStatus: boolean
  },
): Promise<number> {
  const { ticket, author, kind } = m
  const ticketId = ticket.id
  const message = await insertMessage(trx, {
    ticketId,
    kind,
    content: m.content,
    authorUserId: author.id,
    attachmentIds: m.attachmentIds,
    uploaderId: author.id,
  })
  const t = now()
  const status = m.status ?? (kind === 'reply' && ticket.status === 'new' ? 'open' : undefined)
  if (kind === 'reply') {
    const inbox = await trx.selectFrom('inboxes').select('type').where('id', '=', ticket.inboxId).executeTakeFirstOrThrow()
    await replyDeliveryFor(inbox.type)?.(trx, ctx, { ticketId, messageId: message.id, inboxId: ticket.inboxId })
    // The first agent reply sets the first-response time and, on an unassigned ticket, takes it.
    const firstTouch = {
      ...(ticket.firstResponseAt === null ? { firstResponseAt: t } : {}),
      ...(ticket.assigneeId === null ? { assigneeId: author.id } : {}),
    }
    if (Object.keys(firstTouch).length) await trx.updateTable('tickets').set(firstTouch).where('id', '=', ticketId).execute()
  }
  if (status && status !== ticket.status && m.mayChangeStatus) {
    await trx
      .updateTable('tickets')
      .set({ status, solvedAt: status === 'solved' || status === 'closed' ? t : null })
      .where('id', '=', ticketId)
      .execute()
    await addEventMessage(trx, ticketId, author.id, { type: 'status_changed', from: ticket.status, to: status })
  }
  if (kind === 'note') await notifyMentions(trx, emit, { ticket, author, messageId: message.id, html: m.content.html })
  emit(ticketEvent('message.created', ticket, { messageId: message.id, kind }))
  emit(ticketEvent('ticket.updated', ticket))
  return message.id
}

async function notifyMentions(
  trx: Executor,
  emit: (e: DomainEvent) => void,
  m: { ticket: TicketRow; author: Pick<Actor, 'id' | 'name'>; messageId: number; html: string },
): Promise<void> {
  const { ids, emails } = mentionedIn(m.html)
  const byEmail = emails.length ? await trx.selectFrom('users').select('id').where('email', 'in', emails).execute() : []
  const targets = [...new Set([...ids, ...byEmail.map((u) => u.id)])].filter((u) => u !== m.author.id)
  if (!targets.length) return
  const users = await trx.selectFrom('users').select(['id', 'role', 'isActive']).where('id', 'in', targets).where('isActive', '=', 1).execute()
  const teams = await trx.selectFrom('teamMembers').select(['userId', 'teamId']).where('userId', 'in', targets).execute()
  for (const u of users) {
    const mentioned = { id: u.id, role: u.role as Actor['role'], teamIds: teams.filter((x) => x.userId === u.id).map((x) => x.teamId) }
    if (!canViewTicket(mentioned, m.ticket)) continue
    const n = await notify(trx, {
      userId: u.id,
      kind: 'mention',
      ticketId: m.ticket.id,
      messageId: m.messageId,
      actorId: m.author.id,
      title: `${m.author.name} mentioned you on #${m.ticket.id}: ${m.ticket.subject}`,
    })
    emit(notificationEvent(u.id, n))
  }
}

export async function presentMessages(db: Executor, ids: number[]): Promise<MessageDto[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.authorUserId')
    .leftJoin('contacts', 'contacts.id', 'messages.authorContactId')
    .select([
      'messages.id',
      'messages.ticketId',
      'messages.kind',
      'messages.direction',
      'messages.authorUserId',
      'messages.authorContactId',
      'messages.text',
      'messages.fullText',
      'messages.html',
      'messages.event',
      'messages.deliveryStatus',
      'messages.deliveryError',
      'messages.emailMeta',
      'messages.createdAt',
      'users.name as userName',
      'contacts.name as contactName',
    ])
    .where('messages.id', 'in', ids)
    .orderBy('messages.id')
    .execute()
  const attachments = await db
    .selectFrom('attachments')
    .select(['id', 'messageId', 'filename', 'contentType', 'size'])
    .where('messageId', 'in', ids)
    .orderBy('id')
    .execute()
  const fileLinkSecret = rows.some((r) => r.html.includes('/api/v1/attachments/')) ? await workspaceSecret(db, 'fileLinkSecret') : null
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticketId,
    direction: r.direction as MessageDto['direction'],
    kind: r.kind as MessageDto['kind'],
    text: r.text,
    fullText: r.fullText,
    html: fileLinkSecret ? signInlineFileLinks(r.html, fileLinkSecret) : r.html,
    attachments: attachments
      .filter((a) => a.messageId === r.id)
      .map((a): AttachmentDto => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: `/api/v1/attachments/${a.id}` })),
    author:
      r.authorContactId !== null && r.kind === 'customer'
        ? { type: 'contact' as const, id: r.authorContactId, name: r.contactName ?? 'Customer' }
        : r.authorUserId !== null
          ? { type: 'user' as const, id: r.authorUserId, name: r.userName ?? 'Former user' }
          : { type: 'system' as const, id: null, name: 'Allhands' },
    event: readJson(r.event, null),
    delivery: r.deliveryStatus ? { status: r.deliveryStatus as 'queued' | 'sent' | 'failed', error: r.deliveryError } : null,
    email: presentEmailMeta(readJson<Record<string, unknown> | null>(r.emailMeta, null)),
    createdAt: r.createdAt,
  }))
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** Email headers kept with a message, in a fixed shape whatever subset was stored. */
function presentEmailMeta(meta: Record<string, unknown> | null): MessageDto['email'] {
  if (!meta) return null
  return {
    from: stringOrNull(meta.from),
    to: strings(meta.to),
    cc: strings(meta.cc),
    subject: stringOrNull(meta.subject),
    messageId: stringOrNull(meta.messageId),
    notes: strings(meta.notes),
  }
}

/** The whole conversation, oldest first (a ticket holds at most a few hundred messages). */
export async function listMessages(ctx: Ctx, actor: Actor, ticketId: number): Promise<MessageDto[]> {
  await getVisibleTicket(ctx.db, actor, ticketId)
  const ids = await ctx.db.selectFrom('messages').select('id').where('ticketId', '=', ticketId).orderBy('id').limit(2000).execute()
  return presentMessages(
    ctx.db,
    ids.map((r) => r.id),
  )
}
