import { DateTime } from 'luxon'
import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { writeJson } from '../../platform/json.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { syncRotationShifts } from './rotations.generate.ts'
import { replaceCohort } from './rotations.queries.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ZONE = 'Europe/Berlin'

const HOLIDAY_SNIPPETS = [
  { title: 'Thanks for waiting', body: 'Hi there,\n\nThanks for your patience over the holidays — I am covering for our support team today.' },
  { title: 'Looping in support', body: 'I have passed this to our support specialists, who will follow up as soon as they are back.' },
  { title: 'Sign-off', body: 'Happy holidays,\nThe Lumen Bank team' },
]

/**
 * Demo rotations: a weekly "Engineering support Tuesday" for the contributors (one of them on shift
 * right now), an onboarding week for one new hire, and a past "Holiday all-hands" window with its shifts
 * and a few held replies, so its summary has something to show. Deterministic for a given seed.
 */
export async function seedRotationsDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  if (await db.selectFrom('rotations').select('id').limit(1).executeTakeFirst()) return
  const t = now()
  const contributors = world.contributors
  if (!contributors.length) return
  const today = DateTime.fromMillis(t, { zone: ZONE }).startOf('day')
  const base = {
    timeZone: ZONE,
    oncallTeamId: null,
    snippets: writeJson([]),
    isActive: 1,
    createdById: null,
    createdAt: t - 30 * DAY,
    updatedAt: t - 30 * DAY,
  }
  await db.transaction().execute(async (trx) => {
    const tuesday = await trx
      .insertInto('rotations')
      .values({
        ...base,
        name: 'Engineering support Tuesday',
        kind: 'recurring',
        quotaPerYear: 12,
        swapRequiresApproval: 1,
        reviewRequired: 0,
        reminderLeadMinutes: 60,
        schedule: writeJson({
          recurrence: { frequency: 'weekly', weekdays: [2], interval: 1, hours: { start: '09:00', end: '13:00' } },
          startsOn: null,
          days: null,
          hours: null,
          startsAt: null,
          endsAt: null,
          dailyHours: null,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceCohort(trx, tuesday.id, { userIds: contributors.map((c) => c.id), teamIds: [] })
    await syncRotationShifts(trx, tuesday.id, t)

    // Someone on shift now (started a little early), and attended Tuesdays behind everyone for quota progress.
    const onDuty = contributors[0]!
    await trx
      .insertInto('shifts')
      .values({
        rotationId: tuesday.id,
        userId: onDuty.id,
        plannedUserId: null,
        startsAt: t - HOUR,
        endsAt: t + 3 * HOUR,
        startedAt: t - HOUR - 10 * 60_000,
        endedAt: null,
        reviewRequired: 0,
        createdAt: t - HOUR,
      })
      .execute()
    for (let week = 0; week <= 6; week++) {
      const day = today.minus({ weeks: week }).set({ weekday: 2, hour: 9 })
      if (day.toMillis() + 4 * HOUR > t) continue
      for (const c of contributors) {
        const startsAt = day.toMillis()
        const showed = rng.chance(0.8)
        const late = showed && rng.chance(0.2)
        await trx
          .insertInto('shifts')
          .values({
            rotationId: tuesday.id,
            userId: c.id,
            plannedUserId: c.id,
            startsAt,
            endsAt: startsAt + 4 * HOUR,
            startedAt: showed ? startsAt + (late ? rng.int(10, 40) : rng.int(-10, 2)) * 60_000 : null,
            endedAt: showed ? startsAt + 4 * HOUR : null,
            reviewRequired: 0,
            createdAt: startsAt - 7 * DAY,
          })
          .onConflict((oc) => oc.doNothing())
          .execute()
      }
    }

    const newHire = contributors[contributors.length - 1]!
    const monday = today.plus({ weeks: 1 }).set({ weekday: 1 })
    const onboarding = await trx
      .insertInto('rotations')
      .values({
        ...base,
        name: `Onboarding: ${newHire.name}`,
        kind: 'onboarding',
        quotaPerYear: null,
        swapRequiresApproval: 0,
        reviewRequired: 1,
        reminderLeadMinutes: 30,
        schedule: writeJson({
          recurrence: null,
          startsOn: monday.toISODate(),
          days: 5,
          hours: { start: '09:00', end: '17:00' },
          startsAt: null,
          endsAt: null,
          dailyHours: null,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceCohort(trx, onboarding.id, { userIds: [newHire.id], teamIds: [] })
    await syncRotationShifts(trx, onboarding.id, t)

    // A past holiday window: shifts are history, so they are written as they happened.
    const first = today.minus({ days: 20 })
    const last = today.minus({ days: 18 })
    const holidayCreatedAt = first.minus({ days: 7 }).toMillis()
    const holiday = await trx
      .insertInto('rotations')
      .values({
        ...base,
        name: 'Holiday all-hands',
        kind: 'all_hands',
        quotaPerYear: null,
        swapRequiresApproval: 0,
        reviewRequired: 1,
        reminderLeadMinutes: 60,
        snippets: writeJson(HOLIDAY_SNIPPETS),
        schedule: writeJson({
          recurrence: null,
          startsOn: null,
          days: null,
          hours: null,
          startsAt: first.toISODate(),
          endsAt: last.toISODate(),
          dailyHours: { start: '10:00', end: '16:00' },
        }),
        createdAt: holidayCreatedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceCohort(trx, holiday.id, { userIds: contributors.map((c) => c.id), teamIds: [] })
    const tickets = await trx.selectFrom('tickets').select(['id']).orderBy('id', 'desc').limit(40).execute()
    const reviewer = world.agents[0]
    for (let d = first; d <= last; d = d.plus({ days: 1 })) {
      for (const c of contributors) {
        const startsAt = d.set({ hour: 10 }).toMillis()
        const endsAt = d.set({ hour: 16 }).toMillis()
        const showed = rng.chance(0.85)
        await trx
          .insertInto('shifts')
          .values({
            rotationId: holiday.id,
            userId: c.id,
            plannedUserId: c.id,
            startsAt,
            endsAt,
            startedAt: showed ? startsAt + rng.int(-15, 5) * 60_000 : null,
            endedAt: showed ? endsAt - (rng.chance(0.15) ? 2 * HOUR : 0) : null,
            reviewRequired: 1,
            createdAt: holidayCreatedAt,
            remindedAt: startsAt - HOUR,
          })
          .execute()
        if (!showed || !tickets.length || !reviewer) continue
        for (let n = rng.int(0, 2); n > 0; n--) {
          const ticket = rng.pick(tickets)
          const status = rng.pick(['approved', 'approved', 'approved', 'rejected'] as const)
          const edited = status === 'approved' && rng.chance(0.3)
          const html = '<p>Hi there,</p><p>Thanks for your patience over the holidays. I have checked your account and the payment is on its way.</p>'
          await trx
            .insertInto('replyReviews')
            .values({
              ticketId: ticket.id,
              authorId: c.id,
              status,
              html,
              text: 'Hi there, Thanks for your patience over the holidays. I have checked your account and the payment is on its way.',
              attachmentIds: writeJson([]),
              requestedStatus: null,
              reason: 'Replies during this shift are reviewed before sending',
              reviewerId: reviewer.id,
              finalHtml: status === 'approved' ? (edited ? `${html}<p>It should arrive within two working days.</p>` : html) : null,
              feedback: status === 'rejected' ? 'Please check the transfer status in the admin tool before promising a date.' : null,
              messageId: null,
              createdAt: startsAt + rng.int(1, 5) * HOUR,
              decidedAt: startsAt + 5 * HOUR + 30 * 60_000,
            })
            .execute()
        }
      }
    }
  })
}
