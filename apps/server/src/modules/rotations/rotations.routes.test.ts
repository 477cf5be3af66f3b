import type { RotationDto, ShiftDto } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildUser } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

const DAY = 86_400_000
/** Moves the controllable clock to an exact instant. */
const setClock = (iso: string) => advanceClock(Date.parse(iso) - now())

describe('rotation programs', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const team = await buildTeam(app)
  const direct = await buildUser(app, { role: 'contributor', name: 'Dana Direct' })
  const member = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Theo Team' })
  const contributor = await buildUser(app, { role: 'contributor' })
  afterEach(() => resetClock())

  const create = (payload: Record<string, unknown>, as = admin) => app.inject({ method: 'POST', url: '/api/v1/rotations', headers: as.headers, payload })
  const shiftsOf = async (rotationId: number, from = now() - DAY, to = now() + 60 * DAY): Promise<ShiftDto[]> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/shifts?from=${from}&to=${to}&rotationId=${rotationId}`, headers: contributor.headers })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const tuesday = {
    kind: 'recurring',
    name: 'Engineering support Tuesday',
    timeZone: 'Europe/Berlin',
    cohort: { userIds: [direct.id], teamIds: [team] },
    quotaPerYear: 12,
    schedule: { frequency: 'weekly', weekdays: [2], hours: { start: '09:00', end: '13:00' } },
  }

  it('generates shifts for people and team members in the rotation zone across a DST change, and never twice', async () => {
    setClock('2026-10-01T00:00:00Z')
    const res = await create(tuesday)
    expect(res.statusCode).toBe(201)
    const rotation: RotationDto = res.json()
    expect(rotation).toMatchObject({ kind: 'recurring', timeZone: 'Europe/Berlin', quotaPerYear: 12, cohort: { userIds: [direct.id], teamIds: [team] } })
    const shifts = await shiftsOf(rotation.id)
    // Eight Tuesdays in the eight-week horizon, for both people.
    expect(shifts).toHaveLength(16)
    const mine = shifts.filter((s) => s.user.id === member.id).map((s) => new Date(s.startsAt).toISOString())
    expect(mine.slice(2, 4)).toEqual(['2026-10-20T07:00:00.000Z', '2026-10-27T08:00:00.000Z'])
    expect(shifts.every((s) => s.attendance === 'upcoming' && s.rotation?.name === 'Engineering support Tuesday')).toBe(true)

    // Saving the rotation again and running the daily job the next day add nothing that exists already.
    expect(
      (await app.inject({ method: 'PATCH', url: `/api/v1/rotations/${rotation.id}`, headers: admin.headers, payload: { name: 'Eng Tuesday' } })).statusCode,
    ).toBe(200)
    expect(await shiftsOf(rotation.id)).toHaveLength(16)
    advanceClock(DAY + 10 * 60_000)
    await app.ctx.jobs.runDue()
    await app.ctx.jobs.runDue()
    const after = await shiftsOf(rotation.id, Date.parse('2026-10-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'))
    expect(after).toHaveLength(16)
    expect(new Set(after.map((s) => `${s.user.id}:${s.startsAt}`)).size).toBe(after.length)
    // The next day's run is queued once, under its day's key.
    const queued = await app.ctx.db.selectFrom('jobs').select('idempotencyKey').where('name', '=', 'generate-shifts').where('status', '=', 'pending').execute()
    expect(queued.map((j) => j.idempotencyKey)).toEqual(['generate-shifts:2026-10-03'])
  })

  it('regenerates future shifts when the schedule or the team changes, and keeps a removed shift removed', async () => {
    setClock('2026-10-01T00:00:00Z')
    const rotation: RotationDto = (await create({ ...tuesday, name: 'Changing rota', cohort: { userIds: [], teamIds: [team] } })).json()
    const before = await shiftsOf(rotation.id)
    expect(before).toHaveLength(8)
    const removed = before[1]!
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/shifts/${removed.id}`, headers: admin.headers })).statusCode).toBe(200)

    const newcomer = await buildUser(app, { role: 'contributor', teamIds: [team] })
    expect(
      (await app.inject({ method: 'PATCH', url: `/api/v1/rotations/${rotation.id}`, headers: admin.headers, payload: { quotaPerYear: 10 } })).statusCode,
    ).toBe(200)
    const kept = await shiftsOf(rotation.id)
    // The removed slot stays empty; the team's newcomer is picked up.
    expect(kept.filter((s) => s.user.id === member.id)).toHaveLength(7)
    expect(kept.some((s) => s.user.id === member.id && s.startsAt === removed.startsAt)).toBe(false)
    expect(kept.filter((s) => s.user.id === newcomer.id)).toHaveLength(8)

    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/rotations/${rotation.id}`,
      headers: admin.headers,
      payload: { schedule: { ...tuesday.schedule, hours: { start: '10:00', end: '15:00' } } },
    })
    expect(res.statusCode).toBe(200)
    // New hours make new slots: every future shift moves to them.
    const after = await shiftsOf(rotation.id)
    expect(after).toHaveLength(16)
    expect(after.every((s) => s.endsAt - s.startsAt === 5 * 3_600_000)).toBe(true)

    const weds = await app.inject({
      method: 'PATCH',
      url: `/api/v1/rotations/${rotation.id}`,
      headers: admin.headers,
      payload: { schedule: { ...tuesday.schedule, weekdays: [3] } },
    })
    expect(weds.statusCode).toBe(200)
    const wednesdays = await shiftsOf(rotation.id)
    expect(wednesdays.every((s) => new Date(s.startsAt).getUTCDay() === 3)).toBe(true)
    expect(wednesdays).toHaveLength(16)
  })

  it('lists programs to everyone and keeps their management to admins', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/rotations', headers: contributor.headers })
    expect(list.statusCode).toBe(200)
    expect(list.json().length).toBeGreaterThan(0)
    const denied = await create(tuesday, contributor)
    expect(denied.statusCode).toBe(403)
    const agent = await buildUser(app, { role: 'agent' })
    expect((await create(tuesday, agent)).statusCode).toBe(403)
    const own: RotationDto = (await create({ ...tuesday, name: 'Deny paths' })).json()
    const id = own.id
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/rotations/${id}`, headers: contributor.headers, payload: { name: 'x' } })).statusCode).toBe(403)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/rotations/${id}`, headers: contributor.headers })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: `/api/v1/rotations/${id}/summary`, headers: contributor.headers })).statusCode).toBe(403)
    const shift = (await shiftsOf(id))[0]!
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/shifts/${shift.id}`, headers: contributor.headers })).statusCode).toBe(403)
    const add = await app.inject({
      method: 'POST',
      url: '/api/v1/shifts',
      headers: contributor.headers,
      payload: { rotationId: null, userId: contributor.id, startsAt: now(), endsAt: now() + 3_600_000 },
    })
    expect(add.statusCode).toBe(403)
  })

  it('refuses bad programs with a clear 400 or 422', async () => {
    const bad = async (payload: Record<string, unknown>, status: number, message: RegExp) => {
      const res = await create(payload)
      expect(res.statusCode).toBe(status)
      expect(res.json().error.message).toMatch(message)
    }
    await bad({ ...tuesday, timeZone: 'Mars/Olympus' }, 422, /time zone/)
    await bad({ ...tuesday, cohort: { userIds: [999999], teamIds: [] } }, 422, /Unknown people/)
    await bad({ ...tuesday, oncallTeamId: 999999 }, 422, /Unknown teams/)
    await bad({ ...tuesday, schedule: { ...tuesday.schedule, hours: { start: '25:00', end: '13:00' } } }, 400, /./)
    await bad({ ...tuesday, schedule: { ...tuesday.schedule, weekdays: [] } }, 400, /./)
    await bad(
      { kind: 'all_hands', name: 'Backwards', timeZone: 'UTC', cohort: { userIds: [], teamIds: [] }, startsAt: '2026-12-26', endsAt: '2026-12-24' },
      422,
      /on or after/,
    )
    await bad(
      { kind: 'all_hands', name: 'Bad day', timeZone: 'UTC', cohort: { userIds: [], teamIds: [] }, startsAt: '2026-02-30', endsAt: '2026-03-01' },
      422,
      /valid date/,
    )
    await bad(
      {
        kind: 'onboarding',
        name: 'No days',
        timeZone: 'UTC',
        cohort: { userIds: [], teamIds: [] },
        startsOn: '2026-12-01',
        hours: { start: '09:00', end: '17:00' },
      },
      400,
      /./,
    )
    await bad({ kind: 'weekly', name: 'What', timeZone: 'UTC', cohort: { userIds: [], teamIds: [] } }, 400, /./)
  })

  it('marks the on-call rota of a team and removes a program with its future shifts, keeping history', async () => {
    const oncall: RotationDto = (
      await create({
        kind: 'recurring',
        name: 'Engineering on-call',
        timeZone: 'UTC',
        oncallTeamId: team,
        cohort: { userIds: [member.id], teamIds: [] },
        schedule: { frequency: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], hours: { start: '00:00', end: '24:00' } },
      })
    ).json()
    expect(oncall.oncallTeamId).toBe(team)
    // Who is on call for the team right now: shifts joined to rotations on oncall_team_id.
    const t = now()
    const onCall = await app.ctx.db
      .selectFrom('shifts')
      .innerJoin('rotations', 'rotations.id', 'shifts.rotationId')
      .select('shifts.userId')
      .where('rotations.oncallTeamId', '=', team)
      .where('shifts.startsAt', '<=', t)
      .where('shifts.endsAt', '>', t)
      .execute()
    expect(onCall.map((r) => r.userId)).toEqual([member.id])

    const res = await app.inject({ method: 'DELETE', url: `/api/v1/rotations/${oncall.id}`, headers: admin.headers })
    expect(res.statusCode).toBe(200)
    const left = await app.ctx.db.selectFrom('shifts').select(['rotationId', 'startsAt']).where('userId', '=', member.id).where('startsAt', '>', t).execute()
    expect(left.every((s) => s.rotationId !== oncall.id)).toBe(true)
    // The shift under way stays in the record, detached from the removed program.
    const current = await app.ctx.db
      .selectFrom('shifts')
      .select('rotationId')
      .where('userId', '=', member.id)
      .where('startsAt', '<=', t)
      .where('endsAt', '>', t)
      .execute()
    expect(current).toEqual([{ rotationId: null }])
    const audit = await app.inject({ method: 'GET', url: `/api/v1/audit-log?targetType=rotation&targetId=${oncall.id}`, headers: admin.headers })
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['rotation.deleted', 'rotation.created'])
  })
})
