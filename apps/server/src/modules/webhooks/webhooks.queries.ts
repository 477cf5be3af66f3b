import type { WebhookDeliveryStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'

export async function findWebhookRow(db: Executor, id: number) {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
}
export type WebhookRow = NonNullable<Awaited<ReturnType<typeof findWebhookRow>>>

/** Every webhook, oldest first (a workspace has a few dozen at most). */
export async function listWebhookRows(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute()
}

export async function countWebhooks(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What the transactional listener needs: the enabled webhooks and their events. */
export async function listEnabledSubscriptionRows(db: Executor) {
  return db.selectFrom('webhooks').select(['id', 'events']).where('enabled', '=', 1).execute()
}

export async function findDeliveryRow(db: Executor, id: number) {
  return db.selectFrom('webhookDeliveries').selectAll().where('id', '=', id).executeTakeFirst()
}
export type DeliveryRow = NonNullable<Awaited<ReturnType<typeof findDeliveryRow>>>

/** One page of a webhook's log, newest first, after a (createdAt, id) cursor, through webhook_deliveries_by_webhook. */
export function listDeliveryRowsQuery(db: Executor, q: { webhookId: number; status?: WebhookDeliveryStatus; after: [number, number] | null; limit: number }) {
  let query = db.selectFrom('webhookDeliveries').selectAll().where('webhookId', '=', q.webhookId)
  if (q.status) query = query.where('status', '=', q.status)
  if (q.after) {
    const [createdAt, id] = q.after
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(createdAt, id)))
  }
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
}

/** Deletes a webhook's deliveries created before `before` (the log keeps 30 days). */
export const purgeDeliveries = (db: Executor, webhookId: number, before: number) =>
  db.deleteFrom('webhookDeliveries').where('webhookId', '=', webhookId).where('createdAt', '<', before)
