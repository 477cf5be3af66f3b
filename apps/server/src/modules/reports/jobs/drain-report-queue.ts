import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { drainReportQueue } from '../reports.engine.ts'

type Payload = { slot: number }
const EVERY_MS = 5_000
/** Batches per run: enough to keep up with a busy help desk, bounded so one run stays short. */
const MAX_BATCHES = 20

/**
 * Every five seconds, recompute the tickets marked for reports (batch by batch until the queue is
 * empty or the run's bound is reached), then queue the next run: one per slot however many processes
 * ask. A crash loses nothing: a batch's queue rows are deleted in the transaction that recomputes them.
 */
export const drainReportQueueJob: JobDefinition<Payload> = {
  name: 'drain-report-queue',
  label: 'Update report figures',
  maxAttempts: 3,
  keepDoneMs: 3_600_000,
  async handle(ctx) {
    try {
      for (let i = 0; i < MAX_BATCHES; i++) if (!(await drainReportQueue(ctx))) break
    } finally {
      await scheduleReportDrain(ctx.db)
    }
  },
}

export async function scheduleReportDrain(db: Executor): Promise<void> {
  const slot = Math.floor(now() / EVERY_MS) + 1
  await enqueueJob(db, drainReportQueueJob, { slot }, { runAt: slot * EVERY_MS, idempotencyKey: `drain-report-queue:${slot}` })
}
