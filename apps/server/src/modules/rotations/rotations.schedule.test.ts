import type { RotationScheduleDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { plannedSlots, validateSchedule } from './rotations.schedule.ts'

const empty: RotationScheduleDto = { recurrence: null, startsOn: null, days: null, hours: null, startsAt: null, endsAt: null, dailyHours: null }
const iso = (ms: number) => new Date(ms).toISOString()
const at = (s: string) => Date.parse(s)

describe('rotation schedules', () => {
  it('keeps a weekly 09:00 shift at 09:00 local time across the autumn DST change', () => {
    const s = { ...empty, recurrence: { frequency: 'weekly' as const, weekdays: [2], hours: { start: '09:00', end: '13:00' } } }
    const slots = plannedSlots('recurring', 'Europe/Berlin', s, at('2026-10-01T00:00:00Z'), at('2026-10-01T00:00:00Z'), at('2026-11-04T00:00:00Z'))
    expect(slots.map((x) => iso(x.startsAt))).toEqual([
      '2026-10-06T07:00:00.000Z',
      '2026-10-13T07:00:00.000Z',
      '2026-10-20T07:00:00.000Z',
      // Berlin left summer time on 25 October: the same 09:00 is now 08:00 UTC.
      '2026-10-27T08:00:00.000Z',
      '2026-11-03T08:00:00.000Z',
    ])
    expect(slots.every((x) => x.endsAt - x.startsAt === 4 * 3_600_000)).toBe(true)
  })

  it('spans the spring DST change in a night shift with one hour less', () => {
    const s = { ...empty, startsAt: '2026-03-28', endsAt: '2026-03-28', dailyHours: { start: '22:00', end: '06:00' } }
    const [slot] = plannedSlots('all_hands', 'Europe/Berlin', s, 0, 0, Number.MAX_SAFE_INTEGER)
    expect(iso(slot!.startsAt)).toBe('2026-03-28T21:00:00.000Z')
    expect(iso(slot!.endsAt)).toBe('2026-03-29T04:00:00.000Z')
  })

  it('finds the first and the last Monday of each month', () => {
    const first = { ...empty, recurrence: { frequency: 'monthly' as const, weekdays: [1], nth: 1 as const, hours: { start: '10:00', end: '12:00' } } }
    const lastMon = { ...empty, recurrence: { frequency: 'monthly' as const, weekdays: [1], nth: -1 as const, hours: { start: '10:00', end: '12:00' } } }
    const from = at('2026-01-01T00:00:00Z')
    const to = at('2026-04-01T00:00:00Z')
    expect(plannedSlots('recurring', 'UTC', first, from, from, to).map((x) => iso(x.startsAt).slice(0, 10))).toEqual(['2026-01-05', '2026-02-02', '2026-03-02'])
    expect(plannedSlots('recurring', 'UTC', lastMon, from, from, to).map((x) => iso(x.startsAt).slice(0, 10))).toEqual([
      '2026-01-26',
      '2026-02-23',
      '2026-03-30',
    ])
  })

  it('takes one ISO week a year, every second week, and onboarding working days', () => {
    const yearly = { ...empty, recurrence: { frequency: 'yearly' as const, weekdays: [1, 2, 3, 4, 5], week: 10, hours: { start: '09:00', end: '17:00' } } }
    const y = plannedSlots('recurring', 'UTC', yearly, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))
    expect(y.map((x) => iso(x.startsAt).slice(0, 10))).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'])

    const fortnightly = {
      ...empty,
      recurrence: { frequency: 'weekly' as const, weekdays: [5], interval: 2, startsOn: '2026-01-02', hours: { start: '09:00', end: '10:00' } },
    }
    const f = plannedSlots('recurring', 'UTC', fortnightly, 0, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))
    expect(f.map((x) => iso(x.startsAt).slice(0, 10))).toEqual(['2026-01-02', '2026-01-16', '2026-01-30'])

    const onboarding = { ...empty, startsOn: '2026-11-27', days: 3, hours: { start: '09:00', end: '17:00' } }
    const o = plannedSlots('onboarding', 'UTC', onboarding, 0, 0, Number.MAX_SAFE_INTEGER)
    // Friday, then Monday and Tuesday: weekends are skipped.
    expect(o.map((x) => iso(x.startsAt).slice(0, 10))).toEqual(['2026-11-27', '2026-11-30', '2026-12-01'])
  })

  it('makes an all-hands window without daily hours one shift over the whole range', () => {
    const s = { ...empty, startsAt: '2026-12-24', endsAt: '2026-12-26' }
    const slots = plannedSlots('all_hands', 'America/New_York', s, 0, 0, Number.MAX_SAFE_INTEGER)
    expect(slots.map((x) => [iso(x.startsAt), iso(x.endsAt)])).toEqual([['2026-12-24T05:00:00.000Z', '2026-12-27T05:00:00.000Z']])
  })

  it('refuses unknown zones, impossible dates and reversed windows', () => {
    expect(() => validateSchedule('all_hands', 'Mars/Olympus', { ...empty, startsAt: '2026-01-01', endsAt: '2026-01-02' })).toThrow(/time zone/)
    expect(() => validateSchedule('all_hands', 'UTC', { ...empty, startsAt: '2026-02-30', endsAt: '2026-03-02' })).toThrow(/not a valid date/)
    expect(() => validateSchedule('all_hands', 'UTC', { ...empty, startsAt: '2026-03-02', endsAt: '2026-03-01' })).toThrow(/on or after/)
    expect(() =>
      validateSchedule('recurring', 'UTC', { ...empty, recurrence: { frequency: 'yearly', weekdays: [1], hours: { start: '09:00', end: '10:00' } } }),
    ).toThrow(/ISO week/)
    expect(() => validateSchedule('onboarding', 'UTC', { ...empty, startsOn: '2026-01-01', days: 2, hours: { start: '09:00', end: '09:00' } })).toThrow(
      /different/,
    )
  })
})
