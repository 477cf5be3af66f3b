import { afterEach, describe, expect, it } from 'vitest'
import { postEmail, rawEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { enqueueJob, type JobDefinition } from '../../platform/jobs.ts'

type User = Awaited<ReturnType<typeof buildUser>>
type Job = {
  id: number
  name: string
  label: string
  status: string
  attempts: number
  maxAttempts: number
  lastError: string | null
  runAt: number
  updatedAt: number
  payload: string
  payloadTruncated: boolean
}
type Summary = { counts: { pending: number; running: number; dead: number }; countCap: number; deadByName: { name: string; label: string; count: number }[] }

const HOUR = 3_600_000

// Test job kinds: one that fails while `flaky.failing` is set, one that always fails, one that waits to be released.
const flaky = { failing: true, ran: [] as number[], deadCalls: [] as string[] }
const flakyJob: JobDefinition<{ n: number }> = {
  name: 'test-flaky-sync',
  label: 'Test flaky sync',
  maxAttempts: 2,
  handle: async (_ctx, p) => {
    if (flaky.failing) throw new Error(`upstream refused ${p.n}`)
    flaky.ran.push(p.n)
  },
  onDead: async (_ctx, _p, error) => void flaky.deadCalls.push(error),
}
const doomedJob: JobDefinition<{ n: number; text?: string }> = {
  name: 'test-doomed',
  label: 'Test doomed',
  maxAttempts: 1,
  handle: async (_ctx, p) => {
    throw new Error(`doomed ${p.n}`)
  },
}
const gate = { started: () => {}, release: () => {} }
const blockingJob: JobDefinition<{ n: number }> = {
  name: 'test-blocking',
  label: 'Test blocking',
  maxAttempts: 1,
  handle: () =>
    new Promise<void>((resolve) => {
      gate.release = resolve
      gate.started()
    }),
}

describe('background jobs admin', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  app.ctx.jobs.register(flakyJob, doomedJob, blockingJob)
  const owner = await buildUser(app, { role: 'owner' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  afterEach(resetClock)

  const call = (as: User, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload !== undefined ? { payload: payload as object } : {}) })
  const list = async (query = '', as: User = admin): Promise<{ items: Job[]; nextCursor: string | null }> => {
    const res = await call(as, 'GET', `/admin/jobs${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }
  const jobsOf = async (name: string, status = 'dead') => (await list(`?status=${status}&name=${name}&limit=200`)).items
  const summary = async (): Promise<Summary> => (await call(admin, 'GET', '/admin/jobs/summary')).json()
  const audit = async (action: string) => (await call(admin, 'GET', `/audit-log?action=${action}`)).json().items as Record<string, any>[]
  /** Runs due jobs, then lets an hour pass (past any backoff), as often as asked. */
  const runRounds = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await app.ctx.jobs.runDue()
      advanceClock(HOUR)
    }
  }

  it('shows a job that used up its attempts as dead; retried, it gets a fresh set of attempts and finally succeeds', async () => {
    flaky.failing = true
    await enqueueJob(app.ctx.db, flakyJob, { n: 1 })
    await runRounds(2)
    const [dead] = await jobsOf('test-flaky-sync')
    expect(dead).toMatchObject({
      name: 'test-flaky-sync',
      label: 'Test flaky sync',
      status: 'dead',
      attempts: 2,
      maxAttempts: 2,
      lastError: 'upstream refused 1',
      payload: '{"n":1}',
      payloadTruncated: false,
    })
    expect(flaky.deadCalls).toEqual(['upstream refused 1'])
    expect((await list()).items.map((j) => j.id)).toContain(dead!.id)
    expect((await summary()).deadByName).toContainEqual({ name: 'test-flaky-sync', label: 'Test flaky sync', count: 1 })

    // Retried: pending again, due now, attempts reset, the old error kept until the next run.
    const retried = await call(admin, 'POST', `/admin/jobs/${dead!.id}/retry`)
    expect(retried.statusCode, retried.body).toBe(200)
    expect(retried.json()).toEqual({ ok: true })
    expect(await jobsOf('test-flaky-sync')).toEqual([])
    const [pending] = await jobsOf('test-flaky-sync', 'pending')
    expect(pending).toMatchObject({ id: dead!.id, status: 'pending', attempts: 0, lastError: 'upstream refused 1' })
    expect(pending!.runAt).toBe(pending!.updatedAt)
    const [entry] = await audit('job.retried')
    expect(entry).toMatchObject({
      actor: { id: admin.id },
      targetType: 'job',
      targetId: dead!.id,
      data: { name: 'test-flaky-sync', attempts: 2, lastError: 'upstream refused 1' },
    })

    // Still failing: it uses its two fresh attempts and dies again (the onDead hook runs again).
    await runRounds(2)
    expect(await jobsOf('test-flaky-sync')).toMatchObject([{ id: dead!.id, attempts: 2 }])
    expect(flaky.deadCalls).toHaveLength(2)

    // Fixed upstream: the retry runs it once more and it finishes; a finished job is no longer listed or retried.
    flaky.failing = false
    expect((await call(owner, 'POST', `/admin/jobs/${dead!.id}/retry`)).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    expect(flaky.ran).toEqual([1])
    for (const status of ['dead', 'pending', 'running']) expect(await jobsOf('test-flaky-sync', status)).toEqual([])
    const again = await call(admin, 'POST', `/admin/jobs/${dead!.id}/retry`)
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is done/) })
    expect((await call(admin, 'DELETE', `/admin/jobs/${dead!.id}`)).statusCode).toBe(409)
  })

  it('pages dead jobs newest failure first, by kind or all together', async () => {
    for (let n = 1; n <= 5; n++) {
      await enqueueJob(app.ctx.db, doomedJob, { n })
      await app.ctx.jobs.runDue()
      advanceClock(1000)
    }
    const seen: number[] = []
    const lastErrors: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await list(`?name=test-doomed&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((j) => j.id))
      lastErrors.push(...page.items.map((j) => j.lastError ?? ''))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(lastErrors).toEqual(['doomed 5', 'doomed 4', 'doomed 3', 'doomed 2', 'doomed 1'])
    expect(new Set(seen).size).toBe(5)

    // All kinds together: the same jobs, still newest failure first.
    const all = (await list('?limit=200')).items
    expect(all.filter((j) => j.name === 'test-doomed').map((j) => j.id)).toEqual(seen)
    expect(all.map((j) => j.updatedAt)).toEqual([...all.map((j) => j.updatedAt)].sort((a, b) => b - a))
    expect((await summary()).deadByName).toContainEqual({ name: 'test-doomed', label: 'Test doomed', count: 5 })

    expect((await call(admin, 'GET', '/admin/jobs?cursor=not-a-cursor')).statusCode).toBe(400)
    expect((await call(admin, 'GET', '/admin/jobs?status=done')).statusCode).toBe(400)
    expect((await call(admin, 'GET', '/admin/jobs?name=DROP%20TABLE')).statusCode).toBe(400)
  })

  it('retries every dead job of one kind, or every dead job, in one go', async () => {
    const before = await summary()
    const doomed = before.deadByName.find((k) => k.name === 'test-doomed')?.count ?? 0
    expect(doomed).toBeGreaterThan(0)
    const one = await call(admin, 'POST', '/admin/jobs/retry-all', { name: 'test-doomed' })
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json()).toEqual({ retried: doomed })
    expect(await jobsOf('test-doomed')).toEqual([])
    expect((await jobsOf('test-doomed', 'pending')).every((j) => j.attempts === 0)).toBe(true)
    const after = await summary()
    expect(after.deadByName.map((k) => k.name)).not.toContain('test-doomed')
    expect(after.counts.pending).toBeGreaterThanOrEqual(doomed)
    expect(after.counts.dead).toBe(before.counts.dead - doomed)
    expect((await audit('job.retried_all'))[0]).toMatchObject({ targetType: 'job', targetId: null, data: { name: 'test-doomed', count: doomed } })

    // They fail again; retry-all without a kind takes every dead job.
    await runRounds(1)
    const dead = (await summary()).counts.dead
    expect(dead).toBeGreaterThanOrEqual(doomed)
    expect((await call(admin, 'POST', '/admin/jobs/retry-all', {})).json()).toEqual({ retried: dead })
    expect((await summary()).counts.dead).toBe(0)
    expect((await call(admin, 'POST', '/admin/jobs/retry-all', {})).json()).toEqual({ retried: 0 })
    await runRounds(1)
  })

  it('discards a dead job for good, keeping its error and payload in the audit log', async () => {
    await enqueueJob(app.ctx.db, doomedJob, { n: 42 }, { idempotencyKey: 'test-doomed:42' })
    await app.ctx.jobs.runDue()
    const job = (await jobsOf('test-doomed')).find((j) => j.lastError === 'doomed 42')!
    const res = await call(admin, 'DELETE', `/admin/jobs/${job.id}`)
    expect(res.statusCode, res.body).toBe(200)
    expect((await jobsOf('test-doomed')).map((j) => j.id)).not.toContain(job.id)
    expect((await audit('job.discarded'))[0]).toMatchObject({
      targetId: job.id,
      data: { name: 'test-doomed', attempts: 1, lastError: 'doomed 42', payload: '{"n":42}' },
    })
    expect((await call(admin, 'DELETE', `/admin/jobs/${job.id}`)).statusCode).toBe(404)
    expect((await call(admin, 'POST', `/admin/jobs/${job.id}/retry`)).statusCode).toBe(404)
    // The discarded job's idempotency key is free again: the same work can be queued anew.
    await enqueueJob(app.ctx.db, doomedJob, { n: 42 }, { idempotencyKey: 'test-doomed:42' })
    expect((await jobsOf('test-doomed', 'pending')).map((j) => j.payload)).toContain('{"n":42}')
    await app.ctx.jobs.runDue()
  })

  it('shows a large payload cut to a preview', async () => {
    await enqueueJob(app.ctx.db, doomedJob, { n: 7, text: 'x'.repeat(5000) })
    await app.ctx.jobs.runDue()
    const job = (await jobsOf('test-doomed')).find((j) => j.lastError === 'doomed 7')!
    expect(job.payloadTruncated).toBe(true)
    expect(job.payload).toHaveLength(2000)
    expect(job.payload.startsWith('{"n":7,"text":"xxx')).toBe(true)
  })

  it('refuses to retry or discard jobs that are queued or running (409) and lists them by status', async () => {
    await enqueueJob(app.ctx.db, doomedJob, { n: 100 }, { runAt: Date.now() + 24 * HOUR })
    const [queued] = await jobsOf('test-doomed', 'pending')
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, lastError: null })
    const refused = await call(admin, 'POST', `/admin/jobs/${queued!.id}/retry`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toMatch(/pending/)
    expect((await call(admin, 'DELETE', `/admin/jobs/${queued!.id}`)).statusCode).toBe(409)

    const started = new Promise<void>((resolve) => {
      gate.started = resolve
    })
    await enqueueJob(app.ctx.db, blockingJob, { n: 1 })
    const pass = app.ctx.jobs.runDue()
    await started
    const [running] = await jobsOf('test-blocking', 'running')
    expect(running).toMatchObject({ status: 'running', attempts: 1 })
    expect((await summary()).counts.running).toBe(1)
    expect((await call(admin, 'POST', `/admin/jobs/${running!.id}/retry`)).statusCode).toBe(409)
    expect((await call(admin, 'DELETE', `/admin/jobs/${running!.id}`)).statusCode).toBe(409)
    gate.release()
    await pass
    expect(await jobsOf('test-blocking', 'running')).toEqual([])
    expect((await summary()).counts.running).toBe(0)
    expect((await call(admin, 'POST', '/admin/jobs/2147483647/retry')).statusCode).toBe(404)
  })

  it('delivers a reply email that died on a broken relay once it is retried after the relay is fixed', async () => {
    const inbox = await call(admin, 'POST', '/inboxes', { name: 'Email', type: 'email', email: { addresses: ['help@acme.test'] } })
    expect(inbox.statusCode, inbox.body).toBe(201)
    const opened = await postEmail(
      app,
      admin.headers,
      inbox.json().id,
      rawEmail({ from: 'sam@customer.test', to: 'help@acme.test', subject: 'Refund', text: 'Hi' }),
    )
    sink.failNext(100)
    const reply = await call(agent, 'POST', `/tickets/${opened.ticketId}/replies`, { body: 'Your refund is on its way.' })
    expect(reply.statusCode, reply.body).toBe(201)
    await runRounds(6)
    const [dead] = await jobsOf('send-email')
    expect(dead).toMatchObject({ label: 'Send reply email', attempts: 6, maxAttempts: 6, payload: JSON.stringify({ messageId: reply.json().id }) })
    expect(dead!.lastError).toMatch(/451|temporarily/i)
    const message = async () =>
      ((await call(agent, 'GET', `/tickets/${opened.ticketId}/messages`)).json().items as { id: number; delivery: { status: string } }[]).find(
        (m) => m.id === reply.json().id,
      )
    expect((await message())!.delivery.status).toBe('failed')

    sink.failNext(0)
    const received = sink.received.length
    expect((await call(admin, 'POST', `/admin/jobs/${dead!.id}/retry`)).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(received + 1)
    expect(mail.parsed.text).toContain('Your refund is on its way.')
    expect((await message())!.delivery.status).toBe('sent')
    expect(await jobsOf('send-email')).toEqual([])
  })

  it('is for admins and owners only: agents and contributors are refused on every route (403)', async () => {
    await enqueueJob(app.ctx.db, doomedJob, { n: 500 })
    await app.ctx.jobs.runDue()
    const job = (await jobsOf('test-doomed')).find((j) => j.lastError === 'doomed 500')!
    for (const who of [agent, contributor]) {
      for (const [method, url, payload] of [
        ['GET', '/admin/jobs'],
        ['GET', '/admin/jobs?status=pending'],
        ['GET', '/admin/jobs/summary'],
        ['POST', `/admin/jobs/${job.id}/retry`],
        ['POST', '/admin/jobs/retry-all', {}],
        ['DELETE', `/admin/jobs/${job.id}`],
      ] as const) {
        const res = await call(who, method, url, payload)
        expect(res.statusCode, `${method} ${url}`).toBe(403)
        expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/admins/) })
      }
    }
    // Nothing changed, and an owner may do what an admin does.
    expect((await jobsOf('test-doomed')).map((j) => j.id)).toContain(job.id)
    expect((await list('', owner)).items.map((j) => j.id)).toContain(job.id)
    expect((await call(owner, 'GET', '/admin/jobs/summary')).statusCode).toBe(200)
    expect((await call(owner, 'DELETE', `/admin/jobs/${job.id}`)).statusCode).toBe(200)
  })
})
