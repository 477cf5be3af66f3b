import {
  CreateWebhookInput,
  IdParams,
  Ok,
  RotateWebhookSecretInput,
  UpdateWebhookInput,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENTS,
  WebhookDeliveryDto,
  WebhookDeliveryListQuery,
  WebhookDeliveryPage,
  WebhookDeliveryParams,
  WebhookDto,
  WebhookEventCatalog,
  WebhookList,
  WebhookWithSecretDto,
} from '@allhands/contract'
import { registerTransactionalListener } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { canManageWebhooks } from './webhooks.policy.ts'
import { recordWebhookEvents } from './webhooks.record.ts'
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhookDelivery,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from './webhooks.service.ts'
import { watchSubscriptionChanges } from './webhooks.subscriptions.ts'

/**
 * /webhooks: outgoing webhooks for admins and owners: subscriptions, their secret, a test ping, the delivery log and
 * redelivery. Registering the plugin also wires the module in: its transactional listener queues deliveries inside
 * the transactions whose changes call for them, and other nodes' subscription changes refresh this node's cache.
 */
export async function webhooksRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['webhooks']
  registerTransactionalListener(recordWebhookEvents)
  watchSubscriptionChanges(ctx)
  // Everything here is for admins: refuse others before their input is even looked at (the services check again).
  app.addHook('preValidation', async (req) => {
    if (!canManageWebhooks(actorOf(req))) throw forbidden('manage webhooks', 'only admins and owners do')
  })

  app.get(
    '/webhooks',
    { schema: { tags, description: 'Every webhook, oldest first. Secrets are never listed.', response: { 200: WebhookList } } },
    async (req) => listWebhooks(ctx, actorOf(req)),
  )
  app.get(
    '/webhooks/events',
    { schema: { tags, description: 'The event types a webhook can subscribe to, with what each means.', response: { 200: WebhookEventCatalog } } },
    async () => ({ items: WEBHOOK_EVENTS.map((type) => ({ type, description: WEBHOOK_EVENT_DESCRIPTIONS[type] })) }),
  )
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        description:
          'Creates a webhook. The answer carries its signing secret, shown this once. The URL must be http(s) without credentials and, unless WEBHOOKS_ALLOW_PRIVATE is set, must not resolve to a private, loopback or other non-public address (422).',
        body: CreateWebhookInput,
        response: { 201: WebhookWithSecretDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createWebhook(ctx, actorOf(req), req.body)),
  )
  app.get('/webhooks/:id', { schema: { tags, params: IdParams, response: { 200: WebhookDto } } }, async (req) => getWebhook(ctx, actorOf(req), req.params.id))
  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        description: 'Changes the URL, description, events or enabled flag (audited). Enabling a webhook again clears its failure count.',
        params: IdParams,
        body: UpdateWebhookInput,
        response: { 200: WebhookDto },
      },
    },
    async (req) => updateWebhook(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/webhooks/:id',
    { schema: { tags, description: 'Deletes the webhook and its delivery log (audited).', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await deleteWebhook(ctx, actorOf(req), req.params.id)
      return { ok: true }
    },
  )
  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        description:
          'Replaces the signing secret (audited) and returns the new one, shown this once. The old secret also signs deliveries for keepPreviousHours (default 24).',
        params: IdParams,
        body: RotateWebhookSecretInput,
        response: { 200: WebhookWithSecretDto },
      },
      // The body is optional: no body means the default grace period.
      preValidation: async (req) => {
        req.body ??= {}
      },
    },
    async (req) => rotateWebhookSecret(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post(
    '/webhooks/:id/test',
    {
      schema: {
        tags,
        description: 'Sends a signed `ping` event now, even to a webhook that is off, and returns the logged delivery (one attempt, not retried).',
        params: IdParams,
        response: { 200: WebhookDeliveryDto },
      },
    },
    async (req) => testWebhook(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        description: 'The delivery log, newest first (kept 30 days): event, status, attempts, the last response code, duration and body excerpt, error.',
        params: IdParams,
        querystring: WebhookDeliveryListQuery,
        response: { 200: WebhookDeliveryPage },
      },
    },
    async (req) => listWebhookDeliveries(ctx, actorOf(req), req.params.id, req.query),
  )
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        description:
          'Queues a finished delivery again with the same webhook-id and body and a fresh set of attempts (202). 409 while it is still queued or the webhook is off.',
        params: WebhookDeliveryParams,
        response: { 202: WebhookDeliveryDto },
      },
    },
    async (req, reply) => reply.code(202).send(await redeliverWebhookDelivery(ctx, actorOf(req), req.params.id, req.params.deliveryId)),
  )
}
