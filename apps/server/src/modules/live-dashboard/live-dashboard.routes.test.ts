import type { LiveDashboardDto } from '@allhands/contract'
import { afterAll, describe, expect, it } from 'vitest'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation } from '../../../test/helpers.ts'
import { LIVE_LIST_LIMIT } from './live-dashboard.service.ts'

describe('live dashboard', async () => {
  const app = await buildTestApp()
  const team = await buildTeam(app, 'Billing experts')
  const agent = await buildUser(app, { role: 'agent', name: 'Ann Agent' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const contributor = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Carl Contributor' })
  await setParticipation(app, contributor.id, { trustLevel: 'reviewed' })
  afterAll(() => resetClock())

  const live = async (as: { headers: Record<string, string> }) => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/reports/live', headers: as.headers })
    return { status: res.statusCode, body: res.json() as LiveDashboardDto }
  }
  // The test clock is real time plus the advances, so durations are exact to within the test's own run time.
  const expectAbout = (ms: number, expected: number) => {
    expect(ms).toBeGreaterThanOrEqual(expected)
    expect(ms).toBeLessThan(expected + 60_000)
  }
  const count = (body: LiveDashboardDto, status: string) => body.openByStatus.find((s) => s.status === status)?.count

  it('is for agents, admins and owners; contributors and anonymous callers are refused', async () => {
    expect((await live(agent)).status).toBe(200)
    expect((await live(admin)).status).toBe(200)
    const denied = await live(contributor)
    expect(denied.status).toBe(403)
    expect((denied.body as unknown as { error: { code: string } }).error.code).toBe('forbidden')
    expect((await app.inject({ method: 'GET', url: '/api/v1/reports/live' })).statusCode).toBe(401)
  })

  it('starts empty on an empty workspace', async () => {
    const { body } = await live(agent)
    expect(body.openByStatus.map((s) => s.status)).toEqual(['new', 'open', 'pending', 'on_hold'])
    expect(body.openByStatus.every((s) => s.count === 0)).toBe(true)
    expect(body).toMatchObject({ waiting: [], waitingTotal: 0, inReview: [], consultsOverdue: [], onShift: [] })
    expect(body.countCap).toBeGreaterThan(0)
  })

  it('counts open tickets by status and lists the customers waiting longest, oldest first, with their requester', async () => {
    const oldest = await buildTicket(app, agent, { subject: 'Refund still missing', requester: { email: 'mia@customer.test', name: 'Mia Customer' } })
    advanceClock(30 * 60_000)
    const newer = await buildTicket(app, agent, { subject: 'Cannot log in' })
    const answered = await buildTicket(app, agent, { subject: 'Answered already' })
    const reply = await app.inject({ method: 'POST', url: `/api/v1/tickets/${answered.id}/replies`, headers: agent.headers, payload: { body: 'Fixed!' } })
    expect(reply.statusCode).toBeLessThan(300)
    const parked = await buildTicket(app, agent, { subject: 'Waiting for the customer' })
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${parked.id}`, headers: agent.headers, payload: { status: 'pending' } })
    expect(patched.statusCode).toBe(200)
    const solved = await buildTicket(app, agent, { subject: 'Done' })
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${solved.id}`, headers: agent.headers, payload: { status: 'solved' } })
    advanceClock(10 * 60_000)

    const { body } = await live(admin)
    const unsolved = [oldest, newer, answered, parked].map((t) => t.id)
    const byStatus = Object.fromEntries(body.openByStatus.map((s) => [s.status, s.count]))
    expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(unsolved.length)
    expect(count(body, 'pending')).toBe(1)

    const ids = body.waiting.map((w) => w.ticketId)
    expect(ids).toContain(oldest.id)
    expect(ids).toContain(newer.id)
    expect(ids).not.toContain(answered.id)
    expect(ids).not.toContain(solved.id)
    expect(ids.indexOf(oldest.id)).toBeLessThan(ids.indexOf(newer.id))
    const first = body.waiting[0]!
    expect(first).toMatchObject({ ticketId: oldest.id, subject: 'Refund still missing', requester: { name: 'Mia Customer' } })
    expectAbout(first.waitingMs, 40 * 60_000)
    expect(first.waitingSince).toBe(body.generatedAt - first.waitingMs)
    expect(body.waitingTotal).toBe(body.waiting.length)
  })

  it(`shows at most ${LIVE_LIST_LIMIT} waiting customers but counts them all (up to the cap)`, async () => {
    for (let i = 0; i < LIVE_LIST_LIMIT; i++) await buildTicket(app, agent)
    const { body } = await live(agent)
    expect(body.waiting).toHaveLength(LIVE_LIST_LIMIT)
    expect(body.waitingTotal).toBeGreaterThan(LIVE_LIST_LIMIT)
    expect(body.waitingCap).toBeGreaterThanOrEqual(1000)
  })

  it('lists replies held for review, overdue consults (not answered or in-time ones) and who is on shift', async () => {
    const ticket = await buildTicket(app, agent, { teamId: team, subject: 'Shipping address wrong' })
    await putOnShift(app, contributor.id, { ms: 2 * 3600_000 })
    const held = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/replies`, headers: contributor.headers, payload: { body: 'Checking' } })
    expect(held.statusCode, held.body).toBe(202)

    const ask = (question: string, dueInHours: number) =>
      app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/consults`, headers: agent.headers, payload: { teamId: team, question, dueInHours } })
    const late = (await ask('Which VAT rate applies to Norway?', 1)).json()
    const answered = (await ask('Can we reissue invoice 42?', 1)).json()
    const inTime = (await ask('Is the discount still valid?', 8)).json()
    const answer = await app.inject({ method: 'POST', url: `/api/v1/consults/${answered.id}/messages`, headers: contributor.headers, payload: { body: 'Yes' } })
    expect(answer.statusCode).toBe(201)
    advanceClock(90 * 60_000)

    const { body } = await live(agent)
    expect(body.inReview).toEqual([
      expect.objectContaining({ ticketId: ticket.id, ticketSubject: 'Shipping address wrong', author: { id: contributor.id, name: 'Carl Contributor' } }),
    ])
    expectAbout(body.inReview[0]!.waitingMs, 90 * 60_000)

    expect(body.consultsOverdue.map((c) => c.consultId)).toEqual([late.id])
    expect(body.consultsOverdue[0]).toMatchObject({
      ticketId: ticket.id,
      question: 'Which VAT rate applies to Norway?',
      askedBy: { id: agent.id, name: 'Ann Agent' },
      team: { id: team, name: 'Billing experts' },
      assignee: null,
    })
    expectAbout(body.consultsOverdue[0]!.overdueMs, 30 * 60_000)
    expect(body.consultsOverdue.map((c) => c.consultId)).not.toContain(inTime.id)

    expect(body.onShift).toEqual([expect.objectContaining({ userId: contributor.id, name: 'Carl Contributor', role: 'contributor' })])
    advanceClock(2 * 3600_000)
    expect((await live(agent)).body.onShift).toEqual([])
  })
})
