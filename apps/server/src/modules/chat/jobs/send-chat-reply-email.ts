import type { JobDefinition } from '../../../platform/jobs.ts'
import { markDeliveryFailed } from '../../email/email.outbound.service.ts'
import { deliverChatReplyByEmail } from '../chat.delivery.ts'

/** Emails one agent reply on a chat inbox (visitor gone, or an offline message); retried, then shown as failed. */
export const sendChatReplyEmailJob: JobDefinition<{ messageId: number }> = {
  name: 'send-chat-reply-email',
  label: 'Email a chat reply',
  maxAttempts: 6,
  handle: (ctx, { messageId }) => deliverChatReplyByEmail(ctx, messageId),
  onDead: (ctx, { messageId }, error) => markDeliveryFailed(ctx, messageId, error),
}
