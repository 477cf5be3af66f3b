import { enqueueJob } from '../../platform/jobs.ts'
import { registerReplyDelivery } from '../tickets/delivery.ts'
import { sendEmailJob } from './jobs/send-email.ts'

export { emailRoutes } from './email.routes.ts'
export { recoverInboundEmailJob } from './jobs/recover-inbound-email.ts'
export { sendAutoReplyJob } from './jobs/send-auto-reply.ts'
export { sendEmailJob } from './jobs/send-email.ts'
export { startImapWatchers, syncImapInbox } from './imap-fetcher.ts'
export { startSmtpListener } from './smtp-listener.ts'

/** Replies on email tickets leave through the outbound job, committed with the reply itself. */
export function registerEmailChannel(): void {
  registerReplyDelivery('email', async (trx, _ctx, reply) => {
    await trx.updateTable('messages').set({ deliveryStatus: 'queued' }).where('id', '=', reply.messageId).execute()
    await enqueueJob(trx, sendEmailJob, { messageId: reply.messageId }, { idempotencyKey: `send-email:${reply.messageId}` })
  })
}
