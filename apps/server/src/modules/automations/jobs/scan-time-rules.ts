import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { scanTimeRules } from '../automations.engine.ts'

type Payload = { slot: number }
const EVERY_MS = 60_000
/** Firings are kept a week: long enough for the hourly cap and the run history, short enough to stay small. */
const KEEP_FIRINGS_MS = 7 * 24 * 3_600_000

/**
 * Every minute: one bounded batch per enabled time rule, then queue the next run (one per slot, however many
 * processes ask). Old firing rows are purged on the way.
 */
export const scanTimeRulesJob: JobDefinition<Payload> = {
  name: 'scan-automation-time-rules',
  label: 'Run time-based automations',
  maxAttempts: 3,
  keepDoneMs: 3_600_000,
  async handle(ctx) {
    try {
      await scanTimeRules(ctx)
      await ctx.db
        .deleteFrom('automationFirings')
        .where('firedAt', '<', now() - KEEP_FIRINGS_MS)
        .execute()
    } finally {
      await scheduleTimeRuleScan(ctx.db)
    }
  },
}

export async function scheduleTimeRuleScan(db: Executor): Promise<void> {
  const slot = Math.floor(now() / EVERY_MS) + 1
  await enqueueJob(db, scanTimeRulesJob, { slot }, { runAt: slot * EVERY_MS, idempotencyKey: `scan-automation-time-rules:${slot}` })
}
