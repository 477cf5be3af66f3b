import type { Readable } from 'node:stream'
import type { Executor, Ctx } from '../../platform/context.ts'
import { sha256 } from '../../platform/crypto.ts'
import { enqueueJob, type JobDefinition } from '../../platform/jobs.ts'
import { readEmailSettings, type StoredEmailSettings } from '../inboxes/inboxes.service.ts'
import { messageIdDomain } from './email.addresses.ts'
import { transportFor } from './email.transport.ts'

/**
 * Email to a member of staff (shift reminders, consult requests, review outcomes): queued in the caller's
 * transaction, sent by a job through the first email inbox's SMTP settings or the global SMTP_URL.
 * Never sent to a deactivated user. `replyTo` lets the person answer by email (consults).
 */
export interface StaffEmail {
  userId: number
  subject: string
  text: string
  replyTo?: string
  /** The same key is sent once, however often the job is queued or retried. */
  idempotencyKey: string
}

export const sendStaffEmailJob: JobDefinition<StaffEmail> = {
  name: 'send-staff-email',
  label: 'Send email to a colleague',
  maxAttempts: 5,
  handle: (ctx, payload) => sendStaffEmail(ctx, payload),
}

export async function enqueueStaffEmail(db: Executor, email: StaffEmail): Promise<void> {
  await enqueueJob(db, sendStaffEmailJob, email, { idempotencyKey: `staff-email:${email.idempotencyKey}` })
}

/** The first email inbox that has an address: where mail not tied to an inbox is sent from. */
async function outboundSettings(db: Executor): Promise<StoredEmailSettings | null> {
  const inboxes = await db.selectFrom('inboxes').select(['id', 'emailSettings']).where('type', '=', 'email').orderBy('id').execute()
  for (const inbox of inboxes) {
    const settings = readEmailSettings(inbox)
    if (settings?.addresses.length) return settings
  }
  return null
}

/** Whether this help desk can send email at all (an email inbox with an address, or SMTP_URL). */
export async function canSendEmail(ctx: Ctx): Promise<boolean> {
  return !!ctx.config.smtpUrl || !!(await outboundSettings(ctx.db))
}

/** A notice (staff email, survey invitation, chat transcript) or a chat reply sent by email. */
export interface NoticeEmail {
  to: { name: string; address: string }
  subject: string
  text: string
  html?: string
  replyTo?: string
  attachments?: { filename: string; contentType: string; content: Readable }[]
  /** Automatic mail (the default) is marked so autoresponders never answer it; a person's reply is not. */
  automatic?: boolean
  /** Send through this inbox's SMTP settings and address when it is an email inbox with one. */
  inboxId?: number | null
  /**
   * Names this email: the Message-ID is derived from it, so a job retried after a crash mid-send sends the identical
   * message again and receivers (and our own threading) see one message, not two.
   */
  idempotencyKey: string
}

/**
 * Sends a notice through the given inbox, else the first email inbox, else the global SMTP_URL; returns
 * false without sending when no way to send mail is configured.
 */
export async function sendNoticeEmail(ctx: Ctx, email: NoticeEmail): Promise<boolean> {
  const own = email.inboxId
    ? await ctx.db.selectFrom('inboxes').select(['type', 'emailSettings']).where('id', '=', email.inboxId).executeTakeFirst()
    : undefined
  const ownSettings = own?.type === 'email' ? readEmailSettings(own) : null
  const settings = ownSettings?.addresses.length ? ownSettings : await outboundSettings(ctx.db)
  if (!settings && !ctx.config.smtpUrl) return false
  const from = settings
    ? { name: settings.displayName || 'Allhands', address: settings.addresses[0]! }
    : { name: 'Allhands', address: `allhands@${new URL(ctx.config.publicUrl).hostname}` }
  await (await transportFor(settings, ctx.config)).sendMail({
    from,
    messageId: `<allhands.notice.${sha256(email.idempotencyKey).slice(0, 32)}@${messageIdDomain(ctx.config.publicUrl)}>`,
    to: email.to,
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments,
    headers: email.automatic === false ? {} : { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  })
  return true
}

async function sendStaffEmail(ctx: Ctx, email: StaffEmail): Promise<void> {
  const user = await ctx.db.selectFrom('users').select(['email', 'name', 'isActive']).where('id', '=', email.userId).executeTakeFirst()
  if (!user?.isActive) return
  // Without a way to send mail, in-app notifications remain.
  await sendNoticeEmail(ctx, {
    to: { name: user.name, address: user.email },
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    idempotencyKey: `staff-email:${email.idempotencyKey}`,
  })
}
