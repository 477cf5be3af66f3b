import { describe, expect, it } from 'vitest'
import { postEmail, rawEmail } from '../../../test/email-peers.ts'
import { buildNodes } from '../../../test/in-process-nodes.ts'
import { buildTeam, buildTestApp, buildUser, type TestApp, unique } from '../../../test/helpers.ts'

type User = Awaited<ReturnType<typeof buildUser>>
const TARGETS = { firstResponse: 60, nextResponse: null, resolution: 240 }
const slaPolicy = { name: 'Everyone', targets: { low: TARGETS, normal: TARGETS, high: TARGETS, urgent: TARGETS } }

/** What ingest reads from per-app caches (inbox, addresses, SLA policies, automation triggers) follows API changes at once. */
describe('email ingest sees configuration changes right away', async () => {
  const app = await buildTestApp({ PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const support = `${unique('support')}@acme.test`
  const call = (as: User, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const created = await call(admin, 'POST', '/inboxes', { name: 'Support', type: 'email', email: { addresses: [support] } })
  expect(created.statusCode, created.body).toBe(201)
  const inboxId: number = created.json().id
  const mail = (o: { from?: string; cc?: string; subject?: string } = {}) =>
    postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({ from: o.from ?? `${unique('c')}@customer.test`, to: support, cc: o.cc, subject: o.subject ?? 'Help', text: 'Hello' }),
    )
  const jobsNamed = async (name: string) =>
    Number(
      (
        await app.ctx.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const ticketOf = async (id: number) => (await call(admin, 'GET', `/tickets/${id}`)).json()

  it('acknowledges senders once the inbox turns its automatic reply on, and stops when it is off again', async () => {
    const before = await jobsNamed('send-auto-reply')
    await mail()
    expect(await jobsNamed('send-auto-reply')).toBe(before)
    const on = await call(admin, 'PATCH', `/inboxes/${inboxId}`, { autoReply: { enabled: true, subject: 'Got it', body: 'We will answer soon.' } })
    expect(on.statusCode, on.body).toBe(200)
    await mail()
    expect(await jobsNamed('send-auto-reply')).toBe(before + 1)
    await call(admin, 'PATCH', `/inboxes/${inboxId}`, { autoReply: { enabled: false, subject: 'Got it', body: 'We will answer soon.' } })
    await mail()
    expect(await jobsNamed('send-auto-reply')).toBe(before + 1)
  })

  it('gives new tickets the team the inbox has now', async () => {
    const team = await buildTeam(app)
    expect((await ticketOf((await mail()).ticketId!)).teamId).toBeNull()
    expect((await call(admin, 'PATCH', `/inboxes/${inboxId}`, { teamId: team })).statusCode).toBe(200)
    expect((await ticketOf((await mail()).ticketId!)).teamId).toBe(team)
    await call(admin, 'PATCH', `/inboxes/${inboxId}`, { teamId: null })
  })

  it('treats an address added to an inbox as ours at once (never a Cc participant of a ticket)', async () => {
    const sales = `${unique('sales')}@acme.test`
    const participants = async (ticketId: number) =>
      (await app.ctx.db.selectFrom('ticketParticipants').select('email').where('ticketId', '=', ticketId).execute()).map((r) => r.email)
    const first = await mail({ cc: sales })
    expect(await participants(first.ticketId!)).toContain(sales)
    const res = await call(admin, 'PATCH', `/inboxes/${inboxId}`, { email: { addresses: [support, sales] } })
    expect(res.statusCode, res.body).toBe(200)
    const second = await mail({ cc: sales })
    expect(await participants(second.ticketId!)).not.toContain(sales)
  })

  it('starts SLA clocks on the next mail after a policy is created, and none after it is disabled', async () => {
    expect((await ticketOf((await mail()).ticketId!)).sla).toBeUndefined()
    const policy = await call(admin, 'POST', '/sla-policies', slaPolicy)
    expect(policy.statusCode, policy.body).toBe(201)
    expect((await ticketOf((await mail()).ticketId!)).sla?.timers.length).toBeGreaterThan(0)
    expect((await call(admin, 'PATCH', `/sla-policies/${policy.json().id}`, { enabled: false })).statusCode).toBe(200)
    expect((await ticketOf((await mail()).ticketId!)).sla).toBeUndefined()
  })

  it('runs an automation created a moment ago on the next mail, and not once it is disabled', async () => {
    const runJobs = async () => {
      for (let i = 0; i < 20; i++) if (!(await app.ctx.jobs.runDue())) return
    }
    const rule = await call(admin, 'POST', '/automations', {
      name: 'Tag mail',
      trigger: 'ticket.created',
      conditions: { all: [] },
      actions: [{ type: 'add_tags', tags: ['from-mail'] }],
    })
    expect(rule.statusCode, rule.body).toBe(201)
    const tagged = await mail()
    await runJobs()
    expect((await ticketOf(tagged.ticketId!)).tags).toContain('from-mail')
    expect((await call(admin, 'PATCH', `/automations/${rule.json().id}`, { enabled: false })).statusCode).toBe(200)
    const before = await jobsNamed('run-automations')
    const untagged = await mail()
    await runJobs()
    expect(await jobsNamed('run-automations')).toBe(before)
    expect((await ticketOf(untagged.ticketId!)).tags).not.toContain('from-mail')
  })

  it('refuses a revoked token and a deactivated owner’s token on the very next delivery', async () => {
    const owner = await buildUser(app, { role: 'admin' })
    const token = async () => {
      const res = await call(owner, 'POST', '/tokens', { name: unique('mta') })
      expect(res.statusCode, res.body).toBe(201)
      return res.json() as { id: number; token: string }
    }
    const deliver = (secret: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/inboxes/${inboxId}/inbound-email`,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
        payload: rawEmail({ from: `${unique('c')}@customer.test`, to: support, subject: 'Token', text: 'Hi' }),
      })
    const revoked = await token()
    expect((await deliver(revoked.token)).statusCode).toBe(202)
    expect((await call(owner, 'DELETE', `/tokens/${revoked.id}`)).statusCode).toBe(200)
    expect((await deliver(revoked.token)).statusCode).toBe(401)

    const kept = await token()
    expect((await deliver(kept.token)).statusCode).toBe(202)
    expect((await call(admin, 'PATCH', `/users/${owner.id}`, { isActive: false })).statusCode).toBe(200)
    expect((await deliver(kept.token)).statusCode).toBe(401)
  })
})

/** Two nodes on one database and Redis: a change made through one is seen by ingest on the other. */
describe('email ingest on another node', async () => {
  const [a, b] = (await buildNodes(2)).map((n) => n.app) as [TestApp, TestApp]

  it('uses the inbox team and SLA policies changed through the other node', async () => {
    const admin = await buildUser(a, { role: 'admin' })
    const support = `${unique('support')}@acme.test`
    const inboxId: number = (
      await a.inject({
        method: 'POST',
        url: '/api/v1/inboxes',
        headers: admin.headers,
        payload: { name: 'Support', type: 'email', email: { addresses: [support] } },
      })
    ).json().id
    const mailToB = () => postEmail(b, admin.headers, inboxId, rawEmail({ from: `${unique('c')}@customer.test`, to: support, subject: 'Hi', text: 'Hello' }))
    const ticketOnB = async (id: number) => (await b.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: admin.headers })).json()
    // Node B has the inbox and the (empty) policy list cached now.
    const first = await ticketOnB((await mailToB()).ticketId!)
    expect(first.teamId).toBeNull()
    expect(first.sla).toBeUndefined()

    const team = await buildTeam(a)
    expect((await a.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inboxId}`, headers: admin.headers, payload: { teamId: team } })).statusCode).toBe(200)
    expect((await a.inject({ method: 'POST', url: '/api/v1/sla-policies', headers: admin.headers, payload: slaPolicy })).statusCode).toBe(201)
    // The bus is asynchronous: node B hears of the change within moments, far within the caches' TTL.
    let next = await ticketOnB((await mailToB()).ticketId!)
    for (let waited = 0; (next.teamId !== team || !next.sla) && waited < 2000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100))
      next = await ticketOnB((await mailToB()).ticketId!)
    }
    expect(next.teamId).toBe(team)
    expect(next.sla?.timers.length).toBeGreaterThan(0)
  })
})
