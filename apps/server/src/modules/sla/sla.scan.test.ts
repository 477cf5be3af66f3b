import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { resetClock } from '../../platform/clock.ts'

const MIN = 60_000
type Message = { kind: string; event: Record<string, unknown> | null; author: { type: string; id: number | null } }

describe('SLA breaches in the conversation', async () => {
  const app = await buildTestApp({ ALLHANDS_TEST_CLOCK: '1' })
  afterAll(() => resetClock())
  const owner = await buildUser(app, { role: 'owner' })
  const agent = await buildUser(app, { role: 'agent' })
  const moveClock = async (advanceMs: number) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/test/clock', headers: owner.headers, payload: { advanceMs } })
    expect(res.statusCode, res.body).toBe(200)
  }
  const breachLines = async (ticketId: number) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: agent.headers })
    expect(res.statusCode, res.body).toBe(200)
    return (res.json().items as Message[]).filter((m) => m.kind === 'event' && m.event?.type === 'sla_breached')
  }

  it('adds one system line per breached target, when the clock breaches and never again', async () => {
    const x = { firstResponse: 10, nextResponse: null, resolution: 60 }
    const policy = await app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: owner.headers,
      payload: { name: 'Breach lines', targets: { low: x, normal: x, high: x, urgent: x } },
    })
    expect(policy.statusCode, policy.body).toBe(201)
    const ticket = await buildTicket(app, agent)
    const untouched = await buildTicket(app, agent)
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${untouched.id}/replies`, headers: agent.headers, payload: { body: 'On it.' } })

    await moveClock(9 * MIN)
    expect(await breachLines(ticket.id)).toEqual([])
    // Past the first-response target: the scan (run by the test clock, as by the minute job) marks it once.
    await moveClock(2 * MIN)
    const first = await breachLines(ticket.id)
    expect(first).toHaveLength(1)
    expect(first[0]!.event).toEqual({ type: 'sla_breached', metric: 'first_response', dueAt: ticket.createdAt + 10 * MIN, policyId: policy.json().id })
    expect(first[0]!.author.id).toBeNull()
    await moveClock(MIN)
    expect(await breachLines(ticket.id)).toHaveLength(1)
    // The answered ticket met its first response: only its resolution target may breach.
    expect(await breachLines(untouched.id)).toEqual([])

    await moveClock(50 * MIN)
    const both = await breachLines(ticket.id)
    expect(both.map((m) => m.event!.metric)).toEqual(['first_response', 'resolution'])
    expect((await breachLines(untouched.id)).map((m) => m.event!.metric)).toEqual(['resolution'])
    await moveClock(5 * MIN)
    expect(await breachLines(ticket.id)).toHaveLength(2)
  })
})
