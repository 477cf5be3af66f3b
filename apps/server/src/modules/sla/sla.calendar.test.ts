import fc from 'fast-check'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { addBusinessTime, type BusinessCalendar, businessTimeBetween, calendarProblems } from './sla.calendar.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const nineToFive = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  week: [0, 1, 2, 3, 4].map(() => [{ start: '09:00', end: '17:00' }]).concat([[], []]),
  holidays,
})
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis()

describe('business-hours calendar math', () => {
  it('counts only working hours, skipping nights, weekends and holidays', () => {
    const cal = nineToFive('Europe/Berlin', ['2026-12-25'])
    // Thursday 16:00 + 2 h → Friday 10:00 is a holiday → Monday 10:00.
    expect(addBusinessTime(cal, at('2026-12-24T16:00', 'Europe/Berlin'), 2 * HOUR)).toBe(at('2026-12-28T10:00', 'Europe/Berlin'))
    // Before opening: the clock starts at 09:00.
    expect(addBusinessTime(cal, at('2026-12-21T06:30', 'Europe/Berlin'), 30 * MIN)).toBe(at('2026-12-21T09:30', 'Europe/Berlin'))
    expect(businessTimeBetween(cal, at('2026-12-24T16:00', 'Europe/Berlin'), at('2026-12-28T10:00', 'Europe/Berlin'))).toBe(2 * HOUR)
  })

  it('keeps local hours across daylight-saving changes', () => {
    const cal = nineToFive('America/New_York')
    // DST starts Sunday 8 March 2026: Friday 16:00 + 2 h is Monday 10:00 local, 71 wall-clock hours later (one hour lost).
    const from = at('2026-03-06T16:00', 'America/New_York')
    const due = addBusinessTime(cal, from, 2 * HOUR)
    expect(due).toBe(at('2026-03-09T10:00', 'America/New_York'))
    expect(due - from).toBe(65 * HOUR)
  })

  it('runs overnight intervals past midnight and treats a null calendar as 24/7', () => {
    const night: BusinessCalendar = { timeZone: 'UTC', week: Array.from({ length: 7 }, () => [{ start: '22:00', end: '06:00' }]), holidays: [] }
    expect(addBusinessTime(night, at('2026-11-26T23:00', 'UTC'), 3 * HOUR)).toBe(at('2026-11-27T02:00', 'UTC'))
    expect(addBusinessTime(night, at('2026-11-26T05:00', 'UTC'), 2 * HOUR)).toBe(at('2026-11-26T23:00', 'UTC'))
    expect(addBusinessTime(null, 1000, 5 * MIN)).toBe(1000 + 5 * MIN)
    const always: BusinessCalendar = { timeZone: 'Asia/Kolkata', week: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]), holidays: [] }
    expect(addBusinessTime(always, at('2026-11-26T12:34', 'UTC'), 50 * HOUR)).toBe(at('2026-11-26T12:34', 'UTC') + 50 * HOUR)
  })

  it('validates time zones, intervals and holidays', () => {
    expect(calendarProblems({ ...nineToFive('Mars/Olympus'), holidays: ['2026-02-30x'] })).toEqual([
      'Unknown time zone Mars/Olympus',
      'Bad holiday date 2026-02-30x',
    ])
    expect(calendarProblems({ timeZone: 'UTC', week: Array.from({ length: 7 }, () => []), holidays: [] })).toEqual([
      'A calendar needs at least one working interval',
    ])
    expect(calendarProblems(nineToFive('Europe/Paris'))).toEqual([])
  })

  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']
  const interval = fc.tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 })).map(([s, len]) => {
    const hhmm = (half: number) => `${String(Math.floor((half % 48) / 2)).padStart(2, '0')}:${half % 2 ? '30' : '00'}`
    return { start: hhmm(s), end: s + len >= 48 && (s + len) % 48 === 0 ? '24:00' : hhmm(s + len) }
  })
  const calendar = fc.record({
    timeZone: fc.constantFrom(...zones),
    week: fc.array(fc.array(interval, { maxLength: 2 }), { minLength: 7, maxLength: 7 }).filter((w) => w.some((d) => d.length > 0)),
    holidays: fc.array(
      fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      {
        maxLength: 20,
      },
    ),
  })
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })

  it('adds exactly the business time it measures (property)', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 60 * 24 * 20 }), (cal, start, minutes) => {
        const due = addBusinessTime(cal, start, minutes * MIN)
        // A calendar with minutes of work a week can push a target past the three-year horizon: that is documented, not tested.
        fc.pre(due - start < 2 * 365 * 86_400_000)
        expect(due).toBeGreaterThanOrEqual(start)
        expect(businessTimeBetween(cal, start, due)).toBe(minutes * MIN)
        // Splitting the target anywhere lands on the same due time.
        const half = Math.floor(minutes / 2) * MIN
        expect(addBusinessTime(cal, addBusinessTime(cal, start, half), minutes * MIN - half)).toBe(due)
      }),
      { numRuns: 80 },
    )
  })

  it('measures additively and never more than wall-clock time (property)', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 30 * 86_400_000 }), fc.integer({ min: 0, max: 30 * 86_400_000 }), (cal, a, d1, d2) => {
        const b = a + d1
        const c = b + d2
        const ab = businessTimeBetween(cal, a, b)
        expect(ab).toBeLessThanOrEqual(d1)
        expect(ab + businessTimeBetween(cal, b, c)).toBe(businessTimeBetween(cal, a, c))
      }),
      { numRuns: 80 },
    )
  })
})
