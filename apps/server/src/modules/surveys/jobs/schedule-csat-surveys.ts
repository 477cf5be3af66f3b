import { afterCursor } from '../../../platform/cursor.ts'
import { now } from '../../../platform/clock.ts'
import { enqueueJob, recurringJob } from '../../../platform/jobs.ts'
import { readJson } from '../../../platform/json.ts'
import { createCsatRequests, DAY, expireCsatRequests } from '../csat.service.ts'
import { CSAT_WATERMARK_KEY, readCsatSettings, writeSetting } from '../csat.settings.ts'
import { sendCsatSurveyJob } from './send-csat-survey.ts'

type Watermark = { at: number; id: number }
const EVERY_MS = 60_000
const BATCH = 500

/**
 * Every minute: tickets solved at least the configured delay ago, read in solve order through the
 * tickets(solved_at) index from a (solved_at, id) watermark, get one CSAT request per solve and a send job
 * each. Requests whose links ran out become expired. Turned off, the watermark still moves on.
 */
export const { job: scheduleCsatSurveysJob, schedule: scheduleCsatSurveys } = recurringJob({
  name: 'schedule-csat-surveys',
  label: 'Schedule satisfaction surveys',
  everyMs: EVERY_MS,
  async run(ctx) {
    const settings = await readCsatSettings(ctx.db)
    const cutoff = now() - settings.delayMinutes * 60_000
    const stored = await ctx.db.selectFrom('settings').select('value').where('key', '=', CSAT_WATERMARK_KEY).executeTakeFirst()
    const raw = readJson<Watermark | number | null>(stored?.value ?? null, null)
    const from: Watermark = typeof raw === 'number' ? { at: raw, id: 0 } : (raw ?? { at: cutoff - DAY, id: 0 })
    if (!settings.enabled) {
      await writeSetting(ctx.db, CSAT_WATERMARK_KEY, { at: Math.max(from.at, cutoff), id: 0 })
      return
    }
    // Only the solve time narrows the read: with the status in the query too, SQLite at a million tickets walks the
    // status index (most tickets are solved) and sorts, 1.2 s with the server stalled. Reopened tickets are passed over.
    const rows = await ctx.db
      .selectFrom('tickets')
      .select(['id', 'requesterId', 'solvedAt', 'status'])
      .where((eb) => afterCursor(eb, 'solvedAt', 'id', 'asc', from.at, from.id))
      .where('solvedAt', '<=', cutoff)
      .orderBy('solvedAt')
      .orderBy('id')
      .limit(BATCH)
      .execute()
    await ctx.db.transaction().execute(async (trx) => {
      const solved = rows
        .filter((r) => r.status === 'solved' || r.status === 'closed')
        .map((r) => ({ id: r.id, requesterId: r.requesterId, solvedAt: r.solvedAt! }))
      for (const id of await createCsatRequests(trx, solved, settings))
        await enqueueJob(trx, sendCsatSurveyJob, { requestId: id }, { idempotencyKey: `send-csat-survey:${id}` })
      const last = rows[rows.length - 1]
      await writeSetting(
        trx,
        CSAT_WATERMARK_KEY,
        rows.length === BATCH && last ? { at: last.solvedAt!, id: last.id } : { at: Math.max(from.at, cutoff), id: 0 },
      )
    })
    await expireCsatRequests(ctx.db)
  },
})
