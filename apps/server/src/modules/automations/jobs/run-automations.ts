import type { JobDefinition } from '../../../platform/jobs.ts'
import { type AutomationEvent, runEventAutomations } from '../automations.engine.ts'

/** Runs the rules of one ticket event (queued by the transactional listener in the change's own transaction). */
export const runAutomationsJob: JobDefinition<AutomationEvent> = {
  name: 'run-automations',
  label: 'Run automations on a ticket event',
  maxAttempts: 3,
  keepDoneMs: 3_600_000,
  async handle(ctx, ev) {
    await runEventAutomations(ctx, ev)
  },
}
