import type { ChangePasswordInput, MeDto, SetupInput, TwoFactorLoginInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { recordAudit } from '../../platform/audit.ts'
import { hashPassword, newSecret, sha256, verifyPassword } from '../../platform/crypto.ts'
import { AppError, conflict } from '../../platform/errors.ts'
import { getSettings, writeSettings } from '../settings/settings.service.ts'
import { findUserByEmail, getUserDto } from '../users/users.queries.ts'
import { insertUser } from '../users/users.service.ts'
import { createSession, hasTwoFactor, resolveSession, revokeOtherSessions, type SessionMeta, sessionIdOf } from './sessions.service.ts'
import { assertNotThrottled, clearFailures, recordFailure } from './throttle.ts'
import { isSsoUsable, readSsoConfig } from './sso-settings.service.ts'
import { checkSecondFactor } from './two-factor.service.ts'

export const SESSION_COOKIE = 'allhands_session'
export { SESSION_TTL_MS } from './sessions.service.ts'
// Long enough to open an authenticator app; short enough that a stolen challenge is soon worthless.
const CHALLENGE_TTL_MS = 5 * 60 * 1000

export async function needsSetup(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return !row
}

/** First-run setup: names the workspace and creates its owner. Refused once any user exists. */
export async function runSetup(ctx: Ctx, input: SetupInput): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await needsSetup(trx))) throw conflict('This workspace is already set up')
    const id = await insertUser(trx, { email: input.email, name: input.name, role: 'owner', password: input.password })
    await writeSettings(trx, { workspaceName: input.workspaceName })
    await ensureDefaultInbox(trx)
    return id
  })
}

/** Every workspace has at least one inbox so tickets from the API and web form have a home. */
export async function ensureDefaultInbox(db: Executor): Promise<number> {
  const existing = await db.selectFrom('inboxes').select('id').orderBy('id').limit(1).executeTakeFirst()
  if (existing) return existing.id
  const row = await db
    .insertInto('inboxes')
    .values({ name: 'Support', type: 'api', teamId: null, autoReply: JSON.stringify({ enabled: false, subject: '', body: '' }), createdAt: now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Audits a refused sign-in: who it claimed to be, never the password. */
const auditLoginFailure = (db: Executor, userId: number | null, data: Record<string, unknown>) =>
  recordAudit(db, { actorId: userId, action: 'auth.login_failed', targetType: 'user', targetId: userId, data })

/**
 * Checks a password; failed attempts are throttled per account and per address and audited. Returns the person's id.
 * With single sign-on set to replace passwords, only owners (break-glass) may still use one.
 */
async function verifyCredentials(ctx: Ctx, input: { email: string; password: string }, ip: string, opts: { ssoPolicy: boolean }): Promise<number> {
  const email = input.email.trim().toLowerCase()
  const keys = [`email:${email}`, `ip:${ip}`]
  await assertNotThrottled(ctx.db, keys[0]!, ctx.config.loginMaxAttempts)
  await assertNotThrottled(ctx.db, keys[1]!, ctx.config.loginMaxAttempts * 4)
  const user = await findUserByEmail(ctx.db, email)
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false
  if (!user || !ok || !user.isActive) {
    for (const key of keys) await recordFailure(ctx.db, key)
    const reason = !user ? 'unknown_email' : !ok ? 'wrong_password' : 'deactivated'
    await auditLoginFailure(ctx.db, user?.id ?? null, { method: 'password', email, reason })
    throw new AppError('unauthenticated', 401, 'Email or password is wrong')
  }
  await clearFailures(ctx.db, keys[0]!)
  if (opts.ssoPolicy && user.role !== 'owner') {
    const sso = await readSsoConfig(ctx.db)
    if (isSsoUsable(sso) && sso.passwordLoginDisabled) {
      await auditLoginFailure(ctx.db, user.id, { method: 'password', email, reason: 'password_login_disabled' })
      throw new AppError('forbidden', 403, `Password sign-in is turned off for this workspace: use "Sign in with ${sso.displayName}"`, {
        code: 'password_login_disabled',
      })
    }
  }
  return user.id
}

export type SignInOutcome = { kind: 'session'; sessionId: string; actor: Actor } | { kind: 'challenge'; challenge: string }

/**
 * First sign-in step. Without 2FA the password opens a session; with 2FA it yields a short-lived, single-use
 * challenge that `completeTwoFactorSignIn` exchanges, together with a code, for the session.
 */
export async function signIn(
  ctx: Ctx,
  input: { email: string; password: string },
  meta: SessionMeta,
  opts: { ssoPolicy: boolean } = { ssoPolicy: true },
): Promise<SignInOutcome> {
  const userId = await verifyCredentials(ctx, input, meta.ip ?? '', opts)
  if (await hasTwoFactor(ctx.db, userId)) {
    const challenge = newSecret('ahc_')
    const t = now()
    await ctx.db.deleteFrom('loginChallenges').where('expiresAt', '<', t).execute()
    await ctx.db
      .insertInto('loginChallenges')
      .values({ id: sha256(challenge), userId, expiresAt: t + CHALLENGE_TTL_MS, createdAt: t })
      .execute()
    return { kind: 'challenge', challenge }
  }
  const session = await createSession(ctx.db, userId, meta)
  await recordAudit(ctx.db, {
    actorId: userId,
    action: 'auth.login_succeeded',
    targetType: 'user',
    targetId: userId,
    data: { method: 'password' },
  })
  return { kind: 'session', ...session }
}

/** Second sign-in step: a TOTP or recovery code for a pending challenge opens the session and uses up the challenge. */
export async function completeTwoFactorSignIn(ctx: Ctx, input: TwoFactorLoginInput, meta: SessionMeta): Promise<{ sessionId: string; actor: Actor }> {
  const id = sha256(input.challenge)
  const challenge = await ctx.db.selectFrom('loginChallenges').select(['userId', 'expiresAt']).where('id', '=', id).executeTakeFirst()
  if (!challenge || challenge.expiresAt < now()) throw new AppError('unauthenticated', 401, 'This sign-in has expired. Enter your password again.')
  let kind: 'totp' | 'recovery'
  try {
    kind = await checkSecondFactor(ctx, challenge.userId, input.code)
  } catch (err) {
    // Wrong codes are audited; a throttled attempt (429) is not, so a flood of guesses does not flood the log.
    if (err instanceof AppError && err.status !== 429)
      await auditLoginFailure(ctx.db, challenge.userId, { method: 'password', reason: 'wrong_two_factor_code' })
    throw err
  }
  const used = await ctx.db.deleteFrom('loginChallenges').where('id', '=', id).executeTakeFirst()
  if (!Number(used.numDeletedRows)) throw new AppError('unauthenticated', 401, 'This sign-in has expired. Enter your password again.')
  if (kind === 'recovery')
    await recordAudit(ctx.db, { actorId: challenge.userId, action: 'two_factor.recovery_code_used', targetType: 'user', targetId: challenge.userId })
  const session = await createSession(ctx.db, challenge.userId, meta)
  await recordAudit(ctx.db, {
    actorId: challenge.userId,
    action: 'auth.login_succeeded',
    targetType: 'user',
    targetId: challenge.userId,
    data: { method: 'password', secondFactor: kind === 'totp' ? 'totp' : 'recovery_code' },
  })
  return session
}

/** Password sign-in for a just-created account (setup, accepted invite), which cannot have 2FA yet. */
export async function login(ctx: Ctx, input: { email: string; password: string }, ip: string): Promise<{ sessionId: string; actor: Actor }> {
  // The person has just chosen this password (setup, invite): the "single sign-on only" rule applies from the next sign-in.
  const outcome = await signIn(ctx, input, { ip, userAgent: null }, { ssoPolicy: false })
  if (outcome.kind !== 'session') throw new AppError('unauthenticated', 401, 'This account uses two-factor authentication: sign in on the login page')
  return outcome
}

/** Changes the signed-in person's password after checking the current one; every other session ends. */
export async function changePassword(ctx: Ctx, actor: Actor, input: ChangePasswordInput, currentSessionId: string | null): Promise<void> {
  const key = `password:user:${actor.id}`
  await assertNotThrottled(ctx.db, key, ctx.config.loginMaxAttempts)
  const user = await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', actor.id).executeTakeFirstOrThrow()
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordFailure(ctx.db, key)
    throw new AppError('unprocessable', 422, 'The current password is wrong')
  }
  await clearFailures(ctx.db, key)
  const passwordHash = await hashPassword(input.newPassword)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ passwordHash, updatedAt: now() }).where('id', '=', actor.id).execute()
    const revoked = await revokeOtherSessions(trx, actor.id, currentSessionId)
    await recordAudit(trx, { actorId: actor.id, action: 'user.password_changed', targetType: 'user', targetId: actor.id, data: { sessionsRevoked: revoked } })
  })
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  const ended = await ctx.db.deleteFrom('sessions').where('id', '=', sessionIdOf(sessionId)).returning('userId').executeTakeFirst()
  if (ended) await recordAudit(ctx.db, { actorId: ended.userId, action: 'auth.logout', targetType: 'user', targetId: ended.userId })
}

/** The person a session cookie signs in, or undefined when it is unknown or expired. */
export async function actorFromSession(db: Executor, sessionId: string): Promise<Actor | undefined> {
  return (await resolveSession(db, sessionId))?.actor
}

/** The signed-in person as the web app sees them: profile, workspace and current customer-facing rights. */
export async function meOf(db: Executor, actor: Actor): Promise<MeDto> {
  return {
    user: (await getUserDto(db, actor.id))!,
    workspaceName: await workspaceName(db),
    participation: {
      trustLevel: actor.trustLevel,
      clearance: actor.clearance,
      certifiedCategoryIds: actor.certifiedCategoryIds,
      onShiftUntil: actor.onShiftUntil,
      shiftReviewRequired: actor.shiftReviewRequired,
    },
  }
}

export async function workspaceName(db: Executor): Promise<string> {
  return (await getSettings(db)).workspaceName
}
