import type { RotationDto, RotationSummaryDto } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

const HOUR = 3_600_000

describe('all-hands windows', async () => {
  const app = await buildTestApp()
  const owner = await buildUser(app, { role: 'owner' })
  const agent = await buildUser(app, { role: 'agent' })
  const team = await buildTeam(app)
  const ann = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Ann' })
  const ben = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Ben' })
  const outsider = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Olga Outsider' })
  afterEach(() => resetClock())

  it('switches on a window for a cohort, reviews by default, and sums up what the cohort did', async () => {
    const today = new Date(now()).toISOString().slice(0, 10)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: owner.headers,
      payload: {
        kind: 'all_hands',
        name: 'Holiday all-hands',
        timeZone: 'UTC',
        startsAt: today,
        endsAt: today,
        cohort: { userIds: [ann.id, ben.id], teamIds: [] },
        snippets: [{ title: 'Thanks', body: 'Thanks for your patience.' }],
      },
    })
    expect(res.statusCode).toBe(201)
    const rotation: RotationDto = res.json()
    const shifts = await app.ctx.db
      .selectFrom('shifts')
      .select(['userId', 'reviewRequired', 'startsAt', 'endsAt'])
      .where('rotationId', '=', rotation.id)
      .execute()
    expect(shifts.map((s) => s.userId).sort()).toEqual([ann.id, ben.id].sort())
    expect(shifts.every((s) => s.reviewRequired === 1 && s.endsAt - s.startsAt === 24 * HOUR)).toBe(true)
    const audit = await app.inject({ method: 'GET', url: `/api/v1/audit-log?targetType=rotation&targetId=${rotation.id}`, headers: owner.headers })
    expect(audit.json().items[0].action).toBe('rotation.all_hands_enabled')

    const [t1, t2, t3] = [
      await buildTicket(app, agent, { teamId: team }),
      await buildTicket(app, agent, { teamId: team }),
      await buildTicket(app, agent, { teamId: team }),
    ]
    const reply = (ticketId: number, as: { headers: Record<string, string> }, body: string) =>
      app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: as.headers, payload: { body } })
    const held = [
      await reply(t1!.id, ann, 'First answer'),
      await reply(t2!.id, ann, 'Second answer'),
      await reply(t3!.id, ben, 'Third answer'),
      await reply(t3!.id, ben, 'Fourth'),
    ]
    expect(held.map((r) => r.statusCode)).toEqual([202, 202, 202, 202])
    // Not in the cohort: no shift, no reply.
    expect((await reply(t1!.id, outsider, 'Me too')).statusCode).toBe(403)

    const [r1, r2, r3] = held.map((r) => r.json().review.id as number)
    const approveEdited = await app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${r1}/approve`,
      headers: agent.headers,
      payload: { html: '<p>First answer, polished</p>' },
    })
    expect(approveEdited.statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: `/api/v1/reviews/${r2}/approve`, headers: agent.headers, payload: {} })).statusCode).toBe(200)
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/reviews/${r3}/reject`, headers: agent.headers, payload: { feedback: 'Check the order first' } }))
        .statusCode,
    ).toBe(200)

    advanceClock(25 * HOUR)
    expect((await reply(t1!.id, ann, 'After the window')).statusCode).toBe(403)

    const summary = await app.inject({ method: 'GET', url: `/api/v1/rotations/${rotation.id}/summary`, headers: agent.headers })
    expect(summary.statusCode).toBe(200)
    const s: RotationSummaryDto = summary.json()
    expect(s).toMatchObject({
      rotation: { id: rotation.id, kind: 'all_hands' },
      cohortSize: 2,
      ticketsHandled: 3,
      repliesSent: 0,
      reviews: { held: 4, pending: 1, approved: 2, approvedWithEdits: 1, rejected: 1, withdrawn: 0 },
      shifts: { total: 2, missed: 2, attended: 0, upcoming: 0 },
      csat: { score: null, responses: 0 },
    })
    expect(s.csat.note).toMatch(/No customer has rated/)
    expect(s.people.map((p) => [p.user.name, p.ticketsHandled, p.held, p.approved, p.rejected])).toEqual([
      ['Ann', 2, 2, 2, 0],
      ['Ben', 1, 2, 0, 1],
    ])
    expect((await app.inject({ method: 'GET', url: `/api/v1/rotations/${rotation.id}/summary`, headers: ann.headers })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/v1/rotations/999999/summary', headers: agent.headers })).statusCode).toBe(404)
  })
})
