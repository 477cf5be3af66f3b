import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { enqueueShiftReminder } from './jobs/remind-shift.ts'
import { cohortsOf, findRotation, resolveCohort, scheduleOf } from './rotations.queries.ts'
import { HORIZON_MS, plannedSlots } from './rotations.schedule.ts'

/**
 * Brings a rotation's shifts in line with its schedule and enrolment, from now to the horizon: creates
 * missing shifts (one per rotation, planned person and start — rerunning never duplicates), updates
 * planned times and review settings of shifts not started yet, and removes future unstarted shifts nobody
 * plans any more. Shifts already running or past are history and stay as they are. A slot an admin
 * removed stays removed; a swapped shift keeps its slot under the person originally planned.
 */
export async function syncRotationShifts(
  trx: Executor,
  rotationId: number,
  at = now(),
): Promise<{ created: number; updated: number; removed: number; userIds: number[] }> {
  const rotation = await findRotation(trx, rotationId)
  const existing = await trx
    .selectFrom('shifts')
    .select(['id', 'userId', 'plannedUserId', 'startsAt', 'endsAt', 'startedAt', 'endedAt', 'reviewRequired'])
    .where('rotationId', '=', rotationId)
    .where('endsAt', '>', at)
    .execute()
  const isFuture = (s: (typeof existing)[number]) => s.startsAt > at && s.startedAt === null && s.endedAt === null
  const touched = new Set<number>()
  const wanted = new Map<string, { userId: number; startsAt: number; endsAt: number }>()
  if (rotation?.isActive) {
    const cohort = (await cohortsOf(trx, [rotationId])).get(rotationId)!
    const people = await resolveCohort(trx, cohort)
    const slots = plannedSlots(
      rotation.kind,
      rotation.timeZone,
      scheduleOf(rotation),
      rotation.createdAt,
      at,
      rotation.kind === 'recurring' ? at + HORIZON_MS : Number.MAX_SAFE_INTEGER,
    )
    const skips = new Set(
      (await trx.selectFrom('shiftSkips').select(['userId', 'startsAt']).where('rotationId', '=', rotationId).execute()).map(
        (s) => `${s.userId}:${s.startsAt}`,
      ),
    )
    for (const userId of people)
      for (const slot of slots) if (!skips.has(`${userId}:${slot.startsAt}`)) wanted.set(`${userId}:${slot.startsAt}`, { userId, ...slot })
  }
  const reviewRequired = rotation?.reviewRequired ?? 0
  let updated = 0
  let removed = 0
  const have = new Set<string>()
  for (const s of existing) {
    const key = `${s.plannedUserId ?? s.userId}:${s.startsAt}`
    const want = wanted.get(key)
    if (want) have.add(key)
    if (!isFuture(s)) continue
    if (!want) {
      await trx.deleteFrom('shifts').where('id', '=', s.id).execute()
      touched.add(s.userId)
      removed++
    } else if (want.endsAt !== s.endsAt || s.reviewRequired !== reviewRequired) {
      await trx.updateTable('shifts').set({ endsAt: want.endsAt, reviewRequired }).where('id', '=', s.id).execute()
      touched.add(s.userId)
      updated++
    }
  }
  let created = 0
  const t = now()
  for (const [key, want] of wanted) {
    if (have.has(key)) continue
    const row = await trx
      .insertInto('shifts')
      .values({
        rotationId,
        userId: want.userId,
        plannedUserId: want.userId,
        startsAt: want.startsAt,
        endsAt: want.endsAt,
        startedAt: null,
        endedAt: null,
        reviewRequired,
        createdAt: t,
      })
      .onConflict((oc) => oc.columns(['rotationId', 'plannedUserId', 'startsAt']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) continue
    created++
    touched.add(want.userId)
    await enqueueShiftReminder(trx, { id: row.id, userId: want.userId, startsAt: want.startsAt }, rotation?.reminderLeadMinutes ?? 60)
  }
  return { created, updated, removed, userIds: [...touched] }
}
