import type { Kysely, Transaction } from 'kysely'
import type { Config } from '../config.ts'
import type { Dialect } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { BlobStore } from './blobs.ts'
import type { ClusterBus } from './cluster-bus.ts'
import type { JobRunner } from './jobs.ts'
import type { DomainEvent, Realtime } from './realtime.ts'
import type { VisitorHub } from '../modules/chat/visitor-hub.ts'

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
}

export type Executor = Kysely<DB> | Transaction<DB>

/**
 * Runs work in one transaction and publishes the events it emitted only after the commit,
 * so nobody is told about a change that was rolled back.
 */
export async function inTransaction<T>(ctx: Ctx, work: (trx: Transaction<DB>, emit: (e: DomainEvent) => void) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = []
  const result = await ctx.db.transaction().execute((trx) => work(trx, (e) => events.push(e)))
  for (const e of events) ctx.realtime.publish(e)
  return result
}
