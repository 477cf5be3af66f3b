import {
  type CreateWebhookInput,
  type RotateWebhookSecretInput,
  type UpdateWebhookInput,
  WEBHOOK_LIMITS,
  type WebhookDeliveryDto,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryPage,
  type WebhookDto,
  type WebhookWithSecretDto,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { deliverWebhookJob } from './jobs/deliver-webhook.ts'
import { restartTicketTracking } from './webhooks.changes.ts'
import { attemptDelivery } from './webhooks.delivery.ts'
import { parseWebhookUrl, RefusedDestination, resolveDestination } from './webhooks.http.ts'
import { canManageWebhooks } from './webhooks.policy.ts'
import { eventsOf, presentDelivery, presentWebhooks } from './webhooks.presenter.ts'
import {
  countWebhooks,
  findDeliveryRow,
  findWebhookRow,
  listDeliveryRowsQuery,
  listEnabledSubscriptionRows,
  listWebhookRows,
  type WebhookRow,
} from './webhooks.queries.ts'
import { newMessageId } from './webhooks.record.ts'
import { newWebhookSecret } from './webhooks.signing.ts'
import { subscriptionsChanged } from './webhooks.subscriptions.ts'

const DEFAULT_KEEP_PREVIOUS_HOURS = 24
/** How long saving waits for the URL's host to resolve before accepting it unchecked (attempts check again). */
const RESOLVE_WAIT_MS = 3_000

function assertManager(actor: Actor) {
  if (!canManageWebhooks(actor)) throw forbidden('manage webhooks', 'only admins and owners do')
}

async function getWebhookRow(db: Executor, id: number): Promise<WebhookRow> {
  const row = await findWebhookRow(db, id)
  if (!row) throw notFound('Webhook', id)
  return row
}

const present = async (db: Executor, row: WebhookRow) => (await presentWebhooks(db, [row]))[0]!

const tracksTicketUpdates = async (db: Executor) => (await listEnabledSubscriptionRows(db)).some((r) => eventsOf(r).includes('ticket.updated'))

/** Runs a change to webhooks; if it makes some enabled webhook want `ticket.updated` while none did, kept ticket states are outdated. */
async function changingSubscriptions<T>(trx: Executor, change: () => Promise<T>): Promise<T> {
  const wasTracking = await tracksTicketUpdates(trx)
  const result = await change()
  if (!wasTracking && (await tracksTicketUpdates(trx))) await restartTicketTracking(trx)
  return result
}

/**
 * A URL as stored: http(s), no credentials and, unless WEBHOOKS_ALLOW_PRIVATE is set, not resolving to a private
 * or otherwise non-public address. A host that does not resolve yet is accepted: every attempt checks again.
 */
async function checkUrl(ctx: Ctx, raw: string): Promise<string> {
  let url: URL
  try {
    url = parseWebhookUrl(raw.trim())
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : 'The URL is not valid')
  }
  if (!ctx.config.webhooksAllowPrivate) {
    let timer: NodeJS.Timeout | undefined
    const wait = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, RESOLVE_WAIT_MS)
    })
    try {
      await Promise.race([resolveDestination(url, false), wait])
    } catch (err) {
      if (err instanceof RefusedDestination) throw unprocessable(err.message)
    } finally {
      clearTimeout(timer)
    }
  }
  return url.toString()
}

export async function listWebhooks(ctx: Ctx, actor: Actor): Promise<{ items: WebhookDto[] }> {
  assertManager(actor)
  return { items: await presentWebhooks(ctx.db, await listWebhookRows(ctx.db)) }
}

export async function getWebhook(ctx: Ctx, actor: Actor, id: number): Promise<WebhookDto> {
  assertManager(actor)
  return present(ctx.db, await getWebhookRow(ctx.db, id))
}

/** Creates a webhook with a new signing secret, returned this once (audited, without the secret). */
export async function createWebhook(ctx: Ctx, actor: Actor, input: CreateWebhookInput): Promise<WebhookWithSecretDto> {
  assertManager(actor)
  const url = await checkUrl(ctx, input.url)
  if ((await countWebhooks(ctx.db)) >= WEBHOOK_LIMITS.webhooks) throw unprocessable(`A workspace has at most ${WEBHOOK_LIMITS.webhooks} webhooks`)
  const secret = newWebhookSecret()
  const events = [...new Set(input.events)]
  const enabled = input.enabled ?? true
  const row = await ctx.db.transaction().execute(async (trx) => {
    const t = now()
    const inserted = await changingSubscriptions(trx, () =>
      trx
        .insertInto('webhooks')
        .values({
          url,
          description: input.description?.trim() ?? '',
          events: JSON.stringify(events),
          secret,
          previousSecret: null,
          previousSecretExpiresAt: null,
          secretRotatedAt: null,
          enabled: enabled ? 1 : 0,
          disabledReason: enabled ? null : `Turned off by ${actor.name} when created`,
          disabledAt: enabled ? null : t,
          failingSince: null,
          lastDeliveryAt: null,
          createdById: actor.id,
          createdAt: t,
          updatedAt: t,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    )
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.created', targetType: 'webhook', targetId: inserted.id, data: { url, events, enabled } })
    return inserted
  })
  subscriptionsChanged(ctx)
  return { ...(await present(ctx.db, row)), secret }
}

/** Edits a webhook. Enabling it again clears its failure count and the reason it was off; turning it off records who did. */
export async function updateWebhook(ctx: Ctx, actor: Actor, id: number, input: UpdateWebhookInput): Promise<WebhookDto> {
  assertManager(actor)
  const row = await getWebhookRow(ctx.db, id)
  const url = input.url !== undefined ? await checkUrl(ctx, input.url) : row.url
  const events = input.events ? [...new Set(input.events)] : eventsOf(row)
  const wasEnabled = !!row.enabled
  const enabled = input.enabled ?? wasEnabled
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const t = now()
    const next = await changingSubscriptions(trx, () =>
      trx
        .updateTable('webhooks')
        .set({
          url,
          description: input.description !== undefined ? input.description.trim() : row.description,
          events: JSON.stringify(events),
          enabled: enabled ? 1 : 0,
          ...(enabled && !wasEnabled ? { disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null } : {}),
          ...(!enabled && wasEnabled ? { disabledReason: `Turned off by ${actor.name}`, disabledAt: t } : {}),
          updatedAt: t,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    )
    const changed: Record<string, unknown> = {}
    if (url !== row.url) changed.url = { from: row.url, to: url }
    if (events.join() !== eventsOf(row).join()) changed.events = { from: eventsOf(row), to: events }
    if (enabled !== wasEnabled) changed.enabled = { from: wasEnabled, to: enabled }
    if (next.description !== row.description) changed.description = { from: row.description, to: next.description }
    if (Object.keys(changed).length)
      await recordAudit(trx, { actorId: actor.id, action: 'webhook.updated', targetType: 'webhook', targetId: id, data: { url: next.url, ...changed } })
    return next
  })
  subscriptionsChanged(ctx)
  return present(ctx.db, updated)
}

/** Deletes a webhook and its delivery log (audited); queued deliveries are dropped. */
export async function deleteWebhook(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  assertManager(actor)
  const row = await getWebhookRow(ctx.db, id)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhookDeliveries').where('webhookId', '=', id).execute()
    await trx.deleteFrom('webhooks').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'webhook.deleted', targetType: 'webhook', targetId: id, data: { url: row.url, events: eventsOf(row) } })
  })
  subscriptionsChanged(ctx)
}

/**
 * A new signing secret, returned this once. The old one keeps signing beside it (a second `v1,` signature) for
 * `keepPreviousHours` (default 24), so receivers can switch without dropping deliveries.
 */
export async function rotateWebhookSecret(ctx: Ctx, actor: Actor, id: number, input: RotateWebhookSecretInput): Promise<WebhookWithSecretDto> {
  assertManager(actor)
  const row = await getWebhookRow(ctx.db, id)
  const keepPreviousHours = input.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS
  const secret = newWebhookSecret()
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const t = now()
    const next = await trx
      .updateTable('webhooks')
      .set({
        secret,
        previousSecret: keepPreviousHours > 0 ? row.secret : null,
        previousSecretExpiresAt: keepPreviousHours > 0 ? t + keepPreviousHours * 3_600_000 : null,
        secretRotatedAt: t,
        updatedAt: t,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'webhook.secret_rotated',
      targetType: 'webhook',
      targetId: id,
      data: { url: row.url, keepPreviousHours },
    })
    return next
  })
  return { ...(await present(ctx.db, updated)), secret }
}

/** Sends a `ping` now and returns its logged outcome (one attempt; redeliver it to try again). Works while the webhook is off. */
export async function testWebhook(ctx: Ctx, actor: Actor, id: number): Promise<WebhookDeliveryDto> {
  assertManager(actor)
  await getWebhookRow(ctx.db, id)
  const messageId = newMessageId()
  const { id: deliveryId } = await ctx.db
    .insertInto('webhookDeliveries')
    .values({
      webhookId: id,
      messageId,
      event: 'ping',
      eventKey: `ping:${messageId}`,
      refs: JSON.stringify({ webhookId: id }),
      status: 'pending',
      createdAt: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await attemptDelivery(ctx, deliveryId)
  return presentDelivery((await findDeliveryRow(ctx.db, deliveryId))!)
}

export async function listWebhookDeliveries(ctx: Ctx, actor: Actor, id: number, query: WebhookDeliveryListQuery): Promise<WebhookDeliveryPage> {
  assertManager(actor)
  await getWebhookRow(ctx.db, id)
  const limit = query.limit ?? 25
  const after = decodeCursor(query.cursor, 2) as [number, number] | null
  const rows = await listDeliveryRowsQuery(ctx.db, { webhookId: id, status: query.status, after, limit }).execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { items: page.map(presentDelivery), nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null }
}

/**
 * Queues a settled delivery again: the same webhook-id and the same bytes (receivers that already processed it can
 * drop it), with a fresh set of attempts. 409 while it is still queued or the webhook is off.
 */
export async function redeliverWebhookDelivery(ctx: Ctx, actor: Actor, id: number, deliveryId: number): Promise<WebhookDeliveryDto> {
  assertManager(actor)
  const webhook = await getWebhookRow(ctx.db, id)
  const delivery = await findDeliveryRow(ctx.db, deliveryId)
  if (!delivery || delivery.webhookId !== id) throw notFound('Delivery', deliveryId)
  if (!webhook.enabled && delivery.event !== 'ping') throw conflict('The webhook is turned off: enable it first')
  if (delivery.status === 'pending' || delivery.status === 'retrying') throw conflict('This delivery is still queued')
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('webhookDeliveries')
      .set((eb) => ({ status: 'pending', redeliveries: eb('redeliveries', '+', 1) }))
      .where('id', '=', deliveryId)
      .where('status', 'not in', ['pending', 'retrying'])
      .returning('redeliveries')
      .executeTakeFirst()
    if (!res) throw conflict('This delivery is still queued')
    await enqueueJob(trx, deliverWebhookJob, { deliveryId }, { idempotencyKey: `webhook-delivery:${deliveryId}:redelivery-${res.redeliveries}` })
  })
  return presentDelivery((await findDeliveryRow(ctx.db, deliveryId))!)
}
