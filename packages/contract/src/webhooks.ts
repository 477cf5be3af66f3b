import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'
import { UserRef } from './people.ts'

/**
 * Outgoing webhooks (issue 10): signed JSON POSTs to subscribers' URLs, following the Standard Webhooks spec
 * (docs/WEBHOOKS.md). Admins and owners manage them; every delivery is logged.
 */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.merged',
  'message.created',
  'csat.rated',
  'contact.created',
  'chat.started',
  'chat.ended',
  'sla.warning',
  'sla.breached',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

/** What each event means, for the subscription form and GET /webhooks/events. */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'ticket.created': 'A ticket was opened (email, web form, chat, API or an agent).',
  'ticket.updated': 'A ticket’s status, priority, assignee, team or tags changed (with what changed).',
  'ticket.merged': 'A ticket was merged into another one.',
  'message.created': 'A customer message, an agent reply or an internal note was added (notes are flagged internal).',
  'csat.rated': 'A customer rated a ticket in the satisfaction survey or at the end of a chat.',
  'contact.created': 'A contact was created (by an agent or the API, or as the new requester of a ticket).',
  'chat.started': 'A visitor started a live chat.',
  'chat.ended': 'An agent ended a live chat.',
  'sla.warning': 'A ticket’s SLA target (first response, next response or resolution) is about to be missed.',
  'sla.breached': 'A ticket’s SLA target was missed.',
}

/** `ping` is what POST /webhooks/:id/test sends; it is not an event one subscribes to. */
export const WEBHOOK_DELIVERY_EVENTS = [...WEBHOOK_EVENTS, 'ping'] as const
export type WebhookDeliveryEvent = (typeof WEBHOOK_DELIVERY_EVENTS)[number]

/**
 * pending: queued, not tried yet; retrying: an attempt failed and another is scheduled; delivered: answered 2xx;
 * failed: every attempt failed (or the address is refused); cancelled: the webhook was disabled before it went out.
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] as const
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number]

/** enabled; failing: enabled, but the last attempts failed; disabled: by an admin or automatically (see disabledReason). */
export const WEBHOOK_STATUSES = ['enabled', 'failing', 'disabled'] as const
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number]

/** Limits the delivery log and the UI show. */
export const WEBHOOK_LIMITS = {
  /** Webhooks per workspace. */
  webhooks: 50,
  /** The response body kept in the log. */
  responseExcerptBytes: 1024,
  /** The request body shown in the log (the delivery keeps all of it). */
  requestPreviewChars: 8192,
} as const

const WebhookUrl = Type.String({ minLength: 8, maxLength: 2000, description: 'http:// or https:// URL the events are POSTed to' })
const WebhookDescription = Type.String({ maxLength: 500 })
const WebhookEvents = Type.Array(Type.Enum(WEBHOOK_EVENTS), { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true })

export const WebhookDto = Type.Object({
  id: Id,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.Enum(WEBHOOK_EVENTS)),
  enabled: Type.Boolean(),
  status: Type.Enum(WEBHOOK_STATUSES),
  /** Why it was disabled: by whom, or after how many failed deliveries. */
  disabledReason: Nullable(Type.String()),
  disabledAt: Nullable(Timestamp),
  /** Deliveries in a row that failed for good; reset by a delivered one. */
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  /** Since when attempts have been failing (null while deliveries succeed). */
  failingSince: Nullable(Timestamp),
  lastDeliveryAt: Nullable(Timestamp),
  /** After a rotation the previous secret also signs deliveries until then. */
  previousSecretExpiresAt: Nullable(Timestamp),
  secretRotatedAt: Nullable(Timestamp),
  createdBy: Nullable(UserRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type WebhookDto = Static<typeof WebhookDto>

/** Returned once, on create and on rotation: the signing secret is never shown again. */
export const WebhookWithSecretDto = Type.Intersect([
  WebhookDto,
  Type.Object({ secret: Type.String({ description: 'The signing secret (whsec_ + base64 key): store it now, it is not shown again' }) }),
])
export type WebhookWithSecretDto = Static<typeof WebhookWithSecretDto>

export const WebhookList = Type.Object({ items: Type.Array(WebhookDto) })
export type WebhookList = Static<typeof WebhookList>

export const CreateWebhookInput = Type.Object(
  { url: WebhookUrl, description: Type.Optional(WebhookDescription), events: WebhookEvents, enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type CreateWebhookInput = Static<typeof CreateWebhookInput>

export const UpdateWebhookInput = Type.Object(
  {
    url: Type.Optional(WebhookUrl),
    description: Type.Optional(WebhookDescription),
    events: Type.Optional(WebhookEvents),
    enabled: Type.Optional(Type.Boolean({ description: 'Enabling again clears the failure count and the reason it was disabled' })),
  },
  { additionalProperties: false },
)
export type UpdateWebhookInput = Static<typeof UpdateWebhookInput>

export const RotateWebhookSecretInput = Type.Object(
  {
    keepPreviousHours: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 72, description: 'Hours the old secret keeps signing beside the new one (default 24; 0 = stop now)' }),
    ),
  },
  { additionalProperties: false },
)
export type RotateWebhookSecretInput = Static<typeof RotateWebhookSecretInput>

export const WebhookEventInfo = Type.Object({ type: Type.Enum(WEBHOOK_EVENTS), description: Type.String() })
export const WebhookEventCatalog = Type.Object({ items: Type.Array(WebhookEventInfo) })
export type WebhookEventCatalog = Static<typeof WebhookEventCatalog>

export const WebhookDeliveryDto = Type.Object({
  id: Id,
  webhookId: Id,
  /** The `webhook-id` header: the same on every retry and redelivery, so receivers can drop repeats. */
  messageId: Type.String(),
  event: Type.Enum(WEBHOOK_DELIVERY_EVENTS),
  status: Type.Enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: Type.Integer({ minimum: 0 }),
  /** Of the last attempt. */
  responseStatus: Nullable(Type.Integer()),
  durationMs: Nullable(Type.Integer({ minimum: 0 })),
  /** The start of the last response body (at most 1 KB). */
  responseExcerpt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  /** Headers of the last attempt as sent. */
  requestHeaders: Nullable(Type.Record(Type.String(), Type.String())),
  /** The body as sent (the same bytes on every attempt), cut to WEBHOOK_LIMITS.requestPreviewChars; null until the first attempt. */
  requestBody: Nullable(Type.String()),
  requestBodyTruncated: Type.Boolean(),
  /** The payload was bigger than the size cap, so its data carries ids only. */
  payloadTruncated: Type.Boolean(),
  lastAttemptAt: Nullable(Timestamp),
  deliveredAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type WebhookDeliveryDto = Static<typeof WebhookDeliveryDto>

export const WebhookDeliveryPage = Type.Object({ items: Type.Array(WebhookDeliveryDto), nextCursor: Nullable(Type.String()) }, { description: 'Newest first.' })
export type WebhookDeliveryPage = Static<typeof WebhookDeliveryPage>

export const WebhookDeliveryListQuery = Type.Object({ status: Type.Optional(Type.Enum(WEBHOOK_DELIVERY_STATUSES)), ...CursorQuery })
export type WebhookDeliveryListQuery = Static<typeof WebhookDeliveryListQuery>

export const WebhookDeliveryParams = Type.Object({ id: Id, deliveryId: Id })
export type WebhookDeliveryParams = Static<typeof WebhookDeliveryParams>
