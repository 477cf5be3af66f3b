import type { JobDefinition } from '../../../platform/jobs.ts'
import { deliverReply, markDeliveryFailed } from '../email.outbound.service.ts'

/** Sends one agent reply by email; retried with backoff, and the message shows the error when it gives up. */
export const sendEmailJob: JobDefinition<{ messageId: number }> = {
  name: 'send-email',
  label: 'Send reply email',
  maxAttempts: 6,
  handle: (ctx, { messageId }) => deliverReply(ctx, messageId),
  onDead: (ctx, { messageId }, error) => markDeliveryFailed(ctx, messageId, error),
}
