import type { JobDefinition } from '../../../platform/jobs.ts'
import { attemptDelivery, settleFailedDelivery } from '../webhooks.delivery.ts'

type Payload = { deliveryId: number }

/**
 * Sends one webhook delivery. A failed attempt throws, so the job runner retries with backoff (5 s, 10 s, 20 s, …:
 * eight attempts over about ten minutes); when the last one fails the delivery is settled as failed and counted
 * toward turning the webhook off. The payload and its webhook-id are fixed on the delivery row, so every attempt
 * sends the same bytes and receivers can drop repeats.
 */
export const deliverWebhookJob: JobDefinition<Payload> = {
  name: 'deliver-webhook',
  label: 'Deliver webhook',
  maxAttempts: 8,
  async handle(ctx, payload) {
    const outcome = await attemptDelivery(ctx, payload.deliveryId)
    if (outcome.kind === 'retry') throw new Error(outcome.error ?? 'The delivery failed')
  },
  onDead: (ctx, payload) => settleFailedDelivery(ctx, payload.deliveryId),
}
