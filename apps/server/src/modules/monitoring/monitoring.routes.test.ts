import type { MonitoringOverviewDto } from '@allhands/contract'
import { afterAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'

describe('monitoring dashboard', async () => {
  const app = await buildTestApp()
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const team = await buildTeam(app)
  const lead = await buildUser(app, { role: 'agent', name: 'Lena Lead' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const trainee = await buildUser(app, { role: 'agent', name: 'Tom Trainee' })
  const contributor = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Carla Contributor' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    resetClock()
    for (const s of sockets) s.close()
  })
  const overview = async (as: { headers: Record<string, string> }, query = '') => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/monitoring/overview${query}`, headers: as.headers })
    return { status: res.statusCode, body: res.json() as MonitoringOverviewDto }
  }
  const auditCount = async () =>
    (await app.inject({ method: 'GET', url: `/api/v1/audit-log?action=monitoring.viewed`, headers: admin.headers })).json().items.length as number

  it('is for admins and full agents only', async () => {
    const denied = await app.inject({ method: 'GET', url: '/api/v1/monitoring/overview', headers: contributor.headers })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('forbidden')
    await setParticipation(app, trainee.id, { trustLevel: 'reviewed' })
    expect((await overview(trainee)).status).toBe(403)
    expect((await overview(admin)).status).toBe(200)
    expect((await overview(lead, '?windowMinutes=0')).status).toBe(400)
  })

  it('shows customers waiting longest first, live conversations with who is in them, reviews and shifts', async () => {
    const older = await buildTicket(app, lead, { teamId: team, subject: 'Waiting since the morning' })
    advanceClock(20 * 60_000)
    const newer = await buildTicket(app, lead, { teamId: team, subject: 'Waiting a little' })
    const answered = await buildTicket(app, lead, { teamId: team, subject: 'Already answered' })
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${answered.id}/replies`, headers: lead.headers, payload: { body: 'Done!' } })
    advanceClock(5 * 60_000)

    // A contributor on shift whose reply is held for review.
    await putOnShift(app, contributor.id, { ms: 3600_000 })
    const held = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${newer.id}/replies`,
      headers: contributor.headers,
      payload: { body: 'Let me check' },
    })
    expect(held.statusCode).toBe(202)

    // The lead has a ticket open right now.
    const socket = await connectAgentSocket(base, lead.headers)
    sockets.push(socket.ws)
    expect(await socket.join(`ticket:${older.id}`)).toMatchObject({ type: 'subscribed' })
    socket.send({ type: 'presence', ticketId: older.id, state: 'typing' })

    await expect.poll(async () => (await overview(lead)).body.liveConversations.find((c) => c.ticketId === older.id)?.people.length).toBe(1)
    const { body } = await overview(lead, '?windowMinutes=10')
    const waitingIds = body.waiting.map((w) => w.ticketId)
    expect(waitingIds.indexOf(older.id)).toBeLessThan(waitingIds.indexOf(newer.id))
    expect(waitingIds).not.toContain(answered.id)
    const oldest = body.waiting.find((w) => w.ticketId === older.id)!
    expect(oldest.waitingMs).toBeGreaterThanOrEqual(25 * 60_000)
    expect(oldest.waitingSince).toBe(body.generatedAt - oldest.waitingMs)
    expect(body.waitingTotal).toBeGreaterThanOrEqual(2)

    // Within 10 minutes: the answered ticket had activity; the older one is listed because the lead is in it.
    const live = body.liveConversations
    expect(live[0]).toMatchObject({ ticketId: older.id, people: [{ userId: lead.id, name: 'Lena Lead', typing: true }] })
    expect(live.map((c) => c.ticketId)).toContain(answered.id)
    expect(live.find((c) => c.ticketId === answered.id)!.assignee).toEqual({ id: lead.id, name: 'Lena Lead' })

    expect(body.inReview).toHaveLength(1)
    expect(body.inReview[0]).toMatchObject({ ticketId: newer.id, author: { id: contributor.id, name: 'Carla Contributor' } })
    expect(body.onShift).toEqual([expect.objectContaining({ userId: contributor.id, name: 'Carla Contributor', role: 'contributor' })])
  })

  it('lists active ride-alongs', async () => {
    const ride = await app.inject({ method: 'POST', url: '/api/v1/ride-alongs', headers: trainee.headers, payload: { followedUserId: lead.id } })
    expect(ride.statusCode).toBe(201)
    const { body } = await overview(admin)
    expect(body.rideAlongs).toEqual([expect.objectContaining({ id: ride.json().id, follower: { id: trainee.id, name: 'Tom Trainee' } })])
  })

  it('audits opening the dashboard at most once per person every few minutes', async () => {
    const viewer = await buildUser(app, { role: 'admin' })
    const before = await auditCount()
    await overview(viewer)
    await overview(viewer)
    expect(await auditCount()).toBe(before + 1)
    advanceClock(6 * 60_000)
    await overview(viewer)
    expect(await auditCount()).toBe(before + 2)
  })
})
