import { describe, expect, it } from 'vitest'
import { buildTestApp } from './helpers.ts'

/**
 * Route schemas compile on first use (platform/lazy-compilers.ts), so a broken schema would otherwise only show
 * when its route is first called. This forces every validator and serializer of every route to compile.
 */
describe('route schemas', () => {
  it('every request validator and response serializer compiles', async () => {
    const app = await buildTestApp()
    const compiled = app.compileAllSchemas()
    expect(compiled).toBeGreaterThan(300)
    expect(app.compileAllSchemas()).toBe(0)
    // Each app keeps its own: a second app in the process compiles its routes, not the first one's again.
    const other = await buildTestApp()
    expect(app.compileAllSchemas()).toBe(0)
    expect(other.compileAllSchemas()).toBe(compiled)
    // A validator compiled in advance still rejects bad input with the usual message.
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 42 } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/email|password/)
  })
})
