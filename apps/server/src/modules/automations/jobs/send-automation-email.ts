import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendNoticeEmail } from '../../email/staff-email.ts'

export type AutomationEmail = {
  to: { name: string; address: string }
  subject: string
  text: string
  html: string
  inboxId: number
  idempotencyKey: string
}

/** An automation's email to a ticket's requester, sent through the ticket's inbox and marked automatic. */
export const sendAutomationEmailJob: JobDefinition<AutomationEmail> = {
  name: 'send-automation-email',
  label: 'Send an automation email',
  maxAttempts: 5,
  async handle(ctx, email) {
    const sent = await sendNoticeEmail(ctx, { ...email, automatic: true })
    if (!sent) throw new Error('No way to send email is configured (add an email inbox or set SMTP_URL)')
  },
}
