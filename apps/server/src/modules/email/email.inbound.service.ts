import type { InboundEmailResult } from '@allhands/contract'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { withGenericPlans } from '../../db/pg-prepared.ts'
import { blobRowInsert, recordBlob } from '../../platform/blob-rows.ts'
import { cachedValue } from '../../platform/cache.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { foldingWrites, type Write } from '../../platform/folded-writes.ts'
import { inGroupCommit } from '../../platform/group-commit.ts'
import { readJson } from '../../platform/json.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { storeAttachment } from '../attachments/attachments.service.ts'
import { contactByEmail, type LookedUpContact, findOrCreateContact, findOrCreateContactByEmail } from '../contacts/contacts.service.ts'
import { findInboxSnapshot, type InboxSnapshot, inboxAddressBook, readEmailSettings } from '../inboxes/inboxes.service.ts'
import { addEventMessage, insertMessage, type MessageContent } from '../tickets/messages.service.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { openTicket } from '../tickets/tickets.service.ts'
import { OOO_SUBJECT_REASON } from './classify.ts'
import { baseAddress, messageIdDomain } from './email.addresses.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { allRecipients, forwardedSender, stripForwardPrefix } from './email.parse.ts'
import { type MailDigest, withStoredImages } from './mail-digest.ts'
import { receiveConsultEmail } from '../consults/index.ts'
import { findThread, participantsInsert, threadKeysInsert } from './email.threading.ts'
import { sendAutoReplyJob } from './jobs/send-auto-reply.ts'

type Disposition = InboundEmailResult['disposition']

/**
 * Step 1: keep the raw bytes and a row before anything parses them. The row's status is the queue: mail a crash
 * interrupts before its outcome is recorded is processed again by the recovery sweep (jobs/recover-inbound-email.ts).
 * `processedAtOnce`: the caller processes the message right away and acknowledges the sender only afterwards. Then
 * PostgreSQL need not flush this commit to disk by itself: the claim in processInboundEmail is a synchronous commit,
 * which flushes the write-ahead log up to and including this one, before anything can be acknowledged. A crash in
 * between loses a message nobody was told we have, and the sender delivers it again.
 */
/** How mail reached us: an MTA over HTTP, our SMTP listener, an IMAP fetch, or an archive import (never acknowledged). */
export type ReceivedVia = 'api' | 'smtp' | 'imap' | 'import'

export async function receiveRawEmail(ctx: Ctx, inboxId: number, raw: Buffer, via: ReceivedVia, opts: { processedAtOnce?: boolean } = {}): Promise<number> {
  return (await storeRawEmail(ctx, inboxId, raw, via, { processedAtOnce: !!opts.processedAtOnce, claimed: false })).id
}

/** `claimed`: the row is written already taken for processing by the caller (saves a separate claiming commit). */
async function storeRawEmail(
  ctx: Ctx,
  inboxId: number,
  raw: Buffer,
  via: ReceivedVia,
  opts: { processedAtOnce: boolean; claimed: boolean },
): Promise<InboundRow> {
  // A raw message of up to ROW_BLOB_LIMIT is kept in its blob row: one insert instead of a file created and renamed.
  const blob = await ctx.blobs.put(raw, { inRow: true })
  const { hash, size } = blob
  const t = now()
  const status = opts.claimed ? 'processing' : 'received'
  const attempts = opts.claimed ? 1 : 0
  const claimedAt = opts.claimed ? t : null
  if (ctx.dialect === 'postgres') {
    // One statement is its own transaction: the blob's row and the mail's row without BEGIN and COMMIT round trips.
    // The commit is asynchronous when the mail is processed at once (see above): set for this statement's
    // transaction alone, by the subquery the row is selected from.
    const row = await sql<{ id: number }>`
      WITH blob AS (${blobRowInsert(ctx.db, blob)})
      INSERT INTO inbound_emails (inbox_id, blob_hash, size, received_via, status, attempts, created_at, claimed_at)
      SELECT ${inboxId}::integer, ${hash}::text, ${size}::bigint, ${via}::text, ${status}::text, ${attempts}::integer, ${t}::bigint, ${claimedAt}::bigint
      ${opts.processedAtOnce ? sql`FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode` : sql``}
      RETURNING id`.execute(ctx.db)
    return { id: row.rows[0]!.id, inboxId, blobHash: hash, receivedVia: via }
  }
  return inGroupCommit(ctx, async (trx) => {
    await recordBlob(trx, blob)
    const row = await trx
      .insertInto('inboundEmails')
      .values({ inboxId, blobHash: hash, size, receivedVia: via, status, attempts, createdAt: t, claimedAt })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, inboxId, blobHash: hash, receivedVia: via }
  })
}

/**
 * Stores and processes at once (HTTP endpoint, SMTP listener); the recovery sweep is the safety net after a crash.
 * The row is stored already claimed ("processing"), as processInboundEmail's claim would leave it: after a crash the
 * sweep takes it over once it is clearly abandoned. Every path below ends in a synchronous commit before the caller answers.
 */
export async function ingestRawEmail(ctx: Ctx, inboxId: number, raw: Buffer, via: 'api' | 'smtp' | 'imap'): Promise<InboundEmailResult> {
  return routeClaimed(ctx, await storeRawEmail(ctx, inboxId, raw, via, { processedAtOnce: true, claimed: true }), raw)
}

const resultOf = (r: { id: number; disposition: string | null; ticketId: number | null; messageId: number | null }): InboundEmailResult => ({
  inboundEmailId: r.id,
  disposition: (r.disposition ?? 'rejected') as Disposition,
  ticketId: r.ticketId,
  messageId: r.messageId,
})

async function readBlob(ctx: Ctx, hash: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of ctx.blobs.stream(hash)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Steps 2–6: parse, classify, thread, create or append, index. Idempotent per inbound row. `raw`: the bytes when
 * the caller still has them (saves reading the blob back).
 */
export async function processInboundEmail(ctx: Ctx, inboundEmailId: number, raw?: Buffer): Promise<InboundEmailResult> {
  // The claim is its own (synchronous) commit: a crash while routing leaves the row "processing" for the safety net.
  const row = await ctx.db
    .updateTable('inboundEmails')
    .set((eb) => ({ status: 'processing', attempts: eb('attempts', '+', 1), claimedAt: now() }))
    .where('id', '=', inboundEmailId)
    .where('status', 'in', ['received', 'failed'])
    .returningAll()
    .executeTakeFirst()
  if (!row) return resultOf(await ctx.db.selectFrom('inboundEmails').selectAll().where('id', '=', inboundEmailId).executeTakeFirstOrThrow())
  return routeClaimed(ctx, row, raw)
}

/** What routing reads of the workspace besides the message: the inbox, every address of ours, the reply-tag secret. */
interface Surroundings {
  inbox: InboxSnapshot
  ourAddresses: string[]
  secret: string
}

// Never changes once created: read once per app.
const tagSecret = cachedValue<string>('email-tag-secret')

/** Read before the routing transaction: cached per app (SQLite's one connection belongs to the transaction meanwhile). */
async function surroundingsOf(ctx: Ctx, inboxId: number): Promise<Surroundings> {
  const inbox = await findInboxSnapshot(ctx, inboxId)
  if (!inbox) throw new Error(`Inbox ${inboxId} does not exist`)
  const addresses = await inboxAddressBook(ctx)
  const secret = await tagSecret.get(ctx, () => workspaceSecret(ctx.db, 'emailTagSecret'))
  return { inbox, ourAddresses: [...addresses.keys()], secret }
}

/** Marks a row failed: kept with its raw message and listed as failed mail with a retry (the sender must not deliver it again). */
async function recordFailure(ctx: Ctx, rowId: number, error: string): Promise<InboundEmailResult> {
  await ctx.db
    .updateTable('inboundEmails')
    .set({ status: 'failed', error: error.slice(0, 2000) })
    .where('id', '=', rowId)
    .execute()
  return { inboundEmailId: rowId, disposition: 'rejected', ticketId: null, messageId: null }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** Parses a claimed row's message (on a parser thread) and routes it; every outcome, failures included, is recorded on the row. */
async function routeClaimed(ctx: Ctx, row: InboundRow, raw: Buffer | undefined): Promise<InboundEmailResult> {
  let around: Surroundings
  try {
    around = await surroundingsOf(ctx, row.inboxId)
  } catch (err) {
    return recordFailure(ctx, row.id, messageOf(err))
  }
  let mail: MailDigest
  try {
    mail = await ctx.mailParser.digest(raw ?? (await readBlob(ctx, row.blobHash)), {
      ourAddresses: around.ourAddresses,
      ourMessageIdDomain: messageIdDomain(ctx.config.publicUrl),
      attachmentLimit: ctx.config.attachmentLimit,
    })
  } catch (err) {
    return recordFailure(ctx, row.id, `Could not parse the message: ${messageOf(err)}`)
  }
  try {
    // The outcome is recorded in the routing transaction: one commit for the ticket change and the mail log, shared
    // on SQLite with the other mail routed at the same time. Its statements are lookups by key, inserts and capped
    // counts along one index: PostgreSQL may keep a generic plan for each (withGenericPlans).
    const outcome = await withGenericPlans(() =>
      inGroupCommit(ctx, async (trx, emit) => {
        const routed = await routeMail(trx, ctx, emit, row, mail, around)
        // One write records what the mail is and what became of it. The dedupe key is unique per inbox: a delivery
        // of the same message routed meanwhile by another worker fails here, and the whole routing rolls back.
        await (await foldingWrites(trx, routed.writes ?? []))
          .updateTable('inboundEmails')
          .set({
            headerMessageId: mail.messageId,
            fromAddress: mail.from?.address ?? null,
            subject: mail.subject.slice(0, 500),
            dedupeKey: routed.disposition === 'duplicate' ? null : dedupeKeyOf(row, mail),
            status: 'processed',
            disposition: routed.disposition,
            ticketId: routed.ticketId,
            messageId: routed.messageId,
            error: routed.note ?? null,
            processedAt: now(),
          })
          .where('id', '=', row.id)
          .execute()
        return routed
      }),
    )
    return { inboundEmailId: row.id, disposition: outcome.disposition, ticketId: outcome.ticketId, messageId: outcome.messageId }
  } catch (err) {
    // Another delivery of the same message won the race for the dedupe key.
    if (/unique|duplicate key/i.test(String(err))) {
      await ctx.db.updateTable('inboundEmails').set({ status: 'processed', disposition: 'duplicate', processedAt: now() }).where('id', '=', row.id).execute()
      return { inboundEmailId: row.id, disposition: 'duplicate', ticketId: null, messageId: null }
    }
    return recordFailure(ctx, row.id, messageOf(err))
  }
}

/** The same Message-ID, or without one the same bytes, is the same mail. */
const dedupeKeyOf = (row: { blobHash: string }, mail: MailDigest) => (mail.messageId ? `mid:${mail.messageId}` : `raw:${row.blobHash}`)

/**
 * `note` says why mail was refused (kept in the mail log's error column). `writes`: the routing's last writes, which
 * nothing reads back: they go with the mail log's update (foldingWrites).
 */
type Outcome = { disposition: Disposition; ticketId: number | null; messageId: number | null; note?: string; writes?: (Write | null)[] }
type InboundRow = { id: number; inboxId: number; blobHash: string; receivedVia: string }

async function routeMail(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  row: InboundRow,
  mail: MailDigest,
  { inbox, ourAddresses, secret }: Surroundings,
): Promise<Outcome> {
  const { earlier, agent, senderContact } = await deliveryFacts(trx, row, mail)
  if (earlier) return { disposition: 'duplicate', ticketId: earlier.ticketId, messageId: null }

  const settings = readEmailSettings(inbox)
  const { classification } = mail
  // Answers to a consult's tagged reply address go to the consult thread, never to a customer conversation.
  const consultReply = await receiveConsultEmail(
    trx,
    ctx,
    emit,
    {
      inboundEmailId: row.id,
      recipients: allRecipients(mail),
      from: mail.from?.address ?? null,
      text: mail.text,
      html: mail.html,
      isMachineMail: classification.kind !== 'normal' && classification.reason !== OOO_SUBJECT_REASON,
    },
    secret,
  )
  if (consultReply) return consultReply
  const thread = await findThread(trx, row.inboxId, mail, secret)

  if (classification.kind === 'bounce') return recordBounce(trx, emit, row, classification.bounce, thread?.ticketId ?? null)
  const quiet = classification.kind === 'auto_reply' || classification.kind === 'complaint' || classification.kind === 'own_mail'
  if (quiet && thread) {
    // An auto-reply, complaint or our own mail on a known thread: a quiet line on the ticket, never a reopen or a reply.
    await addEventMessage(trx, thread.ticketId, null, {
      type: 'auto_reply_received',
      kind: classification.kind,
      from: mail.from?.address ?? null,
      subject: mail.subject,
      reason: classification.reason,
    })
    emit(ticketEvent('ticket.updated', await ticketScope(trx, thread.ticketId)))
    return { disposition: 'auto-reply', ticketId: thread.ticketId, messageId: null }
  }
  // Machine mail that matches no ticket stays in the mail log for admins and never becomes a customer's ticket.
  // An out-of-office subject alone is weak evidence ("out of office hours?"), so that mail still opens a ticket.
  if (quiet && classification.reason !== OOO_SUBJECT_REASON) return { disposition: 'auto-reply', ticketId: null, messageId: null }
  if (!mail.from) return { disposition: 'rejected', ticketId: null, messageId: null }

  // Imported history keeps when it was written (its Date header, if one in the past); live mail is dated on arrival.
  const writtenAt = row.receivedVia === 'import' && mail.date !== null && mail.date <= now() ? mail.date : undefined
  const isStaffSender = !!agent && agent.role !== 'contributor'
  const content = await storeContent(trx, ctx, mail)
  const meta = { from: mail.from.address, to: mail.to, cc: mail.cc, subject: mail.subject, messageId: mail.messageId, notes: content.notes }
  const otherPeople = [...mail.to, ...mail.cc].filter((a) => !ourAddresses.includes(baseAddress(a)) && a !== mail.from?.address)

  if (thread) {
    const ticket = await trx
      .selectFrom('tickets')
      .select(['id', 'status', 'teamId', 'firstResponseAt', 'inboxId'])
      .where('id', '=', thread.ticketId)
      .executeTakeFirstOrThrow()
    if (ticket.status === 'closed' && !isStaffSender)
      return openEmailTicket(trx, ctx, emit, row, mail, content, meta, {
        senderContact,
        followUpOfId: ticket.id,
        autoReply: false,
        ourAddresses,
        inboxTeamId: inbox.teamId,
        createdAt: writtenAt,
      })
    const message = await insertMessage(trx, {
      ticketId: ticket.id,
      kind: isStaffSender ? 'reply' : 'customer',
      content: content.message,
      authorUserId: isStaffSender ? agent.id : null,
      authorContactId: isStaffSender ? null : await findOrCreateContactByEmail(trx, ctx.dialect, mail.from.address, mail.from.name, senderContact),
      attachmentIds: content.attachmentIds,
      uploaderId: null,
      deliveryStatus: isStaffSender ? 'sent' : null,
      emailMeta: isStaffSender ? { ...meta, notes: [...meta.notes, 'Sent from the agent’s own mail client'] } : meta,
      createdAt: writtenAt,
    })
    const writes = [
      threadKeysInsert(trx, {
        inboxId: row.inboxId,
        ticketId: ticket.id,
        messageId: message.id,
        direction: 'inbound',
        headerMessageId: mail.messageId,
        threadIndexRoot: mail.threadIndexRoot,
        at: now(),
      }),
      participantsInsert(
        trx,
        ticket.id,
        otherPeople.map((email) => ({ email, role: 'cc' as const })),
      ),
    ]
    if (isStaffSender && ticket.firstResponseAt === null) await trx.updateTable('tickets').set({ firstResponseAt: now() }).where('id', '=', ticket.id).execute()
    if (!isStaffSender && ['solved', 'pending', 'on_hold'].includes(ticket.status)) {
      await trx.updateTable('tickets').set({ status: 'open', solvedAt: null }).where('id', '=', ticket.id).execute()
      await addEventMessage(trx, ticket.id, null, { type: 'status_changed', from: ticket.status, to: 'open', reason: 'customer replied' })
    }
    emit(ticketEvent('message.created', ticket, { messageId: message.id, kind: isStaffSender ? 'reply' : 'customer' }))
    emit(ticketEvent('ticket.updated', ticket))
    return { disposition: 'reply', ticketId: ticket.id, messageId: message.id, writes }
  }

  if (isStaffSender) {
    const original = forwardedSender(mail)
    if (original && !ourAddresses.includes(baseAddress(original.address))) {
      return openEmailTicket(
        trx,
        ctx,
        emit,
        row,
        { ...mail, from: original, subject: stripForwardPrefix(mail.subject) },
        content,
        { ...meta, notes: [...meta.notes, `Forwarded by ${mail.from.address}`] },
        { autoReply: false, ourAddresses, inboxTeamId: inbox.teamId, createdAt: writtenAt },
      )
    }
  }
  const autoReply = readJson(inbox.autoReply, { enabled: false })
  return openEmailTicket(trx, ctx, emit, row, mail, content, meta, {
    senderContact,
    // Imported archives are history: their senders are not acknowledged again.
    autoReply: classification.autoReplyAllowed && !!settings && autoReply.enabled && row.receivedVia !== 'import',
    ourAddresses,
    inboxTeamId: inbox.teamId,
    createdAt: writtenAt,
  })
}

/**
 * An earlier delivery of the same mail to this inbox, the active user the sender's address belongs to (a staff member
 * writing from their own mail client) and the sender's contact, in one round trip.
 */
async function deliveryFacts(trx: Transaction<DB>, row: InboundRow, mail: MailDigest) {
  // Typed NULLs: PostgreSQL settles each column's type from the first part.
  const noText = sql<string | null>`CAST(NULL AS text)`
  const noId = sql<number | null>`CAST(NULL AS integer)`
  let q = trx
    .selectFrom('inboundEmails')
    .select([sql.lit('earlier').as('kind'), 'id', 'ticketId', noText.as('role'), noText.as('name'), noId.as('organizationId'), noId.as('mergedIntoId')])
    .where('inboxId', '=', row.inboxId)
    .where('dedupeKey', '=', dedupeKeyOf(row, mail))
  if (mail.from)
    q = q
      .unionAll(
        trx
          .selectFrom('users')
          .select([sql.lit('agent').as('kind'), 'id', noId.as('ticketId'), 'role', noText.as('name'), noId.as('organizationId'), noId.as('mergedIntoId')])
          .where('email', '=', mail.from.address)
          .where('isActive', '=', 1),
      )
      .unionAll(
        contactByEmail(trx, mail.from.address)
          .clearSelect()
          .select([
            sql.lit('contact').as('kind'),
            'contacts.id',
            noId.as('ticketId'),
            noText.as('role'),
            'contacts.name',
            'contacts.organizationId',
            'contacts.mergedIntoId',
          ]),
      )
  const rows = await q.execute()
  const earlier = rows.find((r) => r.kind === 'earlier')
  const agent = rows.find((r) => r.kind === 'agent')
  const contact = rows.find((r) => r.kind === 'contact')
  return {
    earlier: earlier && { id: earlier.id, ticketId: earlier.ticketId },
    agent: agent && { id: agent.id, role: agent.role! },
    senderContact: mail.from
      ? { found: contact && { id: contact.id, name: contact.name!, organizationId: contact.organizationId, mergedIntoId: contact.mergedIntoId } }
      : undefined,
  }
}

async function ticketScope(db: Executor, ticketId: number) {
  return db.selectFrom('tickets').select(['id', 'teamId']).where('id', '=', ticketId).executeTakeFirstOrThrow()
}

async function openEmailTicket(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  row: InboundRow,
  mail: MailDigest,
  content: { message: MessageContent; attachmentIds: number[] },
  meta: Record<string, unknown>,
  opts: {
    followUpOfId?: number
    autoReply: boolean
    ourAddresses: string[]
    inboxTeamId: number | null
    createdAt?: number
    /** The sender's contact as deliveryFacts read it (not for a forwarded message's original sender). */
    senderContact?: LookedUpContact
  },
): Promise<Outcome> {
  const from = mail.from!
  const requester = await findOrCreateContact(trx, ctx.dialect, from.address, from.name, opts.senderContact)
  // The new ticket's risk and message id are written by the routing's last statement, with the mail log (Outcome.writes).
  const ticketWrites: (Write | null)[] = []
  const { ticketId, messageId } = await openTicket(trx, ctx, emit, {
    subject: (mail.subject || '(no subject)').slice(0, 300),
    inboxId: row.inboxId,
    requesterId: requester.id,
    requester,
    content: content.message,
    attachmentIds: content.attachmentIds,
    uploaderId: null,
    actorId: null,
    followUpOfId: opts.followUpOfId ?? null,
    emailMeta: meta,
    createdAt: opts.createdAt,
    inboxTeamId: opts.inboxTeamId,
    deferWritesInto: ticketWrites,
  })
  const writes = [
    ...ticketWrites,
    threadKeysInsert(trx, {
      inboxId: row.inboxId,
      ticketId,
      messageId,
      direction: 'inbound',
      headerMessageId: mail.messageId,
      threadIndexRoot: mail.threadIndexRoot,
      at: now(),
    }),
    participantsInsert(trx, ticketId, [
      { email: from.address, role: 'requester' },
      ...[...mail.to, ...mail.cc]
        .filter((a) => !opts.ourAddresses.includes(baseAddress(a)) && a !== from.address)
        .map((email) => ({ email, role: 'cc' as const })),
    ]),
  ]
  if (opts.autoReply)
    await enqueueJob(
      trx,
      sendAutoReplyJob,
      { ticketId, inboxId: row.inboxId, to: from.address, inReplyTo: mail.messageId },
      { idempotencyKey: `auto-reply:${row.id}` },
    )
  return { disposition: 'ticket', ticketId, messageId, writes }
}

async function recordBounce(
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  row: InboundRow,
  bounce: { recipients: string[]; status?: string; diagnostic?: string; originalMessageId?: string } | undefined,
  threadTicketId: number | null,
): Promise<Outcome> {
  const originalId = bounce?.originalMessageId?.replace(/[<>]/g, '').toLowerCase()
  const original = originalId
    ? await trx
        .selectFrom('emailThreadKeys')
        .select('ticketId')
        .where('inboxId', '=', row.inboxId)
        .where('key', '=', originalId)
        .where('direction', '=', 'outbound')
        .executeTakeFirst()
    : undefined
  const ticketId = original?.ticketId ?? threadTicketId
  for (const address of bounce?.recipients ?? []) {
    await trx
      .updateTable('contactIdentities')
      .set({ bouncingAt: now(), bounceReason: (bounce?.diagnostic ?? bounce?.status ?? 'bounced').slice(0, 500) })
      .where('kind', '=', 'email')
      .where('value', '=', address.toLowerCase())
      .execute()
  }
  if (!ticketId) return { disposition: 'bounce', ticketId: null, messageId: null }
  await addEventMessage(trx, ticketId, null, {
    type: 'delivery_failed',
    recipients: bounce?.recipients ?? [],
    status: bounce?.status ?? null,
    reason: bounce?.diagnostic ?? null,
  })
  if (originalId) {
    await trx
      .updateTable('messages')
      .set({ deliveryStatus: 'failed', deliveryError: (bounce?.diagnostic ?? 'The message bounced').slice(0, 2000) })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('emailThreadKeys')
          .select('messageId')
          .where('key', '=', originalId)
          .where('direction', '=', 'outbound')
          .where('messageId', 'is not', null)
          .$narrowType<{ messageId: number }>(),
      )
      .execute()
  }
  emit(ticketEvent('ticket.updated', await ticketScope(trx, ticketId)))
  return { disposition: 'bounce', ticketId, messageId: null }
}

/** Stores the digest's attachments and points its HTML's inline images at them. */
async function storeContent(trx: Executor, ctx: Ctx, mail: MailDigest): Promise<{ message: MessageContent; attachmentIds: number[]; notes: string[] }> {
  const attachmentIds: number[] = []
  const cidUrls = new Map<string, string>()
  for (const a of mail.attachments) {
    const stored = await storeAttachment(ctx, trx, null, {
      filename: a.filename,
      contentType: a.contentType,
      bytes: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })
    attachmentIds.push(stored.id)
    if (a.contentId) cidUrls.set(a.contentId, stored.url)
  }
  const { html, text, fullText, notes } = mail.content
  return { message: { html: withStoredImages(html, cidUrls), text, fullText }, attachmentIds, notes }
}

/** Mail that could not be processed, newest first: the admin "failed mail" view. */
export async function listInboundEmails(db: Executor, filter: { status?: string; disposition?: string; limit: number }) {
  let q = db.selectFrom('inboundEmails').selectAll().orderBy('id', 'desc').limit(filter.limit)
  if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.disposition) q = q.where('disposition', '=', filter.disposition)
  return q.execute()
}
