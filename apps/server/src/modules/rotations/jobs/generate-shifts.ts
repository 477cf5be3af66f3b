import { DateTime } from 'luxon'
import { now } from '../../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { syncRotationShifts } from '../rotations.generate.ts'
import { shiftEvents } from '../rotations.events.ts'

/**
 * Once a day: moves every active rotation's horizon forward and picks up team changes, then queues
 * itself for the next day (one job per UTC day, whoever queues it).
 */
export const generateShiftsJob: JobDefinition<{ day: string }> = {
  name: 'generate-shifts',
  label: 'Generate rotation shifts',
  maxAttempts: 3,
  handle: async (ctx) => {
    const rotations = await ctx.db.selectFrom('rotations').select('id').where('isActive', '=', 1).orderBy('id').execute()
    for (const r of rotations) {
      await inTransaction(ctx, async (trx, emit) => {
        const result = await syncRotationShifts(trx, r.id)
        if (result.created || result.updated || result.removed) for (const e of shiftEvents(null, result.userIds, { rotationId: r.id })) emit(e)
      })
    }
    await enqueueDailyGeneration(ctx.db, 1)
  },
}

/** Queues the generation run for today (daysAhead 0) or a later UTC day, shortly after midnight. */
export async function enqueueDailyGeneration(db: Executor, daysAhead = 0): Promise<void> {
  const dayStart = DateTime.fromMillis(now(), { zone: 'utc' }).startOf('day').plus({ days: daysAhead })
  const day = dayStart.toISODate()!
  await enqueueJob(
    db,
    generateShiftsJob,
    { day },
    { runAt: daysAhead === 0 ? now() : dayStart.toMillis() + 5 * 60_000, idempotencyKey: `generate-shifts:${day}` },
  )
}

/** At start: keeps the daily run going where rotations exist (a fresh or rotation-less workspace queues nothing). */
export async function ensureDailyGeneration(ctx: Ctx): Promise<void> {
  const any = await ctx.db.selectFrom('rotations').select('id').where('isActive', '=', 1).limit(1).executeTakeFirst()
  if (any) await enqueueDailyGeneration(ctx.db, 0)
}
