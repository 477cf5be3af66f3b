import { SsoLoginOptionsDto, SsoSettingsDto, SsoSettingsInput, SsoTestInput, SsoTestResultDto } from '@allhands/contract'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { SESSION_COOKIE } from './auth.service.ts'
import { completeOidcLogin, OIDC_STATE_TTL_MS, SsoLoginError, startOidcLogin, testSsoConnection } from './oidc.service.ts'
import { sessionMetaOf } from './request-session.ts'
import { getSsoSettings, ssoLoginOptions, updateSsoSettings } from './sso-settings.service.ts'

/** The browser's half of the OIDC state: a sign-in only completes in the browser that started it (no login CSRF). */
export const OIDC_STATE_COOKIE = 'allhands_oidc_state'
const OIDC_PATH = '/api/v1/auth/oidc'

const Redirect = { 302: Type.Null({ description: 'Redirect (Location header)' }) }
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4000 })),
    state: Type.Optional(Type.String({ maxLength: 500 })),
    iss: Type.Optional(Type.String({ maxLength: 500 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: Type.String({ maxLength: 4000 }) },
)

/** Single sign-on over OpenID Connect: the login page's options, the browser flow and the admin settings. */
export async function ssoRoutes(app: App, sessionCookie: { path: string; httpOnly: boolean; sameSite: 'lax'; secure: boolean; maxAge: number }) {
  const stateCookie = { path: OIDC_PATH, httpOnly: true, sameSite: 'lax' as const, secure: sessionCookie.secure, maxAge: OIDC_STATE_TTL_MS / 1000 }
  // Errors of the browser flow go back to the login page, which shows them: the person is mid-navigation, not in the app.
  const backToLogin = (reply: FastifyReply, message: string) =>
    reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_PATH }).redirect(`/login?ssoError=${encodeURIComponent(message)}`, 302)

  app.get('/auth/sso', { config: { public: true }, schema: { tags: ['auth'], response: { 200: SsoLoginOptionsDto } } }, async () => ssoLoginOptions(app.ctx))

  app.get('/auth/oidc/start', { config: { public: true }, schema: { tags: ['auth'], response: Redirect } }, async (req, reply) => {
    try {
      const { url, state } = await startOidcLogin(app.ctx)
      return reply.setCookie(OIDC_STATE_COOKIE, state, stateCookie).redirect(url, 302)
    } catch (err) {
      req.log.warn({ err }, 'single sign-on could not start')
      const message = err instanceof AppError ? err.message : `The identity provider cannot be reached: ${(err as Error).message}`
      return backToLogin(reply, message)
    }
  })

  app.get(
    '/auth/oidc/callback',
    { config: { public: true }, schema: { tags: ['auth'], querystring: CallbackQuery, response: Redirect } },
    async (req, reply) => {
      try {
        const session = await completeOidcLogin(app.ctx, req.query as Record<string, string>, req.cookies[OIDC_STATE_COOKIE], sessionMetaOf(req))
        req.log.info({ userId: session.actor.id }, 'signed in with single sign-on')
        return reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_PATH }).setCookie(SESSION_COOKIE, session.sessionId, sessionCookie).redirect('/', 302)
      } catch (err) {
        if (!(err instanceof SsoLoginError)) throw err
        req.log.info({ reason: err.reason }, 'single sign-on refused')
        return backToLogin(reply, err.message)
      }
    },
  )

  app.get('/security/sso', { schema: { tags: ['security'], response: { 200: SsoSettingsDto } } }, async (req) => getSsoSettings(app.ctx, actorOf(req)))
  app.put('/security/sso', { schema: { tags: ['security'], body: SsoSettingsInput, response: { 200: SsoSettingsDto } } }, async (req) =>
    updateSsoSettings(app.ctx, actorOf(req), req.body),
  )
  app.post('/security/sso/test', { schema: { tags: ['security'], body: SsoTestInput, response: { 200: SsoTestResultDto } } }, async (req) =>
    testSsoConnection(actorOf(req), req.body.issuerUrl),
  )
}
