import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { recurringJob } from '../../../platform/jobs.ts'
import { drainReportQueue } from '../reports.engine.ts'

const EVERY_MS = 5_000
/** How long one run may keep draining: enough to keep up with a busy help desk, bounded so one run stays short. */
const RUN_BUDGET_MS = 2_000

/**
 * Every five seconds, recompute the tickets marked for reports (batch by batch until the queue is
 * empty or the run's time is up), then queue the next run: one per slot however many processes
 * ask. Between batches the event loop serves whatever waits (requests, chat), so a long queue never
 * stalls the server. A crash loses nothing: a batch's queue rows are deleted in the transaction that
 * recomputes them.
 */
export const { job: drainReportQueueJob, schedule: scheduleReportDrain } = recurringJob({
  name: 'drain-report-queue',
  label: 'Update report figures',
  everyMs: EVERY_MS,
  async run(ctx) {
    const until = Date.now() + RUN_BUDGET_MS
    while (Date.now() < until && (await drainReportQueue(ctx))) await yieldToEventLoop()
  },
})
