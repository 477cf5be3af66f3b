import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { computeSuggestions } from '../voc.suggestions.service.ts'

type Payload = { slot: number }
const EVERY_MS = 24 * 3600_000

/**
 * Once a day, groups the recent tickets into voice-of-customer suggestions (new items and links to
 * existing ones). Reruns are harmless: a run replaces the pending suggestions and keeps decided ones.
 */
export const computeVocSuggestionsJob: JobDefinition<Payload> = {
  name: 'compute-voc-suggestions',
  label: 'Suggest voice-of-customer links',
  maxAttempts: 3,
  async handle(ctx) {
    try {
      await computeSuggestions(ctx.db, (e) => ctx.realtime.publish(e))
    } finally {
      await scheduleVocSuggestions(ctx.db)
    }
  },
}

/** Queues the next daily run (one per day slot however many processes ask). */
export async function scheduleVocSuggestions(db: Executor): Promise<void> {
  const slot = Math.floor(now() / EVERY_MS) + 1
  await enqueueJob(db, computeVocSuggestionsJob, { slot }, { runAt: slot * EVERY_MS, idempotencyKey: `compute-voc-suggestions:${slot}` })
}
