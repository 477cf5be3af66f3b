import { now } from '../../../platform/clock.ts'
import { recurringJob } from '../../../platform/jobs.ts'
import { scanTimeRules } from '../automations.engine.ts'

const EVERY_MS = 60_000
/** Firings are kept a week: long enough for the hourly cap and the run history, short enough to stay small. */
const KEEP_FIRINGS_MS = 7 * 24 * 3_600_000

/**
 * Every minute: one bounded batch per enabled time rule, then queue the next run (one per slot, however many
 * processes ask). Old firing rows are purged on the way.
 */
export const { job: scanTimeRulesJob, schedule: scheduleTimeRuleScan } = recurringJob({
  name: 'scan-automation-time-rules',
  label: 'Run time-based automations',
  everyMs: EVERY_MS,
  async run(ctx) {
    await scanTimeRules(ctx)
    await ctx.db
      .deleteFrom('automationFirings')
      .where('firedAt', '<', now() - KEEP_FIRINGS_MS)
      .execute()
  },
})
