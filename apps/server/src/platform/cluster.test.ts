import type { VisitorServerMessage } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { connectAgentSocket } from '../../test/sockets.ts'
import { rawEmail, startDovecot } from '../../test/email-peers.ts'
import { buildNodes } from '../../test/in-process-nodes.ts'
import { buildTicket, buildUser, createTestDatabase, unique } from '../../test/helpers.ts'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { LiveVisitorState } from '../modules/chat/visitor-hub.ts'
import { startImapWatchers } from '../modules/email/index.ts'
import { enqueueJob, type JobDefinition } from './jobs.ts'
import { holdLease, releaseLease } from './leases.ts'

describe('several nodes on one database and Redis', async () => {
  const [a, b] = await buildNodes(2, { JOB_LEASE_MS: '600' })

  it('delivers an event written through one node to sockets on the other, and tells the health check Redis is there', async () => {
    const alice = await buildUser(a!.app, { role: 'agent', name: 'Alice' })
    const ticket = await buildTicket(a!.app, alice)
    const onB = await connectAgentSocket(b!.base, alice.headers)
    await onB.join(`ticket:${ticket.id}`)
    await onB.join('inbox')
    const res = await a!.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/notes`, headers: alice.headers, payload: { body: 'Seen on node B' } })
    expect(res.statusCode).toBe(201)
    const started = Date.now()
    await onB.event('message.created', (p) => p.ticketId === ticket.id)
    expect(Date.now() - started).toBeLessThan(1000)
    onB.ws.close()
    const health = await b!.app.inject({ method: 'GET', url: '/api/v1/health' })
    expect(health.json()).toMatchObject({ status: 'ok', redis: 'ok' })
  })

  it('shows who is viewing and typing in a ticket whichever node their socket is on', async () => {
    const alice = await buildUser(a!.app, { role: 'agent', name: 'Alice' })
    const bob = await buildUser(a!.app, { role: 'agent', name: 'Bob' })
    const ticket = await buildTicket(a!.app, alice)
    const aliceOnA = await connectAgentSocket(a!.base, alice.headers)
    const bobOnB = await connectAgentSocket(b!.base, bob.headers)
    await aliceOnA.join(`ticket:${ticket.id}`)
    await bobOnB.join(`ticket:${ticket.id}`)
    aliceOnA.send({ type: 'presence', ticketId: ticket.id, state: 'typing' })
    await bobOnB.waitFor((m) => m.type === 'presence' && m.users.some((u) => u.name === 'Alice' && u.typing))
    bobOnB.send({ type: 'presence', ticketId: ticket.id, state: 'viewing' })
    await aliceOnA.waitFor((m) => m.type === 'presence' && m.users.some((u) => u.name === 'Bob') && m.users.some((u) => u.name === 'Alice'))
    expect(b!.app.ctx.realtime.ticketsOf(alice.id)).toEqual([{ ticketId: ticket.id, typing: true }])
    aliceOnA.ws.close()
    await bobOnB.waitFor((m) => m.type === 'presence' && m.ticketId === ticket.id && m.users.every((u) => u.name !== 'Alice'))
    bobOnB.ws.close()
  })

  it('knows a live-chat visitor connected to another node, and reaches their sockets there', async () => {
    const received: VisitorServerMessage[] = []
    const visitorId = 900_000 + Math.floor(Math.random() * 1000)
    const connection = { send: (m: VisitorServerMessage) => void received.push(m) }
    const state: LiveVisitorState = {
      visitorId,
      inboxId: 1,
      page: { url: 'https://shop.test/pricing', title: 'Pricing' },
      referrer: '',
      onSiteSince: Date.now(),
      onPageSince: Date.now(),
      pagesThisVisit: 1,
      timezone: 'Europe/Berlin',
      language: 'de',
      pageViewId: null,
    }
    b!.app.ctx.visitors.connect(visitorId, 1, connection)
    b!.app.ctx.visitors.update(state)
    b!.app.ctx.visitors.setTyping(visitorId, true)
    await expect.poll(() => a!.app.ctx.visitors.get(visitorId)?.page.title).toBe('Pricing')
    expect(a!.app.ctx.visitors.isOnline(visitorId)).toBe(true)
    expect(a!.app.ctx.visitors.isTyping(visitorId)).toBe(true)
    expect(a!.app.ctx.visitors.list().map((v) => v.visitorId)).toContain(visitorId)
    expect(a!.app.ctx.visitors.send(visitorId, { type: 'online', online: true })).toBe(true)
    await expect.poll(() => received).toContainEqual({ type: 'online', online: true })
    // A socket closing is seen at once; the visitor leaves the list after the grace period.
    b!.app.ctx.visitors.disconnect(visitorId, connection)
    await expect.poll(() => a!.app.ctx.visitors.isOnline(visitorId)).toBe(false)
  })

  it('keeps a running job with its worker while the worker renews the lease, and settles it once', async () => {
    let runs = 0
    const slow: JobDefinition<{ n: number }> = {
      name: unique('test-slow-'),
      label: 'Test slow job',
      maxAttempts: 3,
      handle: async () => {
        runs++
        await new Promise((r) => setTimeout(r, 2000))
      },
    }
    a!.app.ctx.jobs.register(slow)
    b!.app.ctx.jobs.register(slow)
    await enqueueJob(a!.app.ctx.db, slow, { n: 1 })
    const first = a!.app.ctx.jobs.runDue()
    await new Promise((r) => setTimeout(r, 1200)) // two lease periods: without heartbeats node B would take it over
    await b!.app.ctx.jobs.runDue() // other due work may run there, this job must not
    await first
    expect(runs).toBe(1)
    const row = await a!.app.ctx.db.selectFrom('jobs').select(['status', 'attempts']).where('name', '=', slow.name).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'done', attempts: 1 })
  })

  it('counts a rate limit across nodes: requests spread over both share one budget', async () => {
    const codes: number[] = []
    for (let i = 0; i < 7; i++) {
      const node = i % 2 === 0 ? a! : b!
      const res = await node.app.inject({
        method: 'POST',
        url: '/api/v1/public/form',
        remoteAddress: '10.9.8.7',
        payload: { name: 'R', email: 'r@x.test', subject: `s${i}`, message: 'm' },
      })
      codes.push(res.statusCode)
    }
    expect(codes).toEqual([201, 201, 201, 201, 201, 429, 429])
  })

  it('gives a lease to one holder at a time, to another once it runs out or is released', async () => {
    const db = a!.app.ctx.db
    const name = unique('lease-')
    expect(await holdLease(db, name, 'node-1', 200)).toBe(true)
    expect(await holdLease(db, name, 'node-2', 200)).toBe(false)
    expect(await holdLease(db, name, 'node-1', 200)).toBe(true) // renewal
    await new Promise((r) => setTimeout(r, 250))
    expect(await holdLease(db, name, 'node-2', 200)).toBe(true)
    await releaseLease(db, name, 'node-2')
    expect(await holdLease(db, name, 'node-1', 200)).toBe(true)
  })
})

describe('IMAP watchers on two workers', async () => {
  const dovecot = await startDovecot()
  const [a, b] = await buildNodes(2)
  const admin = await buildUser(a!.app, { role: 'admin' })
  const created = await a!.app.inject({
    method: 'POST',
    url: '/api/v1/inboxes',
    headers: admin.headers,
    payload: { name: 'IMAP', type: 'email', email: { addresses: ['imap@acme.test'], imap: dovecot.settings } },
  })
  const inboxId: number = created.json().id
  const holder = async () => (await a!.app.ctx.db.selectFrom('leases').select('holder').where('name', '=', `imap:${inboxId}`).executeTakeFirst())?.holder
  const imported = async () =>
    (await a!.app.ctx.db.selectFrom('inboundEmails').select(['disposition']).where('inboxId', '=', inboxId).execute()).map((r) => r.disposition)

  it('watch each inbox from one worker at a time, and hand it over when that worker stops', async () => {
    const watchers = new Map([
      [a!.app.ctx.bus.nodeId, startImapWatchers(a!.app.ctx, { reconcileMs: 300, pollMs: 600_000 })],
      [b!.app.ctx.bus.nodeId, startImapWatchers(b!.app.ctx, { reconcileMs: 300, pollMs: 600_000 })],
    ])
    try {
      await expect.poll(holder).toBeTruthy()
      const first = (await holder())!
      await dovecot.append(rawEmail({ from: 'a@customer.test', to: 'imap@acme.test', subject: 'Fetched once', text: 'one' }))
      await expect.poll(imported, { timeout: 10_000 }).toEqual(['ticket'])
      expect(await holder()).toBe(first)
      // The holder stops (a deploy, a crash would let the lease run out instead): the other worker takes the inbox.
      await watchers.get(first)!.stop()
      watchers.delete(first)
      const [other] = [...watchers.keys()]
      await expect.poll(holder, { timeout: 5_000 }).toBe(other)
      await dovecot.append(rawEmail({ from: 'b@customer.test', to: 'imap@acme.test', subject: 'Fetched by the other', text: 'two' }))
      await expect.poll(imported, { timeout: 10_000 }).toEqual(['ticket', 'ticket'])
    } finally {
      for (const w of watchers.values()) await w.stop()
    }
  })
})

describe('a node whose Redis is unreachable', () => {
  it('still serves requests and says so in the health check', async () => {
    const target = await createTestDatabase()
    const config = loadConfig({
      DATA_DIR: target.dataDir,
      ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
      LOG_LEVEL: 'silent',
      REDIS_URL: 'redis://127.0.0.1:1',
    })
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
    await migrateToLatest(database.db)
    const app = await buildApp(config, database, { logger: false })
    try {
      await app.ready()
      const user = await buildUser(app, { role: 'agent' })
      const ticket = await buildTicket(app, user)
      app.ctx.realtime.publish({ name: 'ticket.updated', ticket: { id: ticket.id, teamId: null }, payload: { ticketId: ticket.id } })
      const health = await app.inject({ method: 'GET', url: '/api/v1/health' })
      expect(health.statusCode).toBe(200)
      expect(health.json()).toMatchObject({ status: 'ok', redis: 'down' })
    } finally {
      await app.close()
      await database.close()
      await target.drop()
    }
  })
})
