import type { Executor, Ctx } from '../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../platform/jobs.ts'
import { readEmailSettings, type StoredEmailSettings } from '../inboxes/inboxes.service.ts'
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
  maxAttempts: 5,
  handle: (ctx, payload) => sendStaffEmail(ctx, payload),
}

export async function enqueueStaffEmail(db: Executor, email: StaffEmail): Promise<void> {
  await enqueueJob(db, sendStaffEmailJob, email, { idempotencyKey: `staff-email:${email.idempotencyKey}` })
}

async function outboundSettings(db: Executor): Promise<StoredEmailSettings | null> {
  const inboxes = await db.selectFrom('inboxes').select(['id', 'emailSettings']).where('type', '=', 'email').orderBy('id').execute()
  for (const inbox of inboxes) {
    const settings = readEmailSettings(inbox)
    if (settings?.addresses.length) return settings
  }
  return null
}

async function sendStaffEmail(ctx: Ctx, email: StaffEmail): Promise<void> {
  const user = await ctx.db.selectFrom('users').select(['email', 'name', 'isActive']).where('id', '=', email.userId).executeTakeFirst()
  if (!user?.isActive) return
  const settings = await outboundSettings(ctx.db)
  if (!settings && !ctx.config.smtpUrl) return // no way to send mail is configured: in-app notifications remain
  const from = settings
    ? { name: settings.displayName || 'Allhands', address: settings.addresses[0]! }
    : { name: 'Allhands', address: `allhands@${new URL(ctx.config.publicUrl).hostname}` }
  await (await transportFor(settings, ctx.config)).sendMail({
    from,
    to: { name: user.name, address: user.email },
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  })
}
