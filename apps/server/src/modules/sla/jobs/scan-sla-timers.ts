import { recurringJob } from '../../../platform/jobs.ts'
import { scanSlaTimers } from '../sla.scan.ts'

const EVERY_MS = 60_000

/** Every minute: mark SLA clocks that passed their warning or due time and announce them once. */
export const { job: scanSlaTimersJob, schedule: scheduleSlaScan } = recurringJob({
  name: 'scan-sla-timers',
  label: 'Check SLA timers for warnings and breaches',
  everyMs: EVERY_MS,
  async run(ctx) {
    await scanSlaTimers(ctx)
  },
})
