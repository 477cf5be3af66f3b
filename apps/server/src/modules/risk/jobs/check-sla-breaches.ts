import type { RiskRuleConfig } from '@allhands/contract'
import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { readJson } from '../../../platform/json.ts'
import { reassessTickets } from '../risk.hooks.ts'

type Payload = { slot: number }
const EVERY_MS = 5 * 60_000
const BATCH = 500
const WATERMARK_KEY = 'riskSlaWatermark'

/**
 * Time alone breaches a first-response SLA, without any new message: every five minutes, reassess the
 * unanswered waiting tickets that crossed the shortest SLA rule's limit since the last run (read in
 * creation order through the tickets_created index, from a watermark kept in settings).
 */
export const checkSlaBreachesJob: JobDefinition<Payload> = {
  name: 'check-sla-breaches',
  label: 'Check SLA breaches',
  maxAttempts: 3,
  async handle(ctx) {
    try {
      const rules = await ctx.db.selectFrom('riskRules').select('config').where('type', '=', 'sla_breach').where('enabled', '=', 1).execute()
      const hours = rules.map((r) => readJson<RiskRuleConfig>(r.config, {}).hours ?? 24)
      if (!hours.length) return
      const cutoff = now() - Math.min(...hours) * 3_600_000
      const stored = await ctx.db.selectFrom('settings').select('value').where('key', '=', WATERMARK_KEY).executeTakeFirst()
      const from = stored ? Number(JSON.parse(stored.value)) : cutoff - 30 * 24 * 3_600_000
      const rows = await ctx.db
        .selectFrom('tickets')
        .select(['id', 'createdAt'])
        .where('createdAt', '>', from)
        .where('createdAt', '<=', cutoff)
        .where('firstResponseAt', 'is', null)
        .where('status', 'in', ['new', 'open'])
        .orderBy('createdAt')
        .orderBy('id')
        .limit(BATCH)
        .execute()
      await reassessTickets(
        ctx,
        rows.map((r) => r.id),
      )
      const watermark = rows.length === BATCH ? rows[rows.length - 1]!.createdAt : cutoff
      await ctx.db
        .insertInto('settings')
        .values({ key: WATERMARK_KEY, value: JSON.stringify(watermark) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(watermark) }))
        .execute()
    } finally {
      await scheduleSlaCheck(ctx.db)
    }
  },
}

/** Queues the next run (one per five-minute slot however many processes ask). */
export async function scheduleSlaCheck(db: Executor): Promise<void> {
  const slot = Math.floor(now() / EVERY_MS) + 1
  await enqueueJob(db, checkSlaBreachesJob, { slot }, { runAt: slot * EVERY_MS, idempotencyKey: `check-sla-breaches:${slot}` })
}
