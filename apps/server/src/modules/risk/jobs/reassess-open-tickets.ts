import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { UNSOLVED } from '../../tickets/tickets.queries.ts'
import { reassessTickets } from '../risk.hooks.ts'

type Payload = { run: string; afterId: number }
const BATCH = 500
const RUN_KEY = 'riskReassessRun'

/**
 * After risk rules or categories change: reassesses every unsolved ticket in batches of 500 by id, each
 * batch its own job, so a million tickets never block a request. A newer change supersedes a run still
 * going (the run id is kept in settings and checked at each batch).
 */
export const reassessOpenTicketsJob: JobDefinition<Payload> = {
  name: 'reassess-open-tickets',
  label: 'Reassess ticket risk',
  maxAttempts: 5,
  async handle(ctx, p) {
    const current = await ctx.db.selectFrom('settings').select('value').where('key', '=', RUN_KEY).executeTakeFirst()
    if (current && JSON.parse(current.value) !== p.run) return
    const rows = await ctx.db
      .selectFrom('tickets')
      .select('id')
      .where('id', '>', p.afterId)
      .where('status', 'in', UNSOLVED)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    await reassessTickets(
      ctx,
      rows.map((r) => r.id),
    )
    const last = rows[rows.length - 1]
    if (rows.length === BATCH && last)
      await enqueueJob(ctx.db, reassessOpenTicketsJob, { run: p.run, afterId: last.id }, { idempotencyKey: `reassess-risk:${p.run}:${last.id}` })
  },
}

/** Starts a fresh reassessment of open tickets (superseding any run in progress). */
export async function startReassessment(db: Executor): Promise<void> {
  const run = `${now()}-${Math.random().toString(36).slice(2, 8)}`
  await db
    .insertInto('settings')
    .values({ key: RUN_KEY, value: JSON.stringify(run) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(run) }))
    .execute()
  await enqueueJob(db, reassessOpenTicketsJob, { run, afterId: 0 }, { idempotencyKey: `reassess-risk:${run}:0` })
}
