import {
  WEBHOOK_EVENTS,
  WEBHOOK_LIMITS,
  type WebhookDeliveryDto,
  type WebhookDeliveryEvent,
  type WebhookDeliveryStatus,
  type WebhookDto,
  type WebhookEventType,
} from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { DeliveryRow, WebhookRow } from './webhooks.queries.ts'

/** The event types a webhook row subscribes to (unknown names from an older version are dropped). */
export const eventsOf = (row: Pick<WebhookRow, 'events'>): WebhookEventType[] =>
  readJson<string[]>(row.events, []).filter((e): e is WebhookEventType => (WEBHOOK_EVENTS as readonly string[]).includes(e))

export async function presentWebhooks(db: Executor, rows: WebhookRow[]): Promise<WebhookDto[]> {
  const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is number => id !== null))]
  const creators = creatorIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', creatorIds).execute() : []
  return rows.map((r) => {
    const creator = creators.find((u) => u.id === r.createdById)
    return {
      id: r.id,
      url: r.url,
      description: r.description,
      events: eventsOf(r),
      enabled: !!r.enabled,
      status: !r.enabled ? 'disabled' : r.failingSince !== null ? 'failing' : 'enabled',
      disabledReason: r.enabled ? null : r.disabledReason,
      disabledAt: r.enabled ? null : r.disabledAt,
      consecutiveFailures: r.consecutiveFailures,
      failingSince: r.failingSince,
      lastDeliveryAt: r.lastDeliveryAt,
      previousSecretExpiresAt: r.previousSecret ? r.previousSecretExpiresAt : null,
      secretRotatedAt: r.secretRotatedAt,
      createdBy: creator ? { id: creator.id, name: creator.name } : null,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }
  })
}

export function presentDelivery(r: DeliveryRow): WebhookDeliveryDto {
  const body = r.payload
  return {
    id: r.id,
    webhookId: r.webhookId,
    messageId: r.messageId,
    event: r.event as WebhookDeliveryEvent,
    status: r.status as WebhookDeliveryStatus,
    attempts: r.attempts,
    responseStatus: r.responseStatus,
    durationMs: r.durationMs,
    responseExcerpt: r.responseExcerpt,
    error: r.error,
    requestHeaders: readJson<Record<string, string> | null>(r.requestHeaders, null),
    requestBody: body === null ? null : body.slice(0, WEBHOOK_LIMITS.requestPreviewChars),
    requestBodyTruncated: body !== null && body.length > WEBHOOK_LIMITS.requestPreviewChars,
    payloadTruncated: !!r.payloadTruncated,
    lastAttemptAt: r.lastAttemptAt,
    deliveredAt: r.deliveredAt,
    createdAt: r.createdAt,
  }
}
