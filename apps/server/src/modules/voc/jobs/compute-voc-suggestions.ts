import { recurringJob } from '../../../platform/jobs.ts'
import { computeSuggestions } from '../voc.suggestions.service.ts'

const EVERY_MS = 24 * 3600_000

/**
 * Once a day, groups the recent tickets into voice-of-customer suggestions (new items and links to
 * existing ones). Reruns are harmless: a run replaces the pending suggestions and keeps decided ones.
 */
export const { job: computeVocSuggestionsJob, schedule: scheduleVocSuggestions } = recurringJob({
  name: 'compute-voc-suggestions',
  label: 'Suggest voice-of-customer links',
  everyMs: EVERY_MS,
  async run(ctx) {
    await computeSuggestions(ctx.db, (e) => ctx.realtime.publish(e))
  },
})
