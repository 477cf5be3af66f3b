import { randomBytes } from 'node:crypto'
import type { LiveVisitorDto, PresenceEntry, RealtimeEventName, ServerMessage } from '@allhands/contract'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { connectWidget, type WidgetClient } from '../src/modules/chat/widget.test-support.ts'
import { type ClusterNode, call, login, PrivateRedis, type Session, type SmtpSink, startNode, startSmtpSink, waitUntil } from './cluster.ts'
import { createTestDatabase, TEST_DB } from './helpers.ts'
import { connectAgentSocket } from './sockets.ts'

type AgentSocket = Awaited<ReturnType<typeof connectAgentSocket>>

const JOB_LEASE_MS = 3000
const OWNER = { email: 'owner@cluster.test', password: 'cluster owner password' }
const PASSWORD = 'cluster agent password'
/** Recurring jobs queue their own next run under `<name>:<slot>`: one row per slot however many processes ask. */
const RECURRING = ['drain-report-queue', 'check-sla-breaches', 'schedule-csat-surveys', 'auto-assign-tickets', 'compute-voc-suggestions']

/**
 * Two web processes and two workers from the bundle on one PostgreSQL database, one data dir and a private Redis:
 * realtime crosses nodes, a job whose worker dies mid-send is sent once by the other, recurring jobs run once per
 * slot, and losing Redis degrades the cluster to per-node realtime until it is back.
 */
describe.skipIf(TEST_DB !== 'postgres')('a cluster of web and worker processes', () => {
  const nodes: ClusterNode[] = []
  const sockets: { ws: { close(): void } }[] = []
  const cleanup: (() => Promise<unknown>)[] = []
  let redis: PrivateRedis
  let sink: SmtpSink
  let jobsDb: pg.Pool
  let webA: ClusterNode
  let webB: ClusterNode
  let workers: ClusterNode[]
  let owner: Session
  let alice: Session & { id: number; name: string }
  let bob: Session & { id: number; name: string }

  const logs = () => nodes.map((n) => n.describe()).join('\n')

  beforeAll(async () => {
    try {
      const database = await createTestDatabase()
      cleanup.push(() => database.drop())
      redis = await PrivateRedis.start()
      cleanup.push(() => redis.stop())
      sink = await startSmtpSink()
      cleanup.push(() => sink.close())
      jobsDb = new pg.Pool({ connectionString: database.databaseUrl!, max: 2 })
      cleanup.push(() => jobsDb.end())
      const env = {
        DATABASE_URL: database.databaseUrl!,
        DATA_DIR: database.dataDir,
        REDIS_URL: redis.url,
        REDIS_PREFIX: `allhands-test-${randomBytes(6).toString('hex')}`,
        JOB_LEASE_MS: String(JOB_LEASE_MS),
        JOB_POLL_MS: '250',
        SMTP_URL: sink.url,
        CHAT_LEAVE_GRACE_MS: '1000',
      }
      const start = async (name: string, role: 'web' | 'worker', extra: Record<string, string> = {}) => {
        const node = await startNode({ name, role, env: { ...env, ...extra } })
        nodes.push(node)
        return node
      }
      // The first node migrates and creates the owner; the others start once it is up, so nobody races on migrations.
      webA = await start('web A', 'web', { ALLHANDS_ADMIN_EMAIL: OWNER.email, ALLHANDS_ADMIN_PASSWORD: OWNER.password })
      await webA.waitReady()
      webB = await start('web B', 'web')
      workers = [await start('worker 1', 'worker'), await start('worker 2', 'worker')]
      await Promise.all([webB, ...workers].map((n) => n.waitReady()))

      owner = await login(webA.base, OWNER.email, OWNER.password)
      const agent = async (name: string) => {
        const email = `${name.toLowerCase()}@cluster.test`
        const res = await call(webA.base, owner, 'POST', '/users', { email, name, role: 'agent', password: PASSWORD })
        if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${JSON.stringify(res.json)}`)
        return { ...(await login(webB.base, email, PASSWORD)), id: res.json.id as number, name }
      }
      alice = await agent('Alice')
      bob = await agent('Bob')
    } catch (err) {
      throw new Error(`${(err as Error).message}${logs()}`)
    }
  })

  afterAll(async () => {
    for (const s of sockets) s.ws.close()
    await Promise.all(nodes.map((n) => n.stop()))
    for (const step of cleanup.reverse()) await step().catch((err) => console.error('cluster test cleanup:', err))
  })

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`cluster processes:${logs()}`))
  })

  const agentSocket = async (node: ClusterNode, as: Session) => {
    const socket = await connectAgentSocket(node.base, as.headers)
    sockets.push(socket)
    return socket
  }
  const widget = async (node: ClusterNode, token: string) => {
    const client = await connectWidget(node.base, token)
    sockets.push(client)
    return client
  }
  /** An event pushed to `socket` within `ms` (the budget cross-node delivery keeps). */
  const eventWithin = async (socket: AgentSocket, name: RealtimeEventName, pred: (p: Record<string, unknown>) => boolean, ms: number) => {
    const match = (m: ServerMessage) => m.type === 'event' && m.name === name && pred(m.payload)
    await waitUntil(`${name} on the socket`, () => (socket.received.some(match) ? true : undefined), ms, {
      intervalMs: 20,
      describe: () => `; its last messages: ${JSON.stringify(socket.received.slice(-5))}`,
    })
  }
  const presenceOf = (socket: AgentSocket, ticketId: number) =>
    socket.received.filter((m): m is { type: 'presence'; ticketId: number; users: PresenceEntry[] } => m.type === 'presence' && m.ticketId === ticketId).at(-1)
  const createTicket = async (node: ClusterNode, as: Session) => {
    const res = await call(node.base, as, 'POST', '/tickets', {
      subject: 'Order arrived broken',
      body: 'The box was crushed.',
      requester: { email: `cust-${randomBytes(4).toString('hex')}@customer.test`, name: 'Casey Customer' },
    })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    return res.json.id as number
  }
  const post = async (node: ClusterNode, as: Session, ticketId: number, kind: 'replies' | 'notes', body: string) => {
    const res = await call(node.base, as, 'POST', `/tickets/${ticketId}/${kind}`, { body })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    return res.json.id as number
  }
  const health = async (node: ClusterNode) => {
    const res = await call(node.base, null, 'GET', '/health')
    return { httpStatus: res.status, ...(res.json as { status: string; redis?: string }) }
  }
  const jobRows = async (where: string, params: unknown[]) =>
    (
      await jobsDb.query<{ id: number; name: string; status: string; attempts: number; idempotency_key: string; locked_by: string | null; run_at: string }>(
        `SELECT id, name, status, attempts, idempotency_key, locked_by, run_at FROM jobs WHERE ${where} ORDER BY id`,
        params,
      )
    ).rows
  const pidOf = (lockedBy: string | null) => Number(lockedBy?.split('-')[0])

  it('delivers realtime events, presence and live chat across web nodes', async () => {
    const ticketId = await createTicket(webB, bob)
    const onA = await agentSocket(webA, alice)
    expect(await onA.join('inbox')).toMatchObject({ type: 'subscribed' })
    expect(await onA.join(`ticket:${ticketId}`)).toMatchObject({ type: 'subscribed' })

    // Written through web B, seen on a socket of web A within a second: the ticket room and the inbox list.
    const noteId = await post(webB, bob, ticketId, 'notes', 'Checking the courier photos')
    await eventWithin(onA, 'message.created', (p) => p.messageId === noteId, 1000)
    const replyId = await post(webB, bob, ticketId, 'replies', 'Sorry about that, a new one is on its way.')
    await eventWithin(onA, 'message.created', (p) => p.messageId === replyId, 1000)
    await eventWithin(onA, 'ticket.updated', (p) => p.ticketId === ticketId, 1000)
    // Once per room the socket joined: the local copy and the one from Redis are not both delivered.
    const copies = onA.events('message.created').filter((m) => m.payload.messageId === replyId)
    expect(copies.map((m) => m.room).sort()).toEqual(['inbox', `ticket:${ticketId}`])

    // Alice views the ticket on web A; Bob, in the same ticket on web B, is told so, and told when she leaves.
    const onB = await agentSocket(webB, bob)
    expect(await onB.join(`ticket:${ticketId}`)).toMatchObject({ type: 'subscribed' })
    onA.send({ type: 'presence', ticketId, state: 'viewing' })
    await expect.poll(() => presenceOf(onB, ticketId)?.users.map((u) => u.userId), { timeout: 2000 }).toContain(alice.id)
    expect(presenceOf(onB, ticketId)!.users.find((u) => u.userId === alice.id)).toEqual({ userId: alice.id, name: 'Alice', typing: false })
    onA.send({ type: 'presence', ticketId, state: 'left' })
    await expect.poll(() => presenceOf(onB, ticketId)?.users.map((u) => u.userId), { timeout: 2000 }).not.toContain(alice.id)

    // A visitor's widget socket is on web B: web A lists them, and Alice's reply through web A reaches the widget.
    const inbox = await call(webA.base, owner, 'POST', '/inboxes', { name: 'Website chat', type: 'chat' })
    expect(inbox.status).toBe(201)
    const session = await call(webB.base, null, 'POST', '/widget/sessions', { inboxId: inbox.json.id })
    expect(session.status, JSON.stringify(session.json)).toBe(200)
    const visitor: WidgetClient = await widget(webB, session.json.token)
    await visitor.waitFor('ready')
    visitor.send({ type: 'page', url: 'https://shop.cluster.test/pricing', title: 'Pricing', referrer: '', timezone: 'Europe/Oslo', language: 'nb-NO' })
    const listed = async () =>
      ((await call(webA.base, alice, 'GET', '/chat/visitors')).json.items as LiveVisitorDto[]).find((v) => v.id === session.json.visitorId)
    await expect.poll(listed, { timeout: 3000 }).toMatchObject({ inboxId: inbox.json.id, page: { url: 'https://shop.cluster.test/pricing', title: 'Pricing' } })

    visitor.send({ type: 'message', clientId: 'cluster-1', text: 'Do you ship to Norway?', fields: { name: 'Nora Visitor' } })
    const started = await visitor.waitFor('conversation')
    await post(webA, alice, started.conversation.ticketId, 'replies', 'Yes, we ship to Norway.')
    await visitor.waitFor('message', (m) => m.message.text === 'Yes, we ship to Norway.')
  })

  it('runs each recurring job once per slot with two workers polling', async () => {
    // The report drain recurs every five seconds: wait until two of its slots came due (a second ago) and every due
    // slot of every chain has finished. A slot claimed twice (a lease lost while it ran) would show two attempts.
    const { rows, due } = await waitUntil(
      'two report-drain slots to come due and the due recurring jobs to finish',
      async () => {
        const rows = await jobRows('name = ANY($1) AND idempotency_key IS NOT NULL', [RECURRING])
        const due = rows.filter((r) => Number(r.run_at) < Date.now() - 1000)
        const drained = due.filter((r) => r.name === 'drain-report-queue').length >= 2
        return drained && due.every((r) => r.status !== 'pending' && r.status !== 'running') ? { rows, due } : undefined
      },
      25_000,
    )
    for (const r of rows) expect(r.idempotency_key, `job ${r.id}`).toMatch(new RegExp(`^${r.name}:\\d+$`))
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(rows.length)
    // Every slot that came due ran exactly once (one claim, done), and only in a worker process.
    expect(due.map((r) => [r.idempotency_key, r.status, r.attempts])).toEqual(due.map((r) => [r.idempotency_key, 'done', 1]))
    const workerPids = workers.map((w) => w.pid)
    for (const r of due) expect(workerPids, `${r.idempotency_key} locked by ${r.locked_by}`).toContain(pidOf(r.locked_by))
    // The next slot of each chain is queued once, not once per process.
    const pending = rows.filter((r) => r.status === 'pending')
    expect(new Set(pending.map((r) => r.name)).size).toBe(pending.length)
  })

  it('sends an email once when its worker is killed mid-send: the other worker takes the job after the lease', async () => {
    const support = 'support@cluster.test'
    const inbox = await call(webA.base, owner, 'POST', '/inboxes', { name: 'Support email', type: 'email', email: { addresses: [support] } })
    expect(inbox.status, JSON.stringify(inbox.json)).toBe(201)
    const customer = `cust-${randomBytes(4).toString('hex')}@customer.test`
    const raw = [
      `From: Carla Customer <${customer}>`,
      `To: ${support}`,
      'Subject: Where is my parcel?',
      `Message-ID: <${randomBytes(8).toString('hex')}@customer.test>`,
      'Date: Thu, 26 Nov 2026 09:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'It has been two weeks.',
      '',
    ].join('\r\n')
    const ingested = await call(webB.base, owner, 'POST', `/inboxes/${inbox.json.id}/inbound-email`, raw, 'message/rfc822')
    expect(ingested.status, JSON.stringify(ingested.json)).toBe(202)
    const ticketId = ingested.json.ticketId as number

    const marker = `parcel-${randomBytes(4).toString('hex')}`
    sink.stallFirst((m) => m.text.includes(marker))
    const messageId = await post(webA, alice, ticketId, 'replies', `Your parcel ${marker} left our warehouse today.`)
    const stalled = await waitUntil('a worker to send the reply', () => sink.stalled[0], 10_000)
    const [held] = await jobRows('idempotency_key = $1', [`send-email:${messageId}`])
    const victim = workers.find((w) => w.pid === pidOf(held?.locked_by ?? null))
    expect(victim, `send-email job locked by ${held?.locked_by}, workers ${workers.map((w) => w.pid)}`).toBeDefined()
    expect(held).toMatchObject({ status: 'running', attempts: 1 })
    await victim!.kill('SIGKILL')

    const survivor = workers.find((w) => w !== victim)!
    const sent = await waitUntil('the other worker to send the reply', () => sink.accepted.find((m) => m.messageId === stalled.messageId), 6 * JOB_LEASE_MS)
    expect(sent.rcpt).toEqual([customer])
    const done = await waitUntil(
      'the send-email job to be done',
      async () => {
        const rows = await jobRows('idempotency_key = $1', [`send-email:${messageId}`])
        return rows[0]?.status === 'done' ? rows : undefined
      },
      5000,
    )
    expect(done).toHaveLength(1)
    expect(done[0]).toMatchObject({ status: 'done', attempts: 2 })
    expect(pidOf(done[0]!.locked_by)).toBe(survivor.pid)
    const messages = (await call(webB.base, alice, 'GET', `/tickets/${ticketId}/messages`)).json.items as { id: number; delivery: unknown }[]
    expect(messages.find((m) => m.id === messageId)?.delivery).toEqual({ status: 'sent', error: null })
    // Still one accepted copy a while later: nobody else picks the job up again.
    await new Promise((r) => setTimeout(r, 1000))
    expect(sink.accepted.filter((m) => m.messageId === stalled.messageId)).toHaveLength(1)
    expect(sink.accepted.filter((m) => m.rcpt.includes(customer))).toHaveLength(1)
  })

  it('keeps serving while Redis is down (per-node realtime) and delivers across nodes again once it is back', async () => {
    const ticketId = await createTicket(webA, alice)
    const onA = await agentSocket(webA, alice)
    expect(await onA.join(`ticket:${ticketId}`)).toMatchObject({ type: 'subscribed' })

    await redis.stop()
    await waitUntil('web A to report Redis down', async () => ((await health(webA)).redis === 'down' ? true : undefined), 10_000)
    expect(await health(webA)).toMatchObject({ httpStatus: 200, status: 'ok', db: true, redis: 'down' })
    expect(await health(webB)).toMatchObject({ httpStatus: 200, status: 'ok', db: true })
    const list = await call(webA.base, alice, 'GET', '/tickets')
    expect(list.status).toBe(200)
    expect(Array.isArray(list.json.items)).toBe(true)
    const duringOutage = await post(webA, alice, ticketId, 'notes', 'Written while Redis is away')
    await eventWithin(onA, 'message.created', (p) => p.messageId === duringOutage, 2000)

    await redis.start()
    for (const node of [webA, webB])
      await waitUntil(`${node.name} to report Redis ok again`, async () => ((await health(node)).redis === 'ok' ? true : undefined), 15_000)
    const afterOutage = await post(webB, bob, ticketId, 'notes', 'Redis is back')
    await eventWithin(onA, 'message.created', (p) => p.messageId === afterOutage, 3000)
  })
})
