import { AsyncResource } from 'node:async_hooks'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type Ctx, inTransaction, runWork } from './context.ts'
import type { DomainEvent } from './realtime.ts'

type Work<T> = (trx: Transaction<DB>, emit: (e: DomainEvent) => void) => Promise<T>

interface Queued {
  work: Work<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

interface Queue {
  items: Queued[]
  draining: boolean
}

/** A batch stops taking queued work after this long, so reads waiting for SQLite's one connection get their turn. */
const BATCH_BUDGET_MS = 10
const BATCH_MAX_ITEMS = 64

const queues = new WeakMap<Kysely<DB>, Queue>()

/**
 * Group commit: like inTransaction, but on SQLite the work of concurrent callers shares one transaction. SQLite has
 * one writer and every commit writes each page the transaction changed to the write-ahead log; mail arriving together
 * changes the same pages (table tails, index leaves, the search index's newest segment), so one commit for a batch
 * writes far less than one per message. Every caller's promise settles after the commit, with its own events
 * published then. When one unit throws, the batch is rolled back and each of its units runs again alone in its own
 * transaction, so only the failing one's caller sees the error: work given here may run twice and must keep its
 * effects inside the transaction (or make them idempotent, like blob writes). Savepoints would spare the rerun but
 * cost every unit a statement journal, which SQLite spills to a temporary file beyond 64 KB.
 * PostgreSQL runs concurrent transactions on separate connections and flushes their commits to disk together by
 * itself: there this is inTransaction.
 */
export function inGroupCommit<T>(ctx: Ctx, work: Work<T>): Promise<T> {
  if (ctx.dialect !== 'sqlite') return inTransaction(ctx, work)
  const q = queues.get(ctx.db) ?? { items: [], draining: false }
  queues.set(ctx.db, q)
  return new Promise<T>((resolve, reject) => {
    // Each unit runs in its caller's async context (who is asking, for the audit log), not in the batch's.
    q.items.push({ work: AsyncResource.bind(work), resolve: resolve as (value: unknown) => void, reject })
    if (!q.draining) {
      q.draining = true
      void drain(ctx, q)
    }
  })
}

async function drain(ctx: Ctx, queue: Queue): Promise<void> {
  try {
    // Work queued in the same turn of the event loop joins the first batch; later work waits for the next commit.
    await yieldToEventLoop()
    while (queue.items.length) {
      await commitBatch(ctx, queue)
      await yieldToEventLoop()
    }
  } finally {
    queue.draining = false
  }
}

async function commitBatch(ctx: Ctx, queue: Queue): Promise<void> {
  const taken: Queued[] = []
  const done: { value: unknown; events: DomainEvent[] }[] = []
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const started = performance.now()
      while (queue.items.length && taken.length < BATCH_MAX_ITEMS && (taken.length === 0 || performance.now() - started < BATCH_BUDGET_MS)) {
        const item = queue.items.shift()!
        taken.push(item)
        // A unit that throws rolls the whole batch back (below).
        done.push(await runWork(ctx, trx, item.work))
      }
    })
  } catch (error) {
    if (taken.length === 0) {
      // The transaction could not even begin: nothing ran.
      for (const item of queue.items.splice(0)) item.reject(error)
      return
    }
    if (taken.length === 1) return taken[0]!.reject(error)
    // Nothing of the batch was kept: each unit again, alone.
    for (const item of taken) await inTransaction(ctx, item.work).then(item.resolve, item.reject)
    return
  }
  taken.forEach((item, i) => {
    for (const e of done[i]!.events) ctx.realtime.publish(e)
    item.resolve(done[i]!.value)
  })
}
