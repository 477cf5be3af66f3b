import type { WebhookEventType } from '@allhands/contract'
import { cachedValue, watchCacheInvalidations } from '../../platform/cache.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { ticketTrackingSince } from './webhooks.changes.ts'
import { eventsOf } from './webhooks.presenter.ts'
import { listEnabledSubscriptionRows } from './webhooks.queries.ts'

export type Subscription = { id: number; events: ReadonlySet<WebhookEventType> }
export type Subscriptions = {
  list: Subscription[]
  wanted: ReadonlySet<WebhookEventType>
  /** Kept ticket states older than this are outdated (webhooks.changes.ts). */
  ticketTrackingSince: number
}

/**
 * The enabled webhooks, cached per app so a transaction's events cost nothing while none is configured. A change
 * here drops the cache at once and tells the other nodes through the cluster bus; since the bus is fire-and-forget
 * (and absent without Redis), a cached list is also re-read after 15 s.
 */
const cache = cachedValue<Subscriptions>('webhook-subscriptions', { ttlMs: 15_000 })

/** Listens for other nodes' changes (once per app). */
export function watchSubscriptionChanges(ctx: Ctx): void {
  watchCacheInvalidations(ctx)
}

/** Call after committing a change to webhooks (created, edited, deleted, disabled). */
export function subscriptionsChanged(ctx: Ctx): void {
  cache.invalidate(ctx)
}

/** The enabled subscriptions; read through `db` (the caller's transaction: SQLite has one connection) when stale. */
export function enabledSubscriptions(ctx: Ctx, db: Executor): Promise<Subscriptions> {
  return cache.get(ctx, async () => {
    const rows = await listEnabledSubscriptionRows(db)
    const list = rows.map((r) => ({ id: r.id, events: new Set(eventsOf(r)) }))
    const wanted = new Set(list.flatMap((s) => [...s.events]))
    return { list, wanted, ticketTrackingSince: wanted.has('ticket.updated') ? await ticketTrackingSince(db) : 0 }
  })
}
