import type { DailyHours, RecurrenceRule, RotationScheduleDto } from '@allhands/contract'
import { DateTime, IANAZone } from 'luxon'
import { unprocessable } from '../../platform/errors.ts'

/**
 * When a rotation's shifts fall: pure functions from a schedule and a time zone to planned slots in
 * epoch ms. Times are wall-clock times in the rotation's zone, so a 09:00 shift stays at 09:00 across a
 * daylight-saving change (and is then an hour apart in UTC).
 */
export type Slot = { startsAt: number; endsAt: number }

/** Recurring rotations are generated this far ahead; the daily job keeps the horizon moving. */
export const HORIZON_MS = 8 * 7 * 86_400_000
const MAX_WINDOW_DAYS = 92

export const isValidTimeZone = (zone: string) => IANAZone.isValidZone(zone)

function day(date: string, zone: string, field: string): DateTime<true> {
  const d = DateTime.fromISO(date, { zone })
  if (!d.isValid) throw unprocessable(`${field} is not a valid date: ${date}`)
  return d.startOf('day') as DateTime<true>
}

/** The slot for one calendar day: an end at or before the start runs past midnight (night shifts). */
export function slotOn(date: DateTime, hours: DailyHours): Slot {
  const at = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number]
    return h === 24 ? date.plus({ days: 1 }).startOf('day') : date.set({ hour: h, minute: m, second: 0, millisecond: 0 })
  }
  const start = at(hours.start)
  let end = at(hours.end)
  if (end <= start) end = at(hours.end).plus({ days: 1 })
  return { startsAt: start.toMillis(), endsAt: end.toMillis() }
}

function recurrenceMatches(rule: RecurrenceRule, d: DateTime, firstDay: DateTime): boolean {
  if (!rule.weekdays.includes(d.weekday)) return false
  if (rule.frequency === 'weekly') {
    const weeks = Math.round(d.startOf('week').diff(firstDay.startOf('week'), 'weeks').weeks)
    return weeks % (rule.interval ?? 1) === 0
  }
  if (rule.frequency === 'monthly') {
    const nth = rule.nth ?? 1
    return nth === -1 ? d.plus({ days: 7 }).month !== d.month : Math.ceil(d.day / 7) === nth
  }
  return d.weekNumber === (rule.week ?? 1)
}

/** Checks a schedule once, at the boundary, so generation never meets a bad one. */
export function validateSchedule(kind: string, timeZone: string, s: RotationScheduleDto): void {
  if (!isValidTimeZone(timeZone)) throw unprocessable(`Unknown time zone: ${timeZone}`)
  const hours = [s.recurrence?.hours, s.hours, s.dailyHours].filter((h): h is DailyHours => !!h)
  for (const h of hours) if (h.start === h.end) throw unprocessable('A shift must start and end at different times')
  if (kind === 'recurring') {
    if (!s.recurrence) throw unprocessable('A recurring rotation needs a schedule')
    if (s.recurrence.startsOn) day(s.recurrence.startsOn, timeZone, 'schedule.startsOn')
    if (s.recurrence.frequency === 'yearly' && !s.recurrence.week) throw unprocessable('A yearly rotation needs the ISO week (schedule.week)')
  } else if (kind === 'onboarding') {
    if (!s.startsOn || !s.days || !s.hours) throw unprocessable('An onboarding rotation needs startsOn, days and hours')
    day(s.startsOn, timeZone, 'startsOn')
  } else {
    if (!s.startsAt || !s.endsAt) throw unprocessable('An all-hands window needs startsAt and endsAt')
    const from = day(s.startsAt, timeZone, 'startsAt')
    const to = day(s.endsAt, timeZone, 'endsAt')
    if (to < from) throw unprocessable('endsAt must be on or after startsAt')
    if (to.diff(from, 'days').days + 1 > MAX_WINDOW_DAYS) throw unprocessable(`An all-hands window lasts at most ${MAX_WINDOW_DAYS} days`)
  }
}

/**
 * Every slot of the schedule that ends after `from` and starts before `to` (recurring rotations need a
 * finite `to`; onboarding and all-hands windows are finite by themselves).
 */
export function plannedSlots(kind: string, timeZone: string, s: RotationScheduleDto, createdAt: number, from: number, to: number): Slot[] {
  const out: Slot[] = []
  const keep = (slot: Slot) => {
    if (slot.endsAt > from && slot.startsAt < to) out.push(slot)
  }
  if (kind === 'recurring' && s.recurrence) {
    const rule = s.recurrence
    const firstDay = rule.startsOn ? day(rule.startsOn, timeZone, 'startsOn') : DateTime.fromMillis(createdAt, { zone: timeZone }).startOf('day')
    // A night shift from yesterday may still be running at `from`.
    let d: DateTime = DateTime.fromMillis(Math.max(from - 86_400_000, firstDay.toMillis()), { zone: timeZone }).startOf('day')
    if (d < firstDay) d = firstDay
    const last = DateTime.fromMillis(to, { zone: timeZone }).startOf('day')
    while (d <= last) {
      if (recurrenceMatches(rule, d, firstDay)) keep(slotOn(d, rule.hours))
      d = d.plus({ days: 1 })
    }
  } else if (kind === 'onboarding' && s.startsOn && s.days && s.hours) {
    let d = day(s.startsOn, timeZone, 'startsOn')
    for (let n = 0; n < s.days; d = d.plus({ days: 1 })) {
      if (d.weekday > 5) continue
      keep(slotOn(d, s.hours))
      n++
    }
  } else if (kind === 'all_hands' && s.startsAt && s.endsAt) {
    const first = day(s.startsAt, timeZone, 'startsAt')
    const last = day(s.endsAt, timeZone, 'endsAt')
    if (!s.dailyHours) keep({ startsAt: first.toMillis(), endsAt: last.plus({ days: 1 }).startOf('day').toMillis() })
    else for (let d = first; d <= last; d = d.plus({ days: 1 })) keep(slotOn(d, s.dailyHours))
  }
  return out
}
