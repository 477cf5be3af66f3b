import type { CurrentShiftDto, MyShiftsDto, RotationDto, ShiftDto } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, freezeClock, now, resetClock } from '../../platform/clock.ts'

const MIN = 60_000
const HOUR = 60 * MIN

describe('shifts: start, end, attendance and what a shift allows', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const team = await buildTeam(app)
  const contributor = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Casey Contributor' })
  const colleague = await buildUser(app, { role: 'contributor', teamIds: [team] })
  afterEach(() => resetClock())

  const addShift = async (userId: number, startsIn: number, length = 2 * HOUR, rotationId: number | null = null): Promise<ShiftDto> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/shifts',
      headers: admin.headers,
      payload: { rotationId, userId, startsAt: now() + startsIn, endsAt: now() + startsIn + length },
    })
    expect(res.statusCode).toBe(201)
    return res.json()
  }
  const act = (id: number, what: 'start' | 'end', as: { headers: Record<string, string> }) =>
    app.inject({ method: 'POST', url: `/api/v1/shifts/${id}/${what}`, headers: as.headers })

  it('starts up to 30 minutes early, only by its holder, and records attendance', async () => {
    const shift = await addShift(contributor.id, 45 * MIN)
    expect(shift).toMatchObject({ attendance: 'upcoming', canStart: false })
    const tooEarly = await act(shift.id, 'start', contributor)
    expect(tooEarly.statusCode).toBe(409)
    expect(tooEarly.json().error.message).toMatch(/30 minutes early/)
    advanceClock(20 * MIN)
    expect((await act(shift.id, 'start', colleague)).statusCode).toBe(403)
    expect((await act(shift.id, 'start', admin)).statusCode).toBe(403)
    const started = await act(shift.id, 'start', contributor)
    expect(started.statusCode).toBe(200)
    expect(started.json()).toMatchObject({ attendance: 'on_duty', canEnd: true, canStart: false })
    expect((await act(shift.id, 'start', contributor)).statusCode).toBe(409)
    // Started early means on shift early: the core policy sees it.
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: contributor.headers })).json()
    expect(me.participation.onShiftUntil).toBe(shift.endsAt)

    expect((await act(shift.id, 'end', colleague)).statusCode).toBe(403)
    advanceClock(HOUR)
    const ended = await act(shift.id, 'end', contributor)
    expect(ended.statusCode).toBe(200)
    expect(ended.json().attendance).toBe('ended_early')
    expect((await act(shift.id, 'end', contributor)).statusCode).toBe(409)
    const after = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: contributor.headers })).json()
    expect(after.participation.onShiftUntil).toBeNull()
  })

  it('tells attended, late and missed shifts apart', async () => {
    const onTime = await addShift(colleague.id, 10 * MIN, HOUR)
    const late = await addShift(colleague.id, 2 * HOUR, HOUR)
    const missed = await addShift(colleague.id, 4 * HOUR, HOUR)
    expect((await act(onTime.id, 'start', colleague)).statusCode).toBe(200)
    advanceClock(2 * HOUR + 20 * MIN)
    expect((await act(late.id, 'start', colleague)).statusCode).toBe(200)
    advanceClock(4 * HOUR)
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/shifts?from=${now() - 10 * HOUR}&to=${now()}&userId=${colleague.id}`,
      headers: colleague.headers,
    })
    const byId = new Map((res.json() as ShiftDto[]).map((s) => [s.id, s.attendance]))
    expect([byId.get(onTime.id), byId.get(late.id), byId.get(missed.id)]).toEqual(['attended', 'late', 'missed'])
    // A shift that is over can no longer be started or ended.
    expect((await act(missed.id, 'start', colleague)).statusCode).toBe(409)
  })

  it('lets a contributor reply (held for review) only during an all-hands shift, then refuses once it is over', async () => {
    const ticket = await buildTicket(app, agent, { teamId: team })
    const reply = () =>
      app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/replies`, headers: contributor.headers, payload: { body: 'Happy to help!' } })
    expect((await reply()).statusCode).toBe(403)

    // A day of its own, two days ahead: the shifts the other tests leave behind end hours from now, whatever the time of day.
    const today = new Date(Date.now() + 48 * HOUR).toISOString().slice(0, 10)
    freezeClock(Date.parse(`${today}T08:00:00Z`))
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: admin.headers,
      payload: {
        kind: 'all_hands',
        name: 'Holiday all-hands',
        timeZone: 'UTC',
        startsAt: today,
        endsAt: today,
        cohort: { userIds: [], teamIds: [team] },
        snippets: [{ title: 'Greeting', body: 'Hi there,\n\nThanks for waiting.' }],
      },
    })
    expect(res.statusCode).toBe(201)
    const rotation: RotationDto = res.json()
    expect(rotation.reviewRequired).toBe(true)

    const current: CurrentShiftDto = (await app.inject({ method: 'GET', url: '/api/v1/shifts/current', headers: contributor.headers })).json()
    expect(current.shift).toMatchObject({ rotationName: 'Holiday all-hands', kind: 'all_hands', reviewRequired: true })
    expect(current.shift?.snippets).toEqual([{ title: 'Greeting', body: 'Hi there,\n\nThanks for waiting.' }])

    const held = await reply()
    expect(held.statusCode).toBe(202)
    expect(held.json().status).toBe('pending_review')

    // Access expires by itself when the window ends.
    const endOfDay = Date.parse(`${today}T00:00:00Z`) + 24 * HOUR
    advanceClock(endOfDay - now() + MIN)
    const refused = await reply()
    expect(refused.statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/v1/shifts/current', headers: contributor.headers })).json()).toEqual({ shift: null })
  })

  it('shows my current and next shifts with quota progress for the year', async () => {
    const person = await buildUser(app, { role: 'contributor' })
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: admin.headers,
      payload: {
        kind: 'recurring',
        name: 'Support day',
        timeZone: 'UTC',
        quotaPerYear: 12,
        cohort: { userIds: [person.id], teamIds: [] },
        schedule: { frequency: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], hours: { start: '00:00', end: '24:00' } },
      },
    })
    const rotation: RotationDto = created.json()
    const mine = async (): Promise<MyShiftsDto> => (await app.inject({ method: 'GET', url: '/api/v1/shifts/mine', headers: person.headers })).json()
    const first = await mine()
    expect(first.current?.rotation?.id).toBe(rotation.id)
    expect(first.current?.canEnd).toBe(true)
    expect(first.next?.startsAt).toBe(first.current?.endsAt)
    expect(first.quotas).toEqual([
      { rotation: { id: rotation.id, name: 'Support day' }, year: new Date(now()).getUTCFullYear(), quota: 12, attended: 0, scheduled: expect.any(Number) },
    ])
    expect((await act(first.current!.id, 'end', person)).statusCode).toBe(200)
    const second = await mine()
    expect(second.current).toBeNull()
    expect(second.recent[0]?.id).toBe(first.current!.id)
    expect(second.quotas[0]?.attended).toBe(1)
    // Someone else's list is theirs alone.
    const others = await app.inject({ method: 'GET', url: '/api/v1/shifts/mine', headers: colleague.headers })
    expect((others.json() as MyShiftsDto).recent.every((s) => s.user.id === colleague.id)).toBe(true)
  })

  it('refuses bad shift input and ranges', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/shifts',
      headers: admin.headers,
      payload: { rotationId: null, userId: contributor.id, startsAt: now(), endsAt: now() - 1 },
    })
    expect(bad.statusCode).toBe(422)
    const range = await app.inject({ method: 'GET', url: `/api/v1/shifts?from=${now()}&to=${now() + 90 * 24 * HOUR}`, headers: contributor.headers })
    expect(range.statusCode).toBe(400)
    const reversed = await app.inject({ method: 'GET', url: `/api/v1/shifts?from=${now()}&to=${now() - 1}`, headers: contributor.headers })
    expect(reversed.statusCode).toBe(400)
    expect((await app.inject({ method: 'GET', url: '/api/v1/shifts', headers: contributor.headers })).statusCode).toBe(400)
  })
})
