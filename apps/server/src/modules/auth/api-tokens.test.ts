import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('API tokens: scopes, expiry and auditing', async () => {
  const app = await buildTestApp()
  afterEach(resetClock)
  const owner = await buildUser(app, { role: 'owner' })
  const agent = await buildUser(app, { role: 'agent' })
  const makeToken = async (as: { headers: Record<string, string> }, payload: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: as.headers, payload })
    expect(res.statusCode).toBe(201)
    return res.json() as { id: number; token: string; scopes: string[]; expiresAt: number | null }
  }
  const auditOf = (action: string) => app.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()
  const newTicket = { subject: 'Hello', body: 'Body', requester: { email: 'cust@customer.test' } }

  it('gives every scope by default (as tokens made before scopes had) and lists scopes, expiry and last use', async () => {
    const made = await makeToken(owner, { name: 'legacy style' })
    expect(made.scopes).toEqual(['read', 'write', 'admin'])
    expect(made.expiresAt).toBeNull()
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(made.token) })).statusCode).toBe(200)
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: owner.headers })).json()
    expect(listed.find((t: { id: number }) => t.id === made.id)).toMatchObject({ scopes: ['read', 'write', 'admin'], expired: false, expiresAt: null })
    expect(listed.find((t: { id: number }) => t.id === made.id).lastUsedAt).toBeGreaterThan(0)
    expect(JSON.stringify(listed)).not.toContain(made.token)

    // A row written without scopes (what the migration meets for old tokens) keeps every scope.
    await app.ctx.db
      .insertInto('apiTokens')
      .values({ userId: owner.id, name: 'old', tokenHash: 'not-a-real-hash', createdAt: now(), lastUsedAt: null })
      .execute()
    const old = (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: owner.headers })).json().find((t: { name: string }) => t.name === 'old')
    expect(old.scopes).toEqual(['read', 'write', 'admin'])
  })

  it('refuses writes to a read-only token and reads to a write-only token, naming the missing scope', async () => {
    const read = await makeToken(agent, { name: 'reader', scopes: ['read'] })
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(read.token) })).statusCode).toBe(200)
    const post = await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: bearer(read.token), payload: newTicket })
    expect(post.statusCode).toBe(403)
    expect(post.json().error).toMatchObject({ code: 'forbidden', details: { code: 'token_scope_missing', missingScope: 'write' } })
    expect(post.json().error.message).toMatch(/lacks the "write" scope/)

    const write = await makeToken(agent, { name: 'writer', scopes: ['write'] })
    expect((await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: bearer(write.token), payload: newTicket })).statusCode).toBe(201)
    const get = await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(write.token) })
    expect(get.statusCode).toBe(403)
    expect(get.json().error.details).toMatchObject({ missingScope: 'read' })
  })

  it('gives admin rights only with the admin scope, and never more than the owner has', async () => {
    const payload = { twoFactorRequiredRoles: [] }
    const plain = await makeToken(owner, { name: 'no admin', scopes: ['read', 'write'] })
    const refused = await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: bearer(plain.token), payload })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toMatch(/no "admin" scope/)
    expect(refused.json().error.details).toMatchObject({ missingScope: 'admin' })
    // Agent-level work still goes through.
    expect((await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: bearer(plain.token), payload: newTicket })).statusCode).toBe(201)

    const full = await makeToken(owner, { name: 'admin', scopes: ['read', 'write', 'admin'] })
    expect((await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: bearer(full.token), payload })).statusCode).toBe(200)

    const agentAdmin = await makeToken(agent, { name: 'wishful', scopes: ['read', 'write', 'admin'] })
    const denied = await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: bearer(agentAdmin.token), payload })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.message).not.toMatch(/scope/)
  })

  it('stops working after its expiry date (401), refuses a past expiry, and cannot mint a bigger token', async () => {
    const past = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agent.headers, payload: { name: 'x', expiresAt: now() - 1000 } })
    expect(past.statusCode).toBe(400)
    const soon = await makeToken(agent, { name: 'soon', scopes: ['read', 'write'], expiresAt: now() + 3600_000 })
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(soon.token) })).statusCode).toBe(200)

    const bigger = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(soon.token),
      payload: { name: 'y', scopes: ['read', 'write', 'admin'] },
    })
    expect(bigger.statusCode).toBe(403)
    const longer = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(soon.token), payload: { name: 'y', scopes: ['read'] } })
    expect(longer.statusCode).toBe(403)
    expect(longer.json().error.message).toMatch(/outlives/)
    const smaller = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(soon.token),
      payload: { name: 'y', scopes: ['read'], expiresAt: now() + 60_000 },
    })
    expect(smaller.statusCode).toBe(201)

    // The sign-in was just used (and is kept for a moment): expiry still ends it at once.
    advanceClock(3600_000)
    const expired = await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(soon.token) })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().error.message).toMatch(/expired on/)
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: agent.headers })).json()
    expect(listed.find((t: { id: number }) => t.id === soon.id).expired).toBe(true)
  })

  it('dies at once with a deactivated owner, and when revoked', async () => {
    const user = await buildUser(app, { role: 'agent' })
    const made = await makeToken(user, { name: 'leaver' })
    const revoked = await makeToken(agent, { name: 'revoked' })
    // Used first: the sign-ins are kept for a moment, and both changes must end them on the spot.
    for (const token of [made.token, revoked.token])
      expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(token) })).statusCode).toBe(200)
    const deactivated = await app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: owner.headers, payload: { isActive: false } })
    expect(deactivated.statusCode, deactivated.body).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(made.token) })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(revoked.token) })).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${revoked.id}`, headers: agent.headers })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer(revoked.token) })).statusCode).toBe(401)
  })

  it('audits token creation and revocation, and sign-ins, failures, logout and session revocation without secrets', async () => {
    const made = await makeToken(agent, { name: 'audited', scopes: ['read'] })
    expect((await auditOf('token.created'))[0]).toMatchObject({ actorId: agent.id, targetId: made.id })
    expect(JSON.stringify(await auditOf('token.created'))).not.toContain(made.token)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${made.id}`, headers: agent.headers })).statusCode).toBe(200)
    expect((await auditOf('token.revoked'))[0]).toMatchObject({ actorId: agent.id, targetId: made.id })

    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'not my password 123' } })
    expect(wrong.statusCode).toBe(401)
    const [failed] = await auditOf('auth.login_failed')
    expect(failed).toMatchObject({ actorId: agent.id, targetId: agent.id })
    expect(JSON.stringify(failed)).not.toContain('not my password 123')
    expect(JSON.stringify(failed)).toContain('wrong_password')

    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: agent.password } })
    const cookie = { cookie: `allhands_session=${ok.cookies.find((c) => c.name === 'allhands_session')!.value}` }
    expect((await auditOf('auth.login_succeeded'))[0]).toMatchObject({ actorId: agent.id })
    const sessions = (await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: agent.headers })).json()
    const other = sessions.find((s: { current: boolean }) => !s.current)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: agent.headers })).statusCode).toBe(200)
    expect((await auditOf('auth.session_revoked'))[0]).toMatchObject({ actorId: agent.id })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookie })).statusCode).toBe(401)

    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: agent.headers })).statusCode).toBe(200)
    expect((await auditOf('auth.logout'))[0]).toMatchObject({ actorId: agent.id })
  })
})
