import { recurringJob } from '../../../platform/jobs.ts'
import { drainReportQueue } from '../reports.engine.ts'

const EVERY_MS = 5_000
/** Batches per run: enough to keep up with a busy help desk, bounded so one run stays short. */
const MAX_BATCHES = 20

/**
 * Every five seconds, recompute the tickets marked for reports (batch by batch until the queue is
 * empty or the run's bound is reached), then queue the next run: one per slot however many processes
 * ask. A crash loses nothing: a batch's queue rows are deleted in the transaction that recomputes them.
 */
export const { job: drainReportQueueJob, schedule: scheduleReportDrain } = recurringJob({
  name: 'drain-report-queue',
  label: 'Update report figures',
  everyMs: EVERY_MS,
  async run(ctx) {
    for (let i = 0; i < MAX_BATCHES; i++) if (!(await drainReportQueue(ctx))) break
  },
})
