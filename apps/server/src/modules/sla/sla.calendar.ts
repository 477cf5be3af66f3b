import { DateTime, IANAZone } from 'luxon'

/** One stretch of working time on a weekday, local "HH:MM"; an end at or before the start runs past midnight. */
export type BusinessInterval = { start: string; end: string }
/**
 * A business-hours calendar: `week[0]` is Monday … `week[6]` Sunday (ISO order), holidays are local dates
 * (`YYYY-MM-DD`) on which no interval starts. `null` anywhere a calendar is expected means 24/7.
 */
export type BusinessCalendar = { timeZone: string; week: BusinessInterval[][]; holidays: string[] }

/** How far ahead the walk looks for working time (a calendar with holidays all year still ends). */
const MAX_DAYS = 3 * 366

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/
export const isValidTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone)

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm)
  if (!m) throw new Error(`bad time ${hhmm}`)
  const total = Number(m[1]) * 60 + Number(m[2])
  if (total > 24 * 60) throw new Error(`bad time ${hhmm}`)
  return total
}

/** Problems with a calendar's shape, in words (empty when it is usable). */
export function calendarProblems(cal: BusinessCalendar): string[] {
  const problems: string[] = []
  if (!isValidTimeZone(cal.timeZone)) problems.push(`Unknown time zone ${cal.timeZone}`)
  if (cal.week.length !== 7) problems.push('week must list 7 days, Monday first')
  let any = false
  cal.week.forEach((day, i) => {
    for (const iv of day) {
      if (!HHMM.test(iv.start) || !HHMM.test(iv.end) || minutesOf(iv.start) >= 24 * 60 || minutesOf(iv.end) > 24 * 60)
        problems.push(`Day ${i + 1}: times must be HH:MM between 00:00 and 24:00`)
      else any = true
    }
  })
  if (!any) problems.push('A calendar needs at least one working interval')
  for (const h of cal.holidays) if (!DateTime.fromISO(h, { zone: 'UTC' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(h)) problems.push(`Bad holiday date ${h}`)
  return problems
}

/** The working intervals (epoch ms, ascending, disjoint) of the local days from the one holding `from`, lazily. */
function* workingIntervals(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  const holidays = new Set(cal.holidays)
  // Start a day early: yesterday's overnight interval may still be running.
  let day = DateTime.fromMillis(from, { zone: cal.timeZone }).startOf('day').minus({ days: 1 })
  let lastEnd = Number.NEGATIVE_INFINITY
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    if (holidays.has(day.toISODate() ?? '')) continue
    const spans = (cal.week[day.weekday - 1] ?? [])
      .map((iv) => {
        const s = minutesOf(iv.start)
        let e = minutesOf(iv.end)
        if (e <= s) e += 24 * 60
        // Local wall-clock times through luxon: a time skipped by a DST jump moves forward, a repeated one takes the first.
        const at = (m: number) =>
          day
            .plus({ days: Math.floor(m / 1440) })
            .set({ hour: Math.floor((m % 1440) / 60), minute: m % 60 })
            .toMillis()
        return [at(s), at(e)] as [number, number]
      })
      .sort((a, b) => a[0] - b[0])
    for (const [s0, e] of spans) {
      const s = Math.max(s0, lastEnd)
      if (e <= s) continue
      lastEnd = e
      yield [s, e]
    }
  }
}

/** The instant `ms` of business time after `start` (a null calendar is 24/7). */
export function addBusinessTime(cal: BusinessCalendar | null, start: number, ms: number): number {
  if (!cal) return start + ms
  let left = ms
  let last = start
  for (const [s0, e] of workingIntervals(cal, start)) {
    if (e <= start) continue
    const s = Math.max(s0, start)
    if (left <= e - s) return s + left
    left -= e - s
    last = e
  }
  // No working time within the horizon: the target lies past it (never reached in practice).
  return last + left
}

/** Business time (ms) between two instants (0 when `to` is not after `from`; a null calendar is 24/7). */
export function businessTimeBetween(cal: BusinessCalendar | null, from: number, to: number): number {
  if (to <= from) return 0
  if (!cal) return to - from
  let total = 0
  for (const [s, e] of workingIntervals(cal, from)) {
    if (s >= to) break
    if (e <= from) continue
    total += Math.min(e, to) - Math.max(s, from)
  }
  return total
}
