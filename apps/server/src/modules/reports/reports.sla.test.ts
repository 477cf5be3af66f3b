import { afterAll, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { scanSlaTimers } from '../sla/sla.scan.ts'

const MIN = 60_000
type Total = { metric: string; achieved: number; breached: number; rate: number | null }

describe('reports: SLA achievement follows the scope picker', async () => {
  const app = await buildTestApp()
  afterAll(() => resetClock())
  const admin = await buildUser(app, { role: 'admin' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const get = (url: string, as = admin) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as.headers })
  const firstResponse = async (scope: string) => {
    const res = await get(`/reports/sla?scope=${scope}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().scope).toBe(scope)
    return (res.json().totals as Total[]).find((t) => t.metric === 'first_response')
  }

  it('counts met and breached clocks of the chosen team or inbox only', async () => {
    const x = { firstResponse: 10, nextResponse: null, resolution: null }
    const policy = await app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: admin.headers,
      payload: { name: 'Scoped', targets: { low: x, normal: x, high: x, urgent: x } },
    })
    expect(policy.statusCode, policy.body).toBe(201)
    const [red, blue] = [await buildTeam(app), await buildTeam(app)]
    const inbox = await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: 'Partners' } })
    expect(inbox.statusCode, inbox.body).toBe(201)
    const late = await buildTicket(app, admin, { teamId: red })
    const answered = await buildTicket(app, admin, { teamId: blue, inboxId: inbox.json().id })
    expect(answered.inboxId).not.toBe(late.inboxId)
    const reply = await app.inject({ method: 'POST', url: `/api/v1/tickets/${answered.id}/replies`, headers: admin.headers, payload: { body: 'Done.' } })
    expect(reply.statusCode, reply.body).toBe(201)
    advanceClock(11 * MIN)
    expect((await scanSlaTimers(app.ctx)).breached).toBe(1)

    expect(await firstResponse('all')).toEqual({ metric: 'first_response', achieved: 1, breached: 1, rate: 0.5 })
    expect(await firstResponse(`team:${red}`)).toEqual({ metric: 'first_response', achieved: 0, breached: 1, rate: 0 })
    expect(await firstResponse(`team:${blue}`)).toEqual({ metric: 'first_response', achieved: 1, breached: 0, rate: 1 })
    expect(await firstResponse(`inbox:${answered.inboxId}`)).toEqual({ metric: 'first_response', achieved: 1, breached: 0, rate: 1 })
    expect(await firstResponse(`inbox:${late.inboxId}`)).toEqual({ metric: 'first_response', achieved: 0, breached: 1, rate: 0 })
    const rows = (await get(`/reports/sla?scope=team:${red}`)).json().rows
    expect(rows).toEqual([{ metric: 'first_response', priority: late.priority, teamId: red, achieved: 0, breached: 1 }])
  })

  it('validates the scope and keeps contributors out', async () => {
    expect((await get('/reports/sla', contributor)).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/v1/reports/sla' })).statusCode).toBe(401)
    expect((await get('/reports/sla?scope=team:999999')).statusCode).toBe(422)
    expect((await get('/reports/sla?scope=everything')).statusCode).toBe(400)
  })
})
