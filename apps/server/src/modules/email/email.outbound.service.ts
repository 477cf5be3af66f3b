import { randomBytes } from 'node:crypto'
import { AUTO_REPLY_DEFAULT_HOURS } from '@allhands/contract'
import type Mail from 'nodemailer/lib/mailer'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { sha256 } from '../../platform/crypto.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { readEmailSettings } from '../inboxes/inboxes.service.ts'
import { ALLHANDS_TICKET_HEADER } from './classify.ts'
import { baseAddress, messageIdDomain, ticketReplyAddress } from './email.addresses.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { rememberThreadKeys } from './email.threading.ts'
import { transportFor } from './email.transport.ts'
import { fillPlaceholders } from '../../platform/templates.ts'

const newMessageId = (domain: string, messageId: number) => `allhands.${messageId}.${randomBytes(6).toString('hex')}@${domain}`

async function threadHeaders(db: Executor, ticketId: number): Promise<{ inReplyTo: string | null; references: string[] }> {
  const keys = await db
    .selectFrom('emailThreadKeys')
    .select(['key'])
    .where('ticketId', '=', ticketId)
    .where('key', 'not like', 'ti:%')
    .orderBy('createdAt')
    .execute()
  const ids = keys.map((k) => k.key)
  const lastInbound = await db
    .selectFrom('emailThreadKeys')
    .select('key')
    .where('ticketId', '=', ticketId)
    .where('direction', '=', 'inbound')
    .where('key', 'not like', 'ti:%')
    .orderBy('createdAt', 'desc')
    .executeTakeFirst()
  return { inReplyTo: lastInbound?.key ?? ids[ids.length - 1] ?? null, references: ids.slice(-20) }
}

/**
 * Sends one agent reply by email. Safe to call again: a message marked sent is skipped, and the
 * Message-ID is fixed before the first attempt so a retry carries the same one.
 */
export async function deliverReply(ctx: Ctx, messageId: number): Promise<void> {
  const message = await ctx.db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst()
  if (!message || message.deliveryStatus === 'sent') return
  const ticket = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', message.ticketId).executeTakeFirstOrThrow()
  const inbox = await ctx.db.selectFrom('inboxes').selectAll().where('id', '=', ticket.inboxId).executeTakeFirstOrThrow()
  const settings = readEmailSettings(inbox)
  if (!settings) throw new Error(`Inbox ${inbox.id} has no email settings`)
  const to = await ctx.db
    .selectFrom('contactIdentities')
    .select(['value', 'bouncingAt'])
    .where('contactId', '=', ticket.requesterId)
    .where('kind', '=', 'email')
    .orderBy('id')
    .executeTakeFirst()
  if (!to) throw new Error('The requester has no email address')
  const cc = (await ctx.db.selectFrom('ticketParticipants').select('email').where('ticketId', '=', ticket.id).where('role', '=', 'cc').execute()).map(
    (p) => p.email,
  )
  const author = message.authorUserId ? await ctx.db.selectFrom('users').select('name').where('id', '=', message.authorUserId).executeTakeFirst() : undefined
  const domain = messageIdDomain(ctx.config.publicUrl)
  const meta = readJson<Record<string, unknown>>(message.emailMeta, {})
  const headerId = (meta.messageId as string | undefined) ?? newMessageId(domain, message.id)
  if (!meta.messageId) {
    await ctx.db
      .updateTable('messages')
      .set({ emailMeta: writeJson({ ...meta, messageId: headerId }) })
      .where('id', '=', message.id)
      .execute()
  }
  const { inReplyTo, references } = await threadHeaders(ctx.db, ticket.id)
  const attachments = await ctx.db.selectFrom('attachments').select(['filename', 'contentType', 'blobHash']).where('messageId', '=', message.id).execute()
  const address = settings.addresses[0]!
  const secret = await workspaceSecret(ctx.db, 'emailTagSecret')
  const fromName = [author?.name, settings.displayName].filter(Boolean).join(' · ') || undefined
  const signatureHtml = settings.signature ? `<p>${settings.signature.replace(/\n/g, '<br>')}</p>` : ''
  const mail: Mail.Options = {
    from: { name: fromName ?? '', address },
    replyTo: ticketReplyAddress(address, ticket.id, secret),
    to: to.value,
    cc: cc.filter((c) => baseAddress(c) !== baseAddress(to.value)),
    subject: /^re:/i.test(ticket.subject) ? `${ticket.subject} [#${ticket.id}]` : `Re: ${ticket.subject} [#${ticket.id}]`,
    messageId: `<${headerId}>`,
    inReplyTo: inReplyTo ? `<${inReplyTo}>` : undefined,
    references: references.map((r) => `<${r}>`),
    text: [message.fullText, settings.signature].filter(Boolean).join('\n\n-- \n'),
    html: `${message.html}${signatureHtml}`,
    headers: { [ALLHANDS_TICKET_HEADER]: String(ticket.id) },
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: ctx.blobs.stream(a.blobHash) })),
  }
  await (await transportFor(settings, ctx.config)).sendMail(mail)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('messages').set({ deliveryStatus: 'sent', deliveryError: null }).where('id', '=', message.id).execute()
    await rememberThreadKeys(trx, {
      inboxId: inbox.id,
      ticketId: ticket.id,
      messageId: message.id,
      direction: 'outbound',
      headerMessageId: headerId.toLowerCase(),
      at: now(),
    })
  })
  ctx.realtime.publish({
    name: 'message.created',
    ticket: { id: ticket.id, teamId: ticket.teamId },
    payload: { ticketId: ticket.id, messageId: message.id, kind: 'reply' },
  })
}

/** Records a delivery that gave up, so the agent sees the SMTP error and can retry. */
export async function markDeliveryFailed(ctx: Ctx, messageId: number, error: string): Promise<void> {
  const message = await ctx.db.selectFrom('messages').select(['ticketId']).where('id', '=', messageId).executeTakeFirst()
  if (!message) return
  await ctx.db
    .updateTable('messages')
    .set({ deliveryStatus: 'failed', deliveryError: error.slice(0, 2000) })
    .where('id', '=', messageId)
    .execute()
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'teamId']).where('id', '=', message.ticketId).executeTakeFirstOrThrow()
  ctx.realtime.publish({ name: 'ticket.updated', ticket, payload: { ticketId: ticket.id, messageId } })
}

/** The inbox's automatic acknowledgement: at most once per sender within the inbox's window (24 h unless set), marked as auto-replied. */
export async function sendAutoReply(ctx: Ctx, p: { ticketId: number; inboxId: number; to: string; inReplyTo: string | null }): Promise<void> {
  const inbox = await ctx.db.selectFrom('inboxes').selectAll().where('id', '=', p.inboxId).executeTakeFirstOrThrow()
  const autoReply = readJson(inbox.autoReply, { enabled: false, subject: '', body: '', onceEveryHours: AUTO_REPLY_DEFAULT_HOURS })
  const windowMs = (autoReply.onceEveryHours ?? AUTO_REPLY_DEFAULT_HOURS) * 3600_000
  const settings = readEmailSettings(inbox)
  if (!autoReply.enabled || !settings) return
  const to = p.to.toLowerCase()
  const last = await ctx.db.selectFrom('autoRepliesSent').select('sentAt').where('inboxId', '=', inbox.id).where('email', '=', to).executeTakeFirst()
  if (last && last.sentAt > now() - windowMs) return
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'subject', 'requesterId']).where('id', '=', p.ticketId).executeTakeFirstOrThrow()
  const requester = await ctx.db.selectFrom('contacts').select('name').where('id', '=', ticket.requesterId).executeTakeFirstOrThrow()
  const values = {
    'ticket.number': String(ticket.id),
    'ticket.subject': ticket.subject,
    'requester.name': requester.name,
    'requester.firstName': requester.name.split(' ')[0] ?? '',
  }
  const address = settings.addresses[0]!
  const secret = await workspaceSecret(ctx.db, 'emailTagSecret')
  const domain = messageIdDomain(ctx.config.publicUrl)
  // Named by what it answers: a retry after a crash mid-send repeats the same message instead of a second one.
  const ackId = `allhands.auto.${ticket.id}.${sha256(`${inbox.id}:${to}:${p.inReplyTo ?? ''}`).slice(0, 16)}@${domain}`
  await (await transportFor(settings, ctx.config)).sendMail({
    from: { name: settings.displayName, address },
    replyTo: ticketReplyAddress(address, ticket.id, secret),
    to,
    subject: `${fillPlaceholders(autoReply.subject || 'We received your message', values)} [#${ticket.id}]`,
    messageId: `<${ackId}>`,
    inReplyTo: p.inReplyTo ? `<${p.inReplyTo}>` : undefined,
    references: p.inReplyTo ? [`<${p.inReplyTo}>`] : undefined,
    text: fillPlaceholders(autoReply.body, values),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply', [ALLHANDS_TICKET_HEADER]: String(ticket.id) },
  })
  // Replies to the acknowledgement (an out-of-office, say) thread back to this ticket.
  await rememberThreadKeys(ctx.db, { inboxId: inbox.id, ticketId: ticket.id, messageId: null, direction: 'outbound', headerMessageId: ackId, at: now() })
  await ctx.db
    .insertInto('autoRepliesSent')
    .values({ inboxId: inbox.id, email: to, sentAt: now() })
    .onConflict((oc) => oc.columns(['inboxId', 'email']).doUpdateSet({ sentAt: now() }))
    .execute()
}
