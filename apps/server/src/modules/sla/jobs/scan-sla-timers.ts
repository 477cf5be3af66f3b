import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { scanSlaTimers } from '../sla.scan.ts'

type Payload = { slot: number }
const EVERY_MS = 60_000

/** Every minute: mark SLA clocks that passed their warning or due time and announce them once. */
export const scanSlaTimersJob: JobDefinition<Payload> = {
  name: 'scan-sla-timers',
  label: 'Check SLA timers for warnings and breaches',
  maxAttempts: 3,
  keepDoneMs: 3_600_000,
  async handle(ctx) {
    try {
      await scanSlaTimers(ctx)
    } finally {
      await scheduleSlaScan(ctx.db)
    }
  },
}

/** Queues the next run (one per minute slot however many processes ask). */
export async function scheduleSlaScan(db: Executor): Promise<void> {
  const slot = Math.floor(now() / EVERY_MS) + 1
  await enqueueJob(db, scanSlaTimersJob, { slot }, { runAt: slot * EVERY_MS, idempotencyKey: `scan-sla-timers:${slot}` })
}
