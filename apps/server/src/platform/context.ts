import type { Kysely, Transaction } from 'kysely'
import type { Config } from '../config.ts'
import type { Dialect } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { BlobStore } from './blobs.ts'
import { now } from './clock.ts'
import type { ClusterBus } from './cluster-bus.ts'
import type { JobRunner } from './jobs.ts'
import type { DomainEvent, Realtime } from './realtime.ts'
import type { VisitorHub } from '../modules/chat/visitor-hub.ts'
import type { MailDigestPool } from '../modules/email/mail-digest-pool.ts'

/** What every service function gets: the database, the dialect, config and the side-effect channels. */
export interface Ctx {
  db: Kysely<DB>
  dialect: Dialect
  config: Config
  /** How this node reaches the others (Redis pub/sub; a no-op on a single node). */
  bus: ClusterBus
  realtime: Realtime
  blobs: BlobStore
  jobs: JobRunner
  /** Live-chat visitors connected to this node (issue 7). */
  visitors: VisitorHub
  /** Parses inbound mail on worker threads. */
  mailParser: MailDigestPool
}

export type Executor = Kysely<DB> | Transaction<DB>

/**
 * Work a module does with the events of a transaction inside that transaction, just before it commits: an outbox
 * (webhooks queue their deliveries there), so the work is kept exactly when the change is. `startedAt` is when the
 * transaction began: rows it wrote carry timestamps at or after it. `tx.emit` publishes an event of the listener's own
 * (e.g. a notification it created) after the commit, like the transaction's; other listeners do not hear it. A
 * listener that throws rolls the change back.
 */
export type TransactionalListener = (
  ctx: Ctx,
  trx: Transaction<DB>,
  events: readonly DomainEvent[],
  tx: { startedAt: number; emit: (e: DomainEvent) => void },
) => Promise<void>
const transactionalListeners: TransactionalListener[] = []
export const registerTransactionalListener = (listener: TransactionalListener) => {
  if (!transactionalListeners.includes(listener)) transactionalListeners.push(listener)
}

/**
 * Runs work in one transaction and publishes the events it emitted only after the commit,
 * so nobody is told about a change that was rolled back.
 */
export async function inTransaction<T>(ctx: Ctx, work: (trx: Transaction<DB>, emit: (e: DomainEvent) => void) => Promise<T>): Promise<T> {
  let published: DomainEvent[] = []
  const result = await ctx.db.transaction().execute(async (trx) => {
    const done = await runWork(ctx, trx, work)
    published = done.events
    return done.value
  })
  for (const e of published) ctx.realtime.publish(e)
  return result
}

/**
 * One unit of work in an open transaction, then the transactional listeners on its events. Returns its value and the
 * events to publish once the transaction commits (its own, then those the listeners emitted).
 */
export async function runWork<T>(
  ctx: Ctx,
  trx: Transaction<DB>,
  work: (trx: Transaction<DB>, emit: (e: DomainEvent) => void) => Promise<T>,
): Promise<{ value: T; events: DomainEvent[] }> {
  const events: DomainEvent[] = []
  const derived: DomainEvent[] = []
  const startedAt = now()
  const value = await work(trx, (e) => events.push(e))
  if (events.length) for (const listener of transactionalListeners) await listener(ctx, trx, events, { startedAt, emit: (e) => derived.push(e) })
  return { value, events: [...events, ...derived] }
}
