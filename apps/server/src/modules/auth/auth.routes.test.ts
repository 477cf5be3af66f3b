import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'

describe('setup and sign-in', async () => {
  const app = await buildTestApp({ LOGIN_MAX_ATTEMPTS: '3' })

  it('sets up the workspace once, then refuses', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true, workspaceName: null })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { workspaceName: 'Acme Support', name: 'Olive Owner', email: 'Olive@Acme.test', password: 'long enough pw' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ user: { email: 'olive@acme.test', role: 'owner' }, workspaceName: 'Acme Support' })
    const cookie = res.cookies.find((c) => c.name === 'allhands_session')
    expect(cookie?.httpOnly).toBe(true)
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `allhands_session=${cookie!.value}` } })
    expect(me.json().user.name).toBe('Olive Owner')
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: false, workspaceName: 'Acme Support' })
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { workspaceName: 'Evil', name: 'Eve', email: 'eve@evil.test', password: 'long enough pw' },
    })
    expect(again.statusCode).toBe(409)
  })

  it('refuses anonymous API calls with 401 and the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/tickets' })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first' } })
  })

  it('throttles repeated wrong passwords with 429, even for the right one', async () => {
    const user = await buildUser(app)
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'wrong password' } })
      expect(res.statusCode).toBe(401)
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error.code).toBe('rate_limited')
  })

  it('issues personal API tokens that work as Bearer and can be revoked', async () => {
    const user = await buildUser(app, { role: 'agent' })
    const created = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: user.headers, payload: { name: 'zapier' } })
    expect(created.statusCode).toBe(201)
    const { token, id } = created.json()
    expect(token).toMatch(/^ah_/)
    const bearer = { authorization: `Bearer ${token}` }
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).json().user.id).toBe(user.id)
    const list = (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: user.headers })).json()
    expect(list).toHaveLength(1)
    expect(JSON.stringify(list)).not.toContain(token)
    await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: user.headers })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401)
  })

  it('refuses cookie-authenticated writes from another origin', async () => {
    const user = await buildUser(app)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...user.headers, origin: 'https://evil.example', host: 'localhost:80' },
      payload: { name: 'x' },
    })
    expect(res.statusCode).toBe(403)
    // A sandboxed page sends `Origin: null`; a broken header is no origin at all: both refused, never a 500.
    for (const origin of ['null', 'http://[bad', '::']) {
      const odd = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...user.headers, origin, host: 'localhost:80' },
        payload: { name: 'x' },
      })
      expect(odd.statusCode, origin).toBe(403)
    }
  })

  it('signs out and forgets the session', async () => {
    const user = await buildUser(app)
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: user.headers })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode).toBe(401)
  })

  it('invites by link: the invitee sets a password and signs in with the invited role', async () => {
    const admin = await buildUser(app, { role: 'admin' })
    const invite = await app.inject({
      method: 'POST',
      url: '/api/v1/invites',
      headers: admin.headers,
      payload: { email: 'newbie@acme.test', role: 'contributor' },
    })
    expect(invite.statusCode).toBe(201)
    const token = invite.json().url.split('/invite/')[1]
    expect((await app.inject({ method: 'GET', url: `/api/v1/invites/${token}` })).json()).toMatchObject({ email: 'newbie@acme.test', role: 'contributor' })
    const accepted = await app.inject({ method: 'POST', url: `/api/v1/invites/${token}/accept`, payload: { name: 'New Bie', password: 'newbie password' } })
    expect(accepted.statusCode).toBe(201)
    expect(accepted.json().user).toMatchObject({ email: 'newbie@acme.test', role: 'contributor' })
    const reuse = await app.inject({ method: 'POST', url: `/api/v1/invites/${token}/accept`, payload: { name: 'Again', password: 'newbie password' } })
    expect(reuse.statusCode).toBe(404)
  })
})
