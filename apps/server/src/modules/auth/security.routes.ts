import {
  IdParams,
  Ok,
  ReauthInput,
  RecoveryCodesDto,
  RevokedSessionsDto,
  SecuritySettingsDto,
  SessionDto,
  SessionParams,
  TwoFactorConfirmInput,
  TwoFactorEnrolmentDto,
  TwoFactorStatusDto,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { currentSessionIdOf } from './request-session.ts'
import { getSecuritySettings, updateSecuritySettings } from './security-settings.service.ts'
import { listSessions, revokeAllSessionsOf, revokeOwnOtherSessions, revokeSession } from './sessions.service.ts'
import { confirmEnrolment, disableTwoFactor, regenerateRecoveryCodes, startEnrolment, twoFactorStatus } from './two-factor.service.ts'

/** Two-factor enrolment, the person's sessions, admin revocation and the workspace's 2FA policy (issue 10). */
export async function securityRoutes(app: App) {
  const enrolment = { allowDuringEnrolment: true }

  app.get('/auth/two-factor', { config: enrolment, schema: { tags: ['security'], response: { 200: TwoFactorStatusDto } } }, async (req) => {
    const id = currentSessionIdOf(req)
    const session = id ? await app.ctx.db.selectFrom('sessions').select('enrolmentOnly').where('id', '=', id).executeTakeFirst() : undefined
    return twoFactorStatus(app.ctx, actorOf(req), { enrolmentOnly: session?.enrolmentOnly === 1 })
  })
  app.post('/auth/two-factor/enrolment', { config: enrolment, schema: { tags: ['security'], response: { 200: TwoFactorEnrolmentDto } } }, async (req) =>
    startEnrolment(app.ctx, actorOf(req)),
  )
  app.post(
    '/auth/two-factor/enrolment/confirm',
    { config: enrolment, schema: { tags: ['security'], body: TwoFactorConfirmInput, response: { 200: RecoveryCodesDto } } },
    async (req) => ({ recoveryCodes: await confirmEnrolment(app.ctx, actorOf(req), req.body.code, currentSessionIdOf(req)) }),
  )
  app.post('/auth/two-factor/disable', { schema: { tags: ['security'], body: ReauthInput, response: { 200: Ok } } }, async (req) => {
    await disableTwoFactor(app.ctx, actorOf(req), req.body)
    return { ok: true }
  })
  app.post('/auth/two-factor/recovery-codes', { schema: { tags: ['security'], body: ReauthInput, response: { 200: RecoveryCodesDto } } }, async (req) => ({
    recoveryCodes: await regenerateRecoveryCodes(app.ctx, actorOf(req), req.body),
  }))

  app.get('/auth/sessions', { schema: { tags: ['security'], response: { 200: Type.Array(SessionDto) } } }, async (req) =>
    listSessions(app.ctx, actorOf(req), currentSessionIdOf(req)),
  )
  app.delete('/auth/sessions/:id', { schema: { tags: ['security'], params: SessionParams, response: { 200: Ok } } }, async (req) => {
    await revokeSession(app.ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post('/auth/sessions/revoke-others', { schema: { tags: ['security'], response: { 200: RevokedSessionsDto } } }, async (req) => ({
    revoked: await revokeOwnOtherSessions(app.ctx, actorOf(req), currentSessionIdOf(req)),
  }))
  app.delete('/users/:id/sessions', { schema: { tags: ['security'], params: IdParams, response: { 200: RevokedSessionsDto } } }, async (req) => ({
    revoked: await revokeAllSessionsOf(app.ctx, actorOf(req), req.params.id),
  }))

  app.get('/security/settings', { schema: { tags: ['security'], response: { 200: SecuritySettingsDto } } }, async (req) =>
    getSecuritySettings(app.ctx, actorOf(req)),
  )
  app.put('/security/settings', { schema: { tags: ['security'], body: SecuritySettingsDto, response: { 200: SecuritySettingsDto } } }, async (req) =>
    updateSecuritySettings(app.ctx, actorOf(req), req.body),
  )
}
