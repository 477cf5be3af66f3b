import type {
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveryDto,
  WebhookDeliveryPage,
  WebhookDeliveryStatus,
  WebhookDto,
  WebhookEventCatalog,
  WebhookList,
  WebhookStatus,
  WebhookWithSecretDto,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of Settings → Webhooks; all start with 'webhooks' so one invalidation refreshes them all. */
export const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  events: ['webhooks', 'events'] as const,
  deliveries: (webhookId: number, status: WebhookDeliveryStatus | null) => ['webhooks', 'deliveries', webhookId, status] as const,
}

export const webhooksApi = {
  list: () => request<WebhookList>('GET', '/webhooks'),
  events: () => request<WebhookEventCatalog>('GET', '/webhooks/events'),
  create: (input: CreateWebhookInput) => request<WebhookWithSecretDto>('POST', '/webhooks', input),
  update: (id: number, input: UpdateWebhookInput) => request<WebhookDto>('PATCH', `/webhooks/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/webhooks/${id}`),
  rotateSecret: (id: number) => request<WebhookWithSecretDto>('POST', `/webhooks/${id}/rotate-secret`, {}),
  test: (id: number) => request<WebhookDeliveryDto>('POST', `/webhooks/${id}/test`),
  deliveries: (id: number, query: { cursor?: string; status?: WebhookDeliveryStatus }) =>
    request<WebhookDeliveryPage>('GET', `/webhooks/${id}/deliveries`, undefined, query),
  redeliver: (id: number, deliveryId: number) => request<WebhookDeliveryDto>('POST', `/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
}

export const WEBHOOK_STATUS_LABEL: Record<WebhookStatus, string> = { enabled: 'Enabled', failing: 'Failing', disabled: 'Off' }
export const WEBHOOK_STATUS_COLOR: Record<WebhookStatus, string> = { enabled: 'green', failing: 'orange', disabled: 'gray' }

export const DELIVERY_STATUS_LABEL: Record<WebhookDeliveryStatus, string> = {
  pending: 'Queued',
  retrying: 'Retrying',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
}
export const DELIVERY_STATUS_COLOR: Record<WebhookDeliveryStatus, string> = {
  pending: 'blue',
  retrying: 'orange',
  delivered: 'green',
  failed: 'red',
  cancelled: 'gray',
}

/** While a delivery is queued or retrying the log refreshes this often. */
export const LOG_REFRESH_MS = 3_000
