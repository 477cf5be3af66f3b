import {
  ApiTokenDto,
  ApiTokenInput,
  ChangePasswordInput,
  CreatedApiToken,
  IdParams,
  LoginInput,
  MeDto,
  Ok,
  SetupInput,
  SetupStatus,
  TwoFactorChallengeDto,
  TwoFactorLoginInput,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { getSettings } from '../settings/settings.service.ts'
import { changePassword, completeTwoFactorSignIn, login, logout, meOf, needsSetup, runSetup, SESSION_COOKIE, SESSION_TTL_MS, signIn } from './auth.service.ts'
import { createToken, listTokens, revokeToken, tokenGrantOf } from './api-tokens.service.ts'
import { securityRoutes } from './security.routes.ts'
import { ssoRoutes } from './sso.routes.ts'
import { currentSessionIdOf, sessionMetaOf } from './request-session.ts'

export async function authRoutes(app: App) {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.ctx.config.publicUrl.startsWith('https:'),
    maxAge: SESSION_TTL_MS / 1000,
  }

  app.get('/setup', { config: { public: true }, schema: { tags: ['auth'], response: { 200: SetupStatus } } }, async () => {
    const setup = await needsSetup(app.ctx.db)
    return { needsSetup: setup, workspaceName: setup ? null : (await getSettings(app.ctx.db)).workspaceName }
  })

  app.post('/setup', { config: { public: true }, schema: { tags: ['auth'], body: SetupInput, response: { 201: MeDto } } }, async (req, reply) => {
    await runSetup(app.ctx, req.body)
    const session = await login(app.ctx, req.body, req.ip)
    reply.setCookie(SESSION_COOKIE, session.sessionId, cookieOptions)
    return reply.code(201).send(await meOf(app.ctx.db, session.actor))
  })

  app.post(
    '/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], body: LoginInput, response: { 200: Type.Union([MeDto, TwoFactorChallengeDto]) } } },
    async (req, reply) => {
      const outcome = await signIn(app.ctx, req.body, sessionMetaOf(req))
      if (outcome.kind === 'challenge') return { twoFactorRequired: true as const, challenge: outcome.challenge }
      reply.setCookie(SESSION_COOKIE, outcome.sessionId, cookieOptions)
      return meOf(app.ctx.db, outcome.actor)
    },
  )

  app.post(
    '/auth/login/two-factor',
    { config: { public: true }, schema: { tags: ['auth'], body: TwoFactorLoginInput, response: { 200: MeDto } } },
    async (req, reply) => {
      const session = await completeTwoFactorSignIn(app.ctx, req.body, sessionMetaOf(req))
      reply.setCookie(SESSION_COOKIE, session.sessionId, cookieOptions)
      return meOf(app.ctx.db, session.actor)
    },
  )

  app.post('/auth/password', { schema: { tags: ['auth'], body: ChangePasswordInput, response: { 200: Ok } } }, async (req) => {
    await changePassword(app.ctx, actorOf(req), req.body, currentSessionIdOf(req))
    return { ok: true }
  })

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'], response: { 200: Ok } } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE]
    if (sid) await logout(app.ctx, sid)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true }
  })

  app.get('/auth/me', { config: { allowDuringEnrolment: true }, schema: { tags: ['auth'], response: { 200: MeDto } } }, async (req) => {
    const actor = actorOf(req)
    return meOf(app.ctx.db, actor)
  })

  app.get('/tokens', { schema: { tags: ['auth'], response: { 200: Type.Array(ApiTokenDto) } } }, async (req) => listTokens(app.ctx, actorOf(req)))
  app.post('/tokens', { schema: { tags: ['auth'], body: ApiTokenInput, response: { 201: CreatedApiToken } } }, async (req, reply) =>
    reply.code(201).send(await createToken(app.ctx, actorOf(req), req.body, tokenGrantOf(req))),
  )
  app.delete('/tokens/:id', { schema: { tags: ['auth'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    await revokeToken(app.ctx, actorOf(req), req.params.id)
    return { ok: true }
  })

  await securityRoutes(app)
  await ssoRoutes(app, cookieOptions)
}
