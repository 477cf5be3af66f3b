import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser, queryPlan } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { inTransaction } from '../../platform/context.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { addBusinessTime } from './sla.calendar.ts'
import { scanSlaTimers, timersPast } from './sla.scan.ts'

type User = Awaited<ReturnType<typeof buildUser>>
type Timer = { metric: string; state: string; dueAt: number | null; warnAt: number | null; remainingMs: number | null; policyId: number | null }
const MIN = 60_000
/** Real time passes between requests too (the test clock only adds to it). */
const expectNear = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(10_000)
const none = { firstResponse: null, nextResponse: null, resolution: null }
const targets = (t: { firstResponse?: number | null; nextResponse?: number | null; resolution?: number | null }) => {
  const x = { ...none, ...t }
  return { low: x, normal: x, high: x, urgent: x }
}

describe('SLA policies and timers', async () => {
  const app = await buildTestApp()
  afterAll(() => resetClock())
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const call = (as: User | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) })
  const timersOf = async (ticketId: number): Promise<Timer[]> => (await call(agent, 'GET', `/tickets/${ticketId}`)).json().sla.timers
  const timer = async (ticketId: number, metric: string) => (await timersOf(ticketId)).find((t) => t.metric === metric)
  const events: DomainEvent[] = []
  app.ctx.realtime.onPublish((e) => {
    if (e.name.startsWith('sla.')) events.push(e)
  })

  it('creates, validates, orders and deletes policies and calendars (admins only)', async () => {
    const bad = await call(admin, 'POST', '/sla-calendars', { name: 'Mars', timeZone: 'Mars/Olympus', week: [[], [], [], [], [], [], []], holidays: [] })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/Unknown time zone Mars\/Olympus/)
    const week = [0, 1, 2, 3, 4].map(() => [{ start: '09:00', end: '17:00' }]).concat([[], []])
    const cal = await call(admin, 'POST', '/sla-calendars', { name: 'Berlin office', timeZone: 'Europe/Berlin', week, holidays: ['2026-12-25', '2026-12-25'] })
    expect(cal.statusCode, cal.body).toBe(201)
    expect(cal.json().holidays).toEqual(['2026-12-25'])
    expect((await call(agent, 'POST', '/sla-calendars', { name: 'x', timeZone: 'UTC', week, holidays: [] })).statusCode).toBe(403)

    expect((await call(admin, 'POST', '/sla-policies', { name: 'Empty', targets: targets({}) })).statusCode).toBe(400)
    expect((await call(admin, 'POST', '/sla-policies', { name: 'No cal', targets: targets({ resolution: 60 }), calendarId: 99999 })).statusCode).toBe(400)
    expect((await call(admin, 'POST', '/sla-policies', { name: 'Bad', targets: targets({ resolution: 0 }) })).statusCode).toBe(400)
    const a = (
      await call(admin, 'POST', '/sla-policies', {
        name: 'VIP',
        conditions: { tags: ['vip-only-never'] },
        targets: targets({ resolution: 30 }),
        calendarId: cal.json().id,
      })
    ).json()
    const b = (await call(admin, 'POST', '/sla-policies', { name: 'Disabled', enabled: false, targets: targets({ resolution: 30 }) })).json()
    expect([a.position, b.position]).toEqual([1, 2])
    expect((await call(agent, 'POST', '/sla-policies', { name: 'Rogue', targets: targets({ resolution: 1 }) })).statusCode).toBe(403)
    expect((await call(contributor, 'GET', '/sla-policies')).statusCode).toBe(403)
    expect((await call(admin, 'PUT', '/sla-policies/order', { ids: [b.id] })).statusCode).toBe(400)
    const reordered = await call(admin, 'PUT', '/sla-policies/order', { ids: [b.id, a.id] })
    expect(reordered.json().items.map((p: { id: number }) => p.id)).toEqual([b.id, a.id])
    expect((await call(admin, 'DELETE', `/sla-calendars/${cal.json().id}`)).statusCode).toBe(409)
    const patched = await call(admin, 'PATCH', `/sla-policies/${a.id}`, { calendarId: null, warnPercent: 50 })
    expect(patched.json()).toMatchObject({ calendarId: null, warnPercent: 50, name: 'VIP' })
    expect((await call(admin, 'DELETE', `/sla-calendars/${cal.json().id}`)).statusCode).toBe(200)
    for (const p of [a, b]) expect((await call(admin, 'DELETE', `/sla-policies/${p.id}`)).statusCode).toBe(200)
    expect((await call(admin, 'GET', `/sla-policies/${a.id}`)).statusCode).toBe(404)
    // Without ALLHANDS_TEST_CLOCK the test clock does not exist at all.
    expect((await call(admin, 'POST', '/test/clock', { advanceMs: 1 })).statusCode).toBe(404)
  })

  it('runs, pauses, resumes, meets and breaches clocks through the ticket API, announcing each breach once', async () => {
    const policy = (
      await call(admin, 'POST', '/sla-policies', {
        name: 'Standard',
        targets: { ...targets({ firstResponse: 60, nextResponse: 30, resolution: 240 }), urgent: { firstResponse: 10, nextResponse: 5, resolution: 60 } },
      })
    ).json()
    const ticket = await buildTicket(app, agent)
    const first = await timer(ticket.id, 'first_response')
    expect(first).toMatchObject({ state: 'running', policyId: policy.id })
    expect(first!.dueAt! - ticket.createdAt).toBe(60 * MIN)
    expect(first!.warnAt! - ticket.createdAt).toBe(48 * MIN)

    // Urgent now: running clocks take the urgent targets.
    await call(agent, 'PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' })
    expect((await timer(ticket.id, 'first_response'))!.dueAt! - ticket.createdAt).toBe(10 * MIN)

    advanceClock(9 * MIN)
    expect(await scanSlaTimers(app.ctx)).toEqual({ breached: 0, warned: 1 })
    expect((await timer(ticket.id, 'first_response'))!.state).toBe('warning')
    advanceClock(2 * MIN)
    expect((await scanSlaTimers(app.ctx)).breached).toBe(1)
    expect((await scanSlaTimers(app.ctx)).breached).toBe(0)
    const breaches = events.filter((e) => e.name === 'sla.breached')
    expect(breaches).toHaveLength(1)
    expect(breaches[0]!.payload).toEqual({ ticketId: ticket.id, metric: 'first_response', dueAt: ticket.createdAt + 10 * MIN, policyId: policy.id })
    expect((await timer(ticket.id, 'first_response'))!.state).toBe('breached')

    // A late public reply meets the clock late; a note does not.
    await call(agent, 'POST', `/tickets/${ticket.id}/notes`, { body: 'looking' })
    expect((await timer(ticket.id, 'first_response'))!.state).toBe('breached')
    await call(agent, 'POST', `/tickets/${ticket.id}/replies`, { body: 'On it' })
    expect((await timer(ticket.id, 'first_response'))!.state).toBe('achieved_late')

    // A customer message starts next response; pending pauses resolution, reopening resumes it.
    await inTransaction(app.ctx, async (_trx, emit) => emit(ticketEvent('message.created', ticket, { kind: 'customer' })))
    expect((await timer(ticket.id, 'next_response'))!.state).toBe('running')
    await call(agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'pending' })
    const paused = (await timer(ticket.id, 'resolution'))!
    expect(paused).toMatchObject({ state: 'paused', dueAt: null })
    expectNear(paused.remainingMs!, 49 * MIN)
    advanceClock(120 * MIN)
    // Only the unanswered next response breaches meanwhile: the paused resolution clock has no due time.
    expect(await scanSlaTimers(app.ctx)).toEqual({ breached: 1, warned: 0 })
    expect((await timer(ticket.id, 'next_response'))!.state).toBe('breached')
    await call(agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })
    const resumed = (await timer(ticket.id, 'resolution'))!
    expect(resumed.state).toBe('running')
    expectNear(resumed.dueAt! - ticket.createdAt, (60 + 120) * MIN)

    // Solving meets every clock; the report counts outcomes.
    await call(agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' })
    const done = await timersOf(ticket.id)
    expect(done.map((t) => t.state).sort()).toEqual(['achieved', 'achieved_late', 'achieved_late'])
    const report = (await call(agent, 'GET', '/sla/report')).json()
    expect(report.totals.find((t: { metric: string }) => t.metric === 'first_response')).toMatchObject({ achieved: 0, breached: 1, rate: 0 })
    expect(report.totals.find((t: { metric: string }) => t.metric === 'resolution')).toMatchObject({ achieved: 1, breached: 0, rate: 1 })
    expect((await call(contributor, 'GET', '/sla/report')).statusCode).toBe(403)
    await call(admin, 'DELETE', `/sla-policies/${policy.id}`)
  })

  it('sorts the ticket list by the soonest SLA due time ("breaches next")', async () => {
    const policy = (
      await call(admin, 'POST', '/sla-policies', { name: 'Sort', targets: { ...targets({ firstResponse: 120 }), high: { ...none, firstResponse: 20 } } })
    ).json()
    const slow = await buildTicket(app, agent)
    const fast = await buildTicket(app, agent, { priority: 'high' })
    const answered = await buildTicket(app, agent)
    await call(agent, 'POST', `/tickets/${answered.id}/replies`, { body: 'Done' })
    const page1 = (await call(agent, 'GET', '/tickets?sort=sla&limit=1')).json()
    expect(page1.items.map((t: { id: number }) => t.id)).toEqual([fast.id])
    const page2 = (await call(agent, 'GET', `/tickets?sort=sla&limit=5&cursor=${encodeURIComponent(page1.nextCursor)}`)).json()
    expect(page2.items.map((t: { id: number }) => t.id)).toEqual([slow.id])
    expect(page2.nextCursor).toBeNull()
    expect(page1.items[0].sla.nextDueAt).toBe(fast.createdAt + 20 * MIN)
    expect((await call(contributor, 'GET', '/tickets?sort=sla')).json().items).toEqual([])
    await call(admin, 'DELETE', `/sla-policies/${policy.id}`)
  })

  it('finds due and warning clocks through their partial indexes', async () => {
    expect(await queryPlan(app, timersPast(app.ctx.db, 'breached', Date.now()).compile())).toMatch(/sla_timers_running_due/)
    expect(await queryPlan(app, timersPast(app.ctx.db, 'warned', Date.now()).compile())).toMatch(/sla_timers_running_warn/)
  })

  it('counts in the business hours of the first matching policy', async () => {
    const week = [0, 1, 2, 3, 4].map(() => [{ start: '09:00', end: '17:00' }]).concat([[], []])
    const calendar = { timeZone: 'America/New_York', week, holidays: ['2026-12-25'] }
    const cal = (await call(admin, 'POST', '/sla-calendars', { name: 'New York', ...calendar })).json()
    const office = (
      await call(admin, 'POST', '/sla-policies', {
        name: 'Office',
        conditions: { tags: ['office'] },
        calendarId: cal.id,
        targets: targets({ resolution: 600 }),
      })
    ).json()
    const fallback = (await call(admin, 'POST', '/sla-policies', { name: 'Fallback', targets: targets({ resolution: 600 }) })).json()
    const inOffice = await buildTicket(app, agent, { tags: ['office'] })
    const other = await buildTicket(app, agent)
    const a = (await timer(inOffice.id, 'resolution'))!
    expect(a.policyId).toBe(office.id)
    expect(a.dueAt).toBe(addBusinessTime(calendar, inOffice.createdAt, 600 * MIN))
    expect((await timer(other.id, 'resolution'))!).toMatchObject({ policyId: fallback.id, dueAt: other.createdAt + 600 * MIN })
    // Removing the tag moves the running clock to the policy that now matches.
    await call(agent, 'PATCH', `/tickets/${inOffice.id}`, { tags: [] })
    expect((await timer(inOffice.id, 'resolution'))!).toMatchObject({ policyId: fallback.id, dueAt: inOffice.createdAt + 600 * MIN })
    for (const p of [office, fallback]) await call(admin, 'DELETE', `/sla-policies/${p.id}`)
  })
})
