import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { now, resetClock } from '../../platform/clock.ts'

describe('test clock (ALLHANDS_TEST_CLOCK=1 only)', async () => {
  const app = await buildTestApp({ ALLHANDS_TEST_CLOCK: '1' })
  afterAll(() => resetClock())
  const owner = await buildUser(app, { role: 'owner' })
  const admin = await buildUser(app, { role: 'admin' })

  it('lets only the owner move the server clock, and runs the due jobs', async () => {
    const move = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/v1/test/clock', headers, payload: { advanceMs: 3_600_000 } })
    expect((await move(admin.headers)).statusCode).toBe(403)
    expect((await app.inject({ method: 'POST', url: '/api/v1/test/clock', payload: { advanceMs: 1 } })).statusCode).toBe(401)
    const before = now()
    const res = await move(owner.headers)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().now).toBeGreaterThanOrEqual(before + 3_600_000)
    expect(res.json().jobsRun).toBeGreaterThanOrEqual(1)
  })
})
