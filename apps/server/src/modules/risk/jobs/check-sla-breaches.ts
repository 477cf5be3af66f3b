import type { RiskRuleConfig } from '@allhands/contract'
import { now } from '../../../platform/clock.ts'
import { recurringJob } from '../../../platform/jobs.ts'
import { readJson } from '../../../platform/json.ts'
import { reassessTickets } from '../risk.hooks.ts'

const EVERY_MS = 5 * 60_000
const BATCH = 500
const WATERMARK_KEY = 'riskSlaWatermark'

/**
 * Time alone breaches a first-response SLA, without any new message: every five minutes, reassess the
 * unanswered waiting tickets that crossed the shortest SLA rule's limit since the last run (read in
 * creation order through the partial tickets_unanswered index, from a watermark kept in settings).
 */
export const { job: checkSlaBreachesJob, schedule: scheduleSlaCheck } = recurringJob({
  name: 'check-sla-breaches',
  label: 'Check SLA breaches',
  everyMs: EVERY_MS,
  async run(ctx) {
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
  },
})
