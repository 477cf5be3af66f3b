import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers.ts'
import { advanceClock, resetClock } from './clock.ts'
import { enqueueJob, type JobDefinition } from './jobs.ts'

const ran: number[] = []
const everySecond: JobDefinition<{ n: number }> = {
  name: 'test-every-second',
  label: 'Test every second',
  maxAttempts: 1,
  keepDoneMs: 60_000,
  handle: async (_ctx, p) => void ran.push(p.n),
}
const once: JobDefinition<{ n: number }> = { name: 'test-once', label: 'Test once', maxAttempts: 1, handle: async (_ctx, p) => void ran.push(p.n) }

describe('job runner', async () => {
  const app = await buildTestApp()
  app.ctx.jobs.register(everySecond, once)
  afterEach(resetClock)

  it('keeps finished rows for their job’s keep period, so an idempotency key still blocks a repeat meanwhile', async () => {
    const db = app.ctx.db
    await enqueueJob(db, everySecond, { n: 1 }, { idempotencyKey: 'test-every-second:1' })
    await enqueueJob(db, once, { n: 2 }, { idempotencyKey: 'test-once:2' })
    await app.ctx.jobs.runDue()
    expect(ran).toEqual([1, 2])
    await enqueueJob(db, once, { n: 2 }, { idempotencyKey: 'test-once:2' })
    await app.ctx.jobs.runDue()
    expect(ran).toEqual([1, 2])

    const rows = () => db.selectFrom('jobs').select('name').where('name', 'like', 'test-%').orderBy('name').execute()
    advanceClock(2 * 60_000)
    expect(await app.ctx.jobs.purgeFinished()).toBe(1)
    expect((await rows()).map((r) => r.name)).toEqual(['test-once'])
    advanceClock(7 * 24 * 3_600_000)
    await app.ctx.jobs.purgeFinished()
    expect(await rows()).toEqual([])
  })
})
