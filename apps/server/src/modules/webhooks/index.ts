/** Outgoing webhooks (issue 10): signed JSON deliveries of ticket, message, rating, contact and chat events. */
export { webhooksRoutes } from './webhooks.routes.ts'
export { deliverWebhookJob } from './jobs/deliver-webhook.ts'
