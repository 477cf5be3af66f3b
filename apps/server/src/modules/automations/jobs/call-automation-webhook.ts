import type { JobDefinition } from '../../../platform/jobs.ts'
import { postOnce } from '../../webhooks/webhooks.http.ts'

export type AutomationWebhookCall = { url: string; body: string; idempotencyKey: string }

/**
 * An automation's webhook call: a JSON POST through the webhooks module's guarded client (public addresses only
 * unless WEBHOOKS_ALLOW_PRIVATE, pinned DNS, timeout, capped answer). Anything but a 2xx is retried with backoff.
 */
export const callAutomationWebhookJob: JobDefinition<AutomationWebhookCall> = {
  name: 'call-automation-webhook',
  label: 'Call an automation webhook',
  maxAttempts: 5,
  async handle(ctx, call) {
    const res = await postOnce(
      call.url,
      call.body,
      { 'content-type': 'application/json', 'user-agent': 'Allhands-Automations', 'idempotency-key': call.idempotencyKey },
      { timeoutMs: ctx.config.webhooksTimeoutMs, allowPrivate: ctx.config.webhooksAllowPrivate, maxResponseBytes: 4096 },
    )
    if (res.status < 200 || res.status >= 300) throw new Error(`The webhook answered ${res.status}`)
  },
}
