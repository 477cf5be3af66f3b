import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendAutoReply } from '../email.outbound.service.ts'

/** The inbox's acknowledgement to a new ticket's sender (never to bounces, auto-replies or noreply senders). */
export const sendAutoReplyJob: JobDefinition<{ ticketId: number; inboxId: number; to: string; inReplyTo: string | null }> = {
  name: 'send-auto-reply',
  label: 'Send automatic reply',
  maxAttempts: 4,
  handle: (ctx, payload) => sendAutoReply(ctx, payload),
}
