import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'
import { signInAtTestProvider, startTestOidcProvider } from './test-oidc-provider.ts'

const STATE_COOKIE = 'allhands_oidc_state'

describe('single sign-on with OpenID Connect', async () => {
  const app = await buildTestApp()
  const redirectUri = `${app.ctx.config.publicUrl}/api/v1/auth/oidc/callback`
  const idp = await startTestOidcProvider(redirectUri)
  afterAll(() => idp.stop())
  const owner = await buildUser(app, { role: 'owner' })
  const settings = {
    enabled: true,
    displayName: 'Acme ID',
    issuerUrl: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    scopes: 'openid email profile',
    allowedDomains: ['acme.test'],
    jitProvisioning: false,
    jitRole: 'agent',
    passwordLoginDisabled: false,
  }
  const configure = async (patch: Record<string, unknown> = {}) => {
    const res = await app.inject({ method: 'PUT', url: '/api/v1/security/sso', headers: owner.headers, payload: { ...settings, ...patch } })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const auditOf = async (action: string) =>
    (await app.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('id', 'desc').execute()).map((r) => ({
      ...r,
      data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
    }))

  /** The whole browser flow over HTTP: start, sign in at the provider as `login`, come back to the callback. */
  async function ssoLogin(login: string, account?: { email?: string; email_verified?: boolean; name?: string }) {
    if (account) idp.accounts.set(login, account)
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    expect(start.statusCode).toBe(302)
    const state = start.cookies.find((c) => c.name === STATE_COOKIE)!.value
    const back = await signInAtTestProvider(start.headers.location as string, login, redirectUri)
    const callbackUrl = back.slice(app.ctx.config.publicUrl.length)
    const res = await app.inject({ method: 'GET', url: callbackUrl, headers: { cookie: `${STATE_COOKIE}=${state}` } })
    const session = res.cookies.find((c) => c.name === 'allhands_session')
    const location = res.headers.location as string
    return {
      res,
      state,
      callbackUrl,
      location,
      error: location.startsWith('/login?') ? new URL(location, 'http://x').searchParams.get('ssoError') : null,
      headers: session ? { cookie: `allhands_session=${session.value}` } : undefined,
    }
  }

  it('is configured by admins; the client secret is never answered; the login page learns the button name', async () => {
    const before = await app.inject({ method: 'GET', url: '/api/v1/auth/sso' })
    expect(before.json()).toEqual({ enabled: false, displayName: 'SSO', passwordLoginDisabled: false })
    const saved = await configure()
    expect(saved).toMatchObject({ enabled: true, clientSecretSet: true, redirectUri, allowedDomains: ['acme.test'] })
    expect(JSON.stringify(saved)).not.toContain(idp.clientSecret)
    const kept = await configure({ clientSecret: undefined, displayName: 'Acme ID' })
    expect(kept.clientSecretSet).toBe(true)
    const stored = await app.inject({ method: 'GET', url: '/api/v1/security/sso', headers: owner.headers })
    expect(JSON.stringify(stored.json())).not.toContain(idp.clientSecret)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sso' })).json()).toEqual({
      enabled: true,
      displayName: 'Acme ID',
      passwordLoginDisabled: false,
    })
    const agent = await buildUser(app, { role: 'agent' })
    expect((await app.inject({ method: 'GET', url: '/api/v1/security/sso', headers: agent.headers })).statusCode).toBe(403)
    expect((await app.inject({ method: 'PUT', url: '/api/v1/security/sso', headers: agent.headers, payload: settings })).statusCode).toBe(403)
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/security/sso',
      headers: owner.headers,
      payload: { ...settings, issuerUrl: 'http://idp.example.com' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/https/)
    const noOpenid = await app.inject({ method: 'PUT', url: '/api/v1/security/sso', headers: owner.headers, payload: { ...settings, scopes: 'email profile' } })
    expect(noOpenid.statusCode).toBe(400)
    const audit = await auditOf('sso.settings_updated')
    expect(audit.length).toBeGreaterThan(0)
    expect(JSON.stringify(audit)).not.toContain(idp.clientSecret)
  })

  it('tests the connection by fetching discovery, with a clear error when it fails', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/v1/security/sso/test', headers: owner.headers, payload: { issuerUrl: idp.issuer } })
    expect(ok.json()).toMatchObject({ ok: true, issuer: idp.issuer, authorizationEndpoint: `${idp.issuer}/auth` })
    const down = await app.inject({ method: 'POST', url: '/api/v1/security/sso/test', headers: owner.headers, payload: { issuerUrl: 'http://127.0.0.1:9' } })
    expect(down.json()).toMatchObject({ ok: false, issuer: null })
    expect(down.json().message).toContain('http://127.0.0.1:9/.well-known/openid-configuration')
  })

  it('signs in a person matched by verified email, links the identity, and audits it with the address', async () => {
    const agent = await buildUser(app, { role: 'agent' })
    const email = `${unique('jo')}@acme.test`
    await app.ctx.db.updateTable('users').set({ email }).where('id', '=', agent.id).execute()
    const login = unique('sub-')
    const out = await ssoLogin(login, { email, email_verified: true, name: 'Jo' })
    expect(out.error).toBeNull()
    expect(out.location).toBe('/')
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: out.headers })
    expect(me.json().user).toMatchObject({ id: agent.id, email })
    const sessions = (await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: out.headers })).json()
    expect(sessions.find((s: { current: boolean }) => s.current)).toMatchObject({ ip: '127.0.0.1' })
    const link = await app.ctx.db.selectFrom('oidcIdentities').selectAll().where('subject', '=', login).executeTakeFirstOrThrow()
    expect(link).toMatchObject({ userId: agent.id, issuer: idp.issuer })
    const [entry] = await auditOf('auth.login_succeeded')
    expect(entry).toMatchObject({ actorId: agent.id, ip: '127.0.0.1', data: { method: 'sso', issuer: idp.issuer } })

    // Later sign-ins follow the (issuer, subject) link even when the provider's email changes.
    const again = await ssoLogin(login, { email: 'renamed@elsewhere.test', email_verified: false })
    expect(again.error).toBeNull()
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: again.headers })).json().user.id).toBe(agent.id)
  })

  it('creates unknown people just in time only when switched on, with the default role', async () => {
    const email = `${unique('new')}@acme.test`
    const refused = await ssoLogin(unique('sub-'), { email, email_verified: true, name: 'New Person' })
    expect(refused.headers).toBeUndefined()
    expect(refused.error).toContain(`There is no account for ${email}`)
    expect(await app.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined()

    await configure({ jitProvisioning: true, jitRole: 'contributor', clientSecret: undefined })
    const created = await ssoLogin(unique('sub-'), { email, email_verified: true, name: 'New Person' })
    expect(created.error).toBeNull()
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: created.headers })).json()
    expect(me.user).toMatchObject({ email, name: 'New Person', role: 'contributor' })
    const [entry] = await auditOf('user.provisioned_by_sso')
    expect(entry).toMatchObject({ targetId: me.user.id, data: { email, role: 'contributor' } })
  })

  it('refuses an unverified email and a domain that is not allowed, and audits why', async () => {
    const unverified = await ssoLogin(unique('sub-'), { email: `${unique('u')}@acme.test`, email_verified: false })
    expect(unverified.headers).toBeUndefined()
    expect(unverified.error).toMatch(/has not verified your email/)
    const foreign = await ssoLogin(unique('sub-'), { email: `${unique('f')}@evil.test`, email_verified: true })
    expect(foreign.headers).toBeUndefined()
    expect(foreign.error).toMatch(/evil\.test may not sign in here/)
    const reasons = (await auditOf('auth.login_failed')).map((e) => e.data.reason)
    expect(reasons).toContain('email_unverified')
    expect(reasons).toContain('domain_not_allowed')
  })

  it('refuses a callback from another browser (state mismatch) and a replayed callback', async () => {
    idp.accounts.set('replay', { email: `${unique('r')}@acme.test`, email_verified: true })
    await configure({ jitProvisioning: true, clientSecret: undefined })
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    const state = start.cookies.find((c) => c.name === STATE_COOKIE)!.value
    const back = (await signInAtTestProvider(start.headers.location as string, 'replay', redirectUri)).slice(app.ctx.config.publicUrl.length)
    const otherBrowser = await app.inject({ method: 'GET', url: back, headers: { cookie: `${STATE_COOKIE}=somebody-elses-state` } })
    expect(otherBrowser.headers.location).toMatch(/^\/login\?ssoError=/)
    expect(otherBrowser.cookies.find((c) => c.name === 'allhands_session')).toBeUndefined()
    const noCookie = await app.inject({ method: 'GET', url: back })
    expect(noCookie.headers.location).toMatch(/^\/login\?ssoError=/)

    const ok = await app.inject({ method: 'GET', url: back, headers: { cookie: `${STATE_COOKIE}=${state}` } })
    expect(ok.headers.location).toBe('/')
    const replay = await app.inject({ method: 'GET', url: back, headers: { cookie: `${STATE_COOKIE}=${state}` } })
    expect(replay.headers.location).toMatch(/^\/login\?ssoError=.*already%20been%20used/)
    expect(replay.cookies.find((c) => c.name === 'allhands_session')).toBeUndefined()
    const reasons = (await auditOf('auth.login_failed')).map((e) => e.data.reason)
    expect(reasons).toContain('state_mismatch')
    expect(reasons).toContain('state_unknown')
  })

  it('refuses a deactivated person, even with a linked identity', async () => {
    const user = await buildUser(app, { role: 'agent' })
    const email = `${unique('gone')}@acme.test`
    await app.ctx.db.updateTable('users').set({ email }).where('id', '=', user.id).execute()
    const login = unique('sub-')
    expect((await ssoLogin(login, { email, email_verified: true })).error).toBeNull()
    await app.ctx.db.updateTable('users').set({ isActive: 0 }).where('id', '=', user.id).execute()
    const refused = await ssoLogin(login)
    expect(refused.headers).toBeUndefined()
    expect(refused.error).toMatch(/deactivated/)
    const [entry] = await auditOf('auth.login_failed')
    expect(entry).toMatchObject({ actorId: user.id, data: { method: 'sso', reason: 'deactivated' } })
  })

  it('satisfies the 2FA policy through the provider, and can turn password sign-in off for everyone but owners', async () => {
    const agent = await buildUser(app, { role: 'agent' })
    const email = `${unique('pol')}@acme.test`
    await app.ctx.db.updateTable('users').set({ email }).where('id', '=', agent.id).execute()
    const policy = await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: owner.headers, payload: { twoFactorRequiredRoles: ['agent'] } })
    expect(policy.statusCode).toBe(200)
    const out = await ssoLogin(unique('sub-'), { email, email_verified: true })
    const tickets = await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: out.headers })
    expect(tickets.statusCode).toBe(200)
    await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: owner.headers, payload: { twoFactorRequiredRoles: [] } })

    await configure({ passwordLoginDisabled: true, clientSecret: undefined })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sso' })).json().passwordLoginDisabled).toBe(true)
    const byPassword = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: agent.password } })
    expect(byPassword.statusCode).toBe(403)
    expect(byPassword.json().error.message).toContain('Sign in with Acme ID')
    const ownerLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: owner.password } })
    expect(ownerLogin.statusCode).toBe(200)
    await configure({ passwordLoginDisabled: false, clientSecret: undefined })
  })

  it('sends the browser back to the login page with a message when the provider cannot be reached', async () => {
    await configure({ issuerUrl: 'http://127.0.0.1:9', clientSecret: undefined })
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    expect(start.statusCode).toBe(302)
    expect(start.headers.location).toMatch(/^\/login\?ssoError=/)
    await configure({ clientSecret: undefined })
  })
})
