import { performance } from 'node:perf_hooks'
import { WEBHOOK_LIMITS } from '@allhands/contract'
import { sql } from 'kysely'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { autoDisableReason, disableFailingWebhook } from './webhooks.alerts.ts'
import { type OutboundResponse, postOnce, RefusedDestination } from './webhooks.http.ts'
import { buildPayload } from './webhooks.payloads.ts'
import { findDeliveryRow, findWebhookRow, purgeDeliveries, type WebhookRow } from './webhooks.queries.ts'
import { signatureHeaders } from './webhooks.signing.ts'
import { subscriptionsChanged } from './webhooks.subscriptions.ts'

/** The response body read at most; beyond it the connection is dropped. */
export const MAX_RESPONSE_BYTES = 64 * 1024
/** How long the delivery log keeps a delivery. */
const KEEP_DELIVERIES_MS = 30 * 24 * 3_600_000
const OPEN_STATUSES = ['pending', 'retrying']

/**
 * delivered: answered 2xx; retry: failed, another attempt may work (the job throws so its runner backs off);
 * failed: settled as failed (refused destination, a failed ping, or the last attempt); skipped: nothing to do.
 */
export type AttemptOutcome = { kind: 'delivered' | 'retry' | 'failed' | 'skipped'; error: string | null }

/** The secrets that sign now: the current one, and the previous one during its grace period after a rotation. */
const signingSecrets = (w: WebhookRow, at: number) => [
  w.secret,
  ...(w.previousSecret && w.previousSecretExpiresAt !== null && w.previousSecretExpiresAt > at ? [w.previousSecret] : []),
]

/** What went wrong with an answer, in words for the log, or null for a 2xx. */
function answerError(res: OutboundResponse): string | null {
  if (res.status >= 200 && res.status < 300) return null
  if (res.status >= 300 && res.status < 400) {
    const location = typeof res.headers.location === 'string' ? ` to ${res.headers.location.slice(0, 300)}` : ''
    return `The receiver answered ${res.status} (a redirect${location}); redirects are not followed: use the final URL`
  }
  return `The receiver answered ${res.status}`
}

/** The first KB of a body as text: a character cut in half at the end is dropped, and NUL (PostgreSQL text refuses it). */
const excerptOf = (body: Buffer) =>
  body
    .subarray(0, WEBHOOK_LIMITS.responseExcerptBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
    .replaceAll('\u0000', '')

/** Builds the payload once (the first attempt stores it; a concurrent attempt reads the stored bytes). */
async function payloadOf(ctx: Ctx, delivery: NonNullable<Awaited<ReturnType<typeof findDeliveryRow>>>): Promise<string> {
  if (delivery.payload !== null) return delivery.payload
  const built = await buildPayload(ctx.db, delivery)
  await ctx.db
    .updateTable('webhookDeliveries')
    .set({ payload: built.body, payloadTruncated: built.truncated ? 1 : 0 })
    .where('id', '=', delivery.id)
    .where('payload', 'is', null)
    .execute()
  return (await findDeliveryRow(ctx.db, delivery.id))?.payload ?? built.body
}

/**
 * One attempt of a delivery: signed POST of the stored bytes, the outcome logged on the delivery and counted on the
 * webhook. Idempotent: a delivery already settled is left alone.
 */
export async function attemptDelivery(ctx: Ctx, deliveryId: number): Promise<AttemptOutcome> {
  const delivery = await findDeliveryRow(ctx.db, deliveryId)
  if (!delivery || !OPEN_STATUSES.includes(delivery.status)) return { kind: 'skipped', error: null }
  const webhook = await findWebhookRow(ctx.db, delivery.webhookId)
  if (!webhook) return { kind: 'skipped', error: null }
  const isPing = delivery.event === 'ping'
  if (!webhook.enabled && !isPing) {
    await ctx.db
      .updateTable('webhookDeliveries')
      .set({ status: 'cancelled', error: 'The webhook was turned off before this was sent' })
      .where('id', '=', deliveryId)
      .where('status', 'in', OPEN_STATUSES)
      .execute()
    return { kind: 'skipped', error: null }
  }

  const body = await payloadOf(ctx, delivery)
  const t = now()
  const attempt = delivery.attempts + 1
  const headers = {
    'content-type': 'application/json',
    'user-agent': `Allhands-Webhooks/${ctx.config.version}`,
    'allhands-event': delivery.event,
    'allhands-attempt': String(attempt),
    ...signatureHeaders(signingSecrets(webhook, t), delivery.messageId, Math.floor(t / 1000), body),
  }
  const started = performance.now()
  let response: OutboundResponse | null = null
  let error: string | null
  let permanent = false
  try {
    response = await postOnce(webhook.url, body, headers, {
      timeoutMs: ctx.config.webhooksTimeoutMs,
      allowPrivate: ctx.config.webhooksAllowPrivate,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    })
    error = answerError(response)
    if (error && response.bodyCut) error += `; the answer was longer than ${MAX_RESPONSE_BYTES / 1024} KB and was cut`
  } catch (err) {
    error = err instanceof Error ? err.message : String(err)
    permanent = err instanceof RefusedDestination
  }
  const durationMs = Math.round(performance.now() - started)
  const delivered = error === null
  const done = now()
  await ctx.db
    .updateTable('webhookDeliveries')
    .set({
      // A failed test ping is not retried; a refused address is settled as failed below (another attempt meets the same refusal).
      status: delivered ? 'delivered' : isPing ? 'failed' : 'retrying',
      attempts: attempt,
      lastAttemptAt: t,
      deliveredAt: delivered ? done : null,
      responseStatus: response?.status ?? null,
      responseExcerpt: response ? excerptOf(response.body) : null,
      durationMs,
      error: error?.slice(0, 2000) ?? null,
      requestHeaders: JSON.stringify(headers),
    })
    .where('id', '=', deliveryId)
    .where('status', 'in', OPEN_STATUSES)
    .execute()
  if (delivered)
    await ctx.db.updateTable('webhooks').set({ consecutiveFailures: 0, failingSince: null, lastDeliveryAt: done }).where('id', '=', webhook.id).execute()
  else if (!isPing)
    await ctx.db
      .updateTable('webhooks')
      .set((eb) => ({ failingSince: eb.fn.coalesce('failingSince', sql.lit(t)), lastDeliveryAt: done }))
      .where('id', '=', webhook.id)
      .execute()
  await purgeDeliveries(ctx.db, webhook.id, done - KEEP_DELIVERIES_MS).execute()
  if (delivered) return { kind: 'delivered', error: null }
  if (isPing) return { kind: 'failed', error }
  if (permanent) {
    await settleFailedDelivery(ctx, deliveryId)
    return { kind: 'failed', error }
  }
  return { kind: 'retry', error }
}

/**
 * A delivery that failed for good (its last attempt, or a refused address): marked failed and counted on its webhook;
 * after too many in a row, or a day of failures, the webhook is turned off and the admins are told.
 */
export async function settleFailedDelivery(ctx: Ctx, deliveryId: number): Promise<void> {
  const disabled = await inTransaction(ctx, async (trx, emit) => {
    const delivery = await trx
      .updateTable('webhookDeliveries')
      .set({ status: 'failed' })
      .where('id', '=', deliveryId)
      .where('status', 'in', OPEN_STATUSES)
      .returning(['webhookId', 'error'])
      .executeTakeFirst()
    if (!delivery) return false
    const t = now()
    const webhook = await trx
      .updateTable('webhooks')
      .set((eb) => ({ consecutiveFailures: eb('consecutiveFailures', '+', 1), failingSince: eb.fn.coalesce('failingSince', sql.lit(t)) }))
      .where('id', '=', delivery.webhookId)
      .returning(['id', 'url', 'enabled', 'consecutiveFailures', 'failingSince'])
      .executeTakeFirst()
    if (!webhook?.enabled) return false
    const reason = autoDisableReason(webhook, t)
    return reason ? disableFailingWebhook(ctx, trx, emit, webhook, reason, delivery.error) : false
  })
  if (disabled) subscriptionsChanged(ctx)
}
