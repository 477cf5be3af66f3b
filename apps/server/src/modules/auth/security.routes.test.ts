import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser, type TestApp } from '../../../test/helpers.ts'
import { advanceClock, now } from '../../platform/clock.ts'

const STEP_MS = 30_000
const codeFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now() })
const cookieOf = (res: { cookies: { name: string; value: string }[] }) => {
  const c = res.cookies.find((x) => x.name === 'allhands_session')
  return c ? { cookie: `allhands_session=${c.value}` } : undefined
}

/** Turns 2FA on for a person through the API; returns the secret and the recovery codes. */
async function enrol(app: TestApp, headers: Record<string, string>) {
  const started = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment', headers })
  expect(started.statusCode).toBe(200)
  const { secret } = started.json()
  const confirmed = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment/confirm', headers, payload: { code: codeFor(secret) } })
  expect(confirmed.statusCode).toBe(200)
  return { secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] }
}

async function passwordStep(app: TestApp, user: { email: string; password: string }) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
    headers: { 'user-agent': 'Phone Browser' },
  })
}

describe('two-factor authentication and sessions', async () => {
  const app = await buildTestApp({ LOGIN_MAX_ATTEMPTS: '3' })

  it('enrols with a QR code and a real TOTP code, then shows status without the secret', async () => {
    const user = await buildUser(app)
    const before = (await app.inject({ method: 'GET', url: '/api/v1/auth/two-factor', headers: user.headers })).json()
    expect(before).toMatchObject({ enabled: false, required: false, enrolmentRequired: false, recoveryCodesRemaining: 0 })
    const started = (await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment', headers: user.headers })).json()
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(started.otpauthUrl).toContain(`secret=${started.secret}`)
    expect(started.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/)
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment/confirm', headers: user.headers, payload: { code: '000000' } })
    expect(wrong.statusCode).toBe(422)
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/enrolment/confirm',
      headers: user.headers,
      payload: { code: codeFor(started.secret) },
    })
    expect(ok.statusCode).toBe(200)
    const codes: string[] = ok.json().recoveryCodes
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    const status = await app.inject({ method: 'GET', url: '/api/v1/auth/two-factor', headers: user.headers })
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesRemaining: 10 })
    expect(status.body).not.toContain(started.secret)
    const again = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/enrolment', headers: user.headers })
    expect(again.statusCode).toBe(409)
    const audit = await app.ctx.db.selectFrom('auditLog').select('action').where('targetId', '=', user.id).execute()
    expect(audit.map((a) => a.action)).toContain('two_factor.enabled')
  })

  it('keeps the one-step login for people without 2FA', async () => {
    const user = await buildUser(app)
    const res = await passwordStep(app, user)
    expect(res.statusCode).toBe(200)
    expect(res.json().user.email).toBe(user.email)
    expect(res.json().twoFactorRequired).toBeUndefined()
    expect(cookieOf(res)).toBeDefined()
  })

  it('signs in in two steps, refuses a replayed code and a used challenge', async () => {
    const user = await buildUser(app)
    const { secret } = await enrol(app, user.headers)
    advanceClock(STEP_MS)
    const first = await passwordStep(app, user)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ twoFactorRequired: true, challenge: expect.any(String) })
    expect(cookieOf(first)).toBeUndefined()
    const code = codeFor(secret)
    const second = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: first.json().challenge, code } })
    expect(second.statusCode).toBe(200)
    expect(second.json().user.id).toBe(user.id)
    const headers = cookieOf(second)!
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200)

    const reuseChallenge = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: first.json().challenge, code } })
    expect(reuseChallenge.statusCode).toBe(401)
    const fresh = (await passwordStep(app, user)).json()
    const replay = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: fresh.challenge, code } })
    expect(replay.statusCode).toBe(401)
    expect(replay.cookies.find((c) => c.name === 'allhands_session')).toBeUndefined()
    advanceClock(STEP_MS)
    const next = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: fresh.challenge, code: codeFor(secret) } })
    expect(next.statusCode).toBe(200)
  })

  it('expires challenges after a few minutes', async () => {
    const user = await buildUser(app)
    const { secret } = await enrol(app, user.headers)
    const { challenge } = (await passwordStep(app, user)).json()
    advanceClock(6 * 60_000)
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge, code: codeFor(secret) } })
    expect(res.statusCode).toBe(401)
  })

  it('throttles wrong codes like wrong passwords, even for the right code', async () => {
    const user = await buildUser(app)
    const { secret } = await enrol(app, user.headers)
    advanceClock(STEP_MS)
    const { challenge } = (await passwordStep(app, user)).json()
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge, code: '123456' } })
      expect(res.statusCode).toBe(401)
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge, code: codeFor(secret) } })
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error.code).toBe('rate_limited')
  })

  it('accepts each recovery code once, and regenerating replaces them', async () => {
    const user = await buildUser(app)
    const { secret, recoveryCodes } = await enrol(app, user.headers)
    const first = (await passwordStep(app, user)).json()
    const used = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/two-factor',
      payload: { challenge: first.challenge, code: recoveryCodes[0]!.toUpperCase() },
    })
    expect(used.statusCode).toBe(200)
    const second = (await passwordStep(app, user)).json()
    const reused = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: second.challenge, code: recoveryCodes[0] } })
    expect(reused.statusCode).toBe(401)
    const headers = cookieOf(used)!
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/two-factor', headers })).json().recoveryCodesRemaining).toBe(9)

    advanceClock(STEP_MS)
    const regenerated = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/recovery-codes', headers, payload: { code: codeFor(secret) } })
    expect(regenerated.statusCode).toBe(200)
    const fresh: string[] = regenerated.json().recoveryCodes
    expect(fresh).toHaveLength(10)
    const old = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: second.challenge, code: recoveryCodes[1] } })
    expect(old.statusCode).toBe(401)
    const replacement = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: second.challenge, code: fresh[0] } })
    expect(replacement.statusCode).toBe(200)
  })

  it('turns 2FA off with the password, but not with a wrong one', async () => {
    const user = await buildUser(app)
    await enrol(app, user.headers)
    const { challenge } = (await passwordStep(app, user)).json()
    expect(challenge).toBeDefined()
    const headers = user.headers
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/disable', headers, payload: { password: 'not it' } })
    expect(wrong.statusCode).toBe(422)
    const none = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/disable', headers, payload: {} })
    expect(none.statusCode).toBe(400)
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/disable', headers, payload: { password: user.password } })
    expect(ok.statusCode).toBe(200)
    const login = await passwordStep(app, user)
    expect(login.json().user.id).toBe(user.id)
    const audit = await app.ctx.db.selectFrom('auditLog').select('action').where('targetId', '=', user.id).execute()
    expect(audit.map((a) => a.action)).toContain('two_factor.disabled')
  })

  it('enforces 2FA for required roles: enrolment-only session until the person enrols', async () => {
    const owner = await buildUser(app, { role: 'owner' })
    const agent = await buildUser(app, { role: 'agent' })
    const denied = await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: agent.headers, payload: { twoFactorRequiredRoles: ['agent'] } })
    expect(denied.statusCode).toBe(403)
    const set = await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: owner.headers, payload: { twoFactorRequiredRoles: ['admin'] } })
    expect(set.json()).toEqual({ twoFactorRequiredRoles: ['admin'] })
    const admin = await buildUser(app, { role: 'admin' })
    const limited = admin.headers
    const blocked = await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: limited })
    expect(blocked.statusCode).toBe(403)
    expect(blocked.json().error.details).toEqual({ code: 'two_factor_enrolment_required' })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: limited })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/two-factor', headers: limited })).json()).toMatchObject({
      enabled: false,
      required: true,
      enrolmentRequired: true,
    })
    // People of other roles are not affected.
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: (await buildUser(app, { role: 'agent' })).headers })).statusCode).toBe(200)

    const { secret } = await enrol(app, limited)
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: limited })).statusCode).toBe(200)
    const refuseOff = await app.inject({ method: 'POST', url: '/api/v1/auth/two-factor/disable', headers: limited, payload: { password: admin.password } })
    expect(refuseOff.statusCode).toBe(409)
    advanceClock(STEP_MS)
    const { challenge } = (await passwordStep(app, admin)).json()
    const full = await app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge, code: codeFor(secret) } })
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: cookieOf(full)! })).statusCode).toBe(200)
    await app.inject({ method: 'PUT', url: '/api/v1/security/settings', headers: owner.headers, payload: { twoFactorRequiredRoles: [] } })
    const audit = await app.ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'security.settings_updated').execute()
    expect(audit).toHaveLength(2)
  })

  it('lists own sessions with details, revokes one, refuses someone else’s, revokes the others', async () => {
    const user = await buildUser(app)
    const phone = cookieOf(await passwordStep(app, user))!
    const list = await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: user.headers })
    expect(list.statusCode).toBe(200)
    const sessions = list.json()
    expect(sessions).toHaveLength(2)
    const current = sessions.find((s: { current: boolean }) => s.current)
    const other = sessions.find((s: { current: boolean }) => !s.current)
    expect(current).toMatchObject({ ip: expect.any(String), lastSeenAt: expect.any(Number) })
    expect(other.userAgent).toBe('Phone Browser')
    expect(JSON.stringify(sessions)).not.toContain(phone.cookie.split('=')[1])

    const stranger = await buildUser(app)
    const foreign = await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: stranger.headers })
    expect(foreign.statusCode).toBe(404)
    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: user.headers })
    expect(revoked.statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: phone })).statusCode).toBe(401)

    const laptop = cookieOf(await passwordStep(app, user))!
    const tablet = cookieOf(await passwordStep(app, user))!
    const others = await app.inject({ method: 'POST', url: '/api/v1/auth/sessions/revoke-others', headers: user.headers })
    expect(others.json()).toEqual({ revoked: 2 })
    for (const h of [laptop, tablet]) expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode).toBe(200)
  })

  it('updates last seen at most every few minutes', async () => {
    const user = await buildUser(app)
    const seen = async () => (await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: user.headers })).json()[0].lastSeenAt
    const first = await seen()
    advanceClock(60_000)
    expect(await seen()).toBe(first)
    advanceClock(5 * 60_000)
    expect(await seen()).toBeGreaterThan(first)
  })

  it('ends other sessions when 2FA is turned on or the password changes', async () => {
    const user = await buildUser(app)
    const elsewhere = cookieOf(await passwordStep(app, user))!
    await enrol(app, user.headers)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: elsewhere })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode).toBe(200)

    const other = await buildUser(app)
    const second = cookieOf(await passwordStep(app, other))!
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: other.headers,
      payload: { currentPassword: 'nope', newPassword: 'a new long password' },
    })
    expect(wrong.statusCode).toBe(422)
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: other.headers,
      payload: { currentPassword: other.password, newPassword: 'a new long password' },
    })
    expect(changed.statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: second })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: other.headers })).statusCode).toBe(200)
    expect((await passwordStep(app, { email: other.email, password: 'a new long password' })).statusCode).toBe(200)
  })

  it('lets admins sign a person out everywhere, audited; others may not', async () => {
    const admin = await buildUser(app, { role: 'admin' })
    const agent = await buildUser(app, { role: 'agent' })
    const target = await buildUser(app, { role: 'contributor' })
    const denied = await app.inject({ method: 'DELETE', url: `/api/v1/users/${target.id}/sessions`, headers: agent.headers })
    expect(denied.statusCode).toBe(403)
    const missing = await app.inject({ method: 'DELETE', url: '/api/v1/users/999999/sessions', headers: admin.headers })
    expect(missing.statusCode).toBe(404)
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/users/${target.id}/sessions`, headers: admin.headers })
    expect(res.json()).toEqual({ revoked: 1 })
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: target.headers })).statusCode).toBe(401)
    const audit = await app.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'user.sessions_revoked').execute()
    expect(audit).toMatchObject([{ actorId: admin.id, targetId: target.id }])
    expect((await app.inject({ method: 'GET', url: '/api/v1/security/settings', headers: agent.headers })).statusCode).toBe(403)
  })
})
