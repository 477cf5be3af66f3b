import { randomInt } from 'node:crypto'
import type { ReauthInput, TwoFactorEnrolmentDto, TwoFactorStatusDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { sha256, verifyPassword } from '../../platform/crypto.ts'
import { AppError, badRequest, conflict } from '../../platform/errors.ts'
import { getSettings } from '../settings/settings.service.ts'
import { isTwoFactorRequired } from './security-settings.service.ts'
import { revokeOtherSessions } from './sessions.service.ts'
import { assertNotThrottled, clearFailures, recordFailure } from './throttle.ts'
import { enrolmentUri, matchingTimeStep, newTotpSecret } from './totp.ts'

const RECOVERY_CODE_COUNT = 10
// No 0/o, 1/l/i: codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

export const twoFactorThrottleKey = (userId: number) => `2fa:user:${userId}`

const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '')
const isTotpCode = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ''))

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)])
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

async function findCredential(db: Executor, userId: number) {
  return db.selectFrom('twoFactorCredentials').selectAll().where('userId', '=', userId).executeTakeFirst()
}

/** Replaces a person's recovery codes with ten new ones; only their hashes are stored. */
async function issueRecoveryCodes(db: Executor, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const t = now()
  await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute()
  await db
    .insertInto('recoveryCodes')
    .values(codes.map((code) => ({ userId, codeHash: sha256(normalizeRecoveryCode(code)), usedAt: null, createdAt: t })))
    .execute()
  return codes
}

/**
 * Checks a second factor of a person with 2FA on: a TOTP code of the previous, current or next time step that is
 * newer than the last accepted one (no replay), or an unused recovery code, which is then used up.
 */
export async function verifySecondFactor(db: Executor, userId: number, code: string): Promise<'totp' | 'recovery' | undefined> {
  const credential = await findCredential(db, userId)
  if (!credential?.enabledAt) return undefined
  if (isTotpCode(code)) {
    const step = matchingTimeStep(credential.secret, code.replace(/\s/g, ''))
    if (step === undefined) return undefined
    // The conditional update is the replay check: two requests with one code cannot both move the step forward.
    const res = await db
      .updateTable('twoFactorCredentials')
      .set({ lastUsedStep: step })
      .where('userId', '=', userId)
      .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', step)]))
      .executeTakeFirst()
    return Number(res.numUpdatedRows) > 0 ? 'totp' : undefined
  }
  const res = await db
    .updateTable('recoveryCodes')
    .set({ usedAt: now() })
    .where('userId', '=', userId)
    .where('codeHash', '=', sha256(normalizeRecoveryCode(code)))
    .where('usedAt', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0 ? 'recovery' : undefined
}

const wrongCode = () => new AppError('unauthenticated', 401, 'The code is not valid or was already used')
// A signed-in person's wrong answer must not read as "session gone" (401) to the web app.
const wrongReauth = (what: string) => new AppError('unprocessable', 422, what)

/** A throttled second-factor check; wrong codes count like wrong passwords. */
export async function checkSecondFactor(ctx: Ctx, userId: number, code: string, failure = wrongCode): Promise<'totp' | 'recovery'> {
  const key = twoFactorThrottleKey(userId)
  await assertNotThrottled(ctx.db, key, ctx.config.loginMaxAttempts)
  const kind = await verifySecondFactor(ctx.db, userId, code)
  if (!kind) {
    await recordFailure(ctx.db, key)
    throw failure()
  }
  await clearFailures(ctx.db, key)
  return kind
}

/** Proof that the signed-in person is at the keyboard before a security change: a current code or the password. */
async function reauthenticate(ctx: Ctx, actor: Actor, input: ReauthInput): Promise<void> {
  if (input.code) {
    await checkSecondFactor(ctx, actor.id, input.code, () => wrongReauth('The code is not valid or was already used'))
    return
  }
  if (!input.password) throw badRequest('Enter a current code or your password')
  const key = twoFactorThrottleKey(actor.id)
  await assertNotThrottled(ctx.db, key, ctx.config.loginMaxAttempts)
  const user = await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', actor.id).executeTakeFirstOrThrow()
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) {
    await recordFailure(ctx.db, key)
    throw wrongReauth('The password is wrong')
  }
  await clearFailures(ctx.db, key)
}

export async function twoFactorStatus(ctx: Ctx, actor: Actor, session: { enrolmentOnly: boolean }): Promise<TwoFactorStatusDto> {
  const credential = await findCredential(ctx.db, actor.id)
  const remaining = await ctx.db
    .selectFrom('recoveryCodes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', actor.id)
    .where('usedAt', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    enabled: credential?.enabledAt != null,
    enabledAt: credential?.enabledAt ?? null,
    required: await isTwoFactorRequired(ctx.db, actor.role),
    enrolmentRequired: session.enrolmentOnly,
    recoveryCodesRemaining: credential?.enabledAt != null ? Number(remaining.n) : 0,
  }
}

/** Starts (or restarts) enrolment: a new secret, shown now and never again once confirmed. */
export async function startEnrolment(ctx: Ctx, actor: Actor): Promise<TwoFactorEnrolmentDto> {
  const existing = await findCredential(ctx.db, actor.id)
  if (existing?.enabledAt) throw conflict('Two-factor authentication is already on. Turn it off first to use a new device.')
  const secret = newTotpSecret()
  await ctx.db
    .insertInto('twoFactorCredentials')
    .values({ userId: actor.id, secret, enabledAt: null, lastUsedStep: null, createdAt: now() })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ secret, enabledAt: null, lastUsedStep: null, createdAt: now() }))
    .execute()
  const { workspaceName } = await getSettings(ctx.db)
  return { secret, ...(await enrolmentUri(secret, workspaceName, actor.email)) }
}

/**
 * Turns 2FA on once the person proves their app shows the right code; returns the recovery codes (shown once).
 * Every other session of the person ends and this one leaves enrolment-only mode.
 */
export async function confirmEnrolment(ctx: Ctx, actor: Actor, code: string, currentSessionId: string | null): Promise<string[]> {
  const key = twoFactorThrottleKey(actor.id)
  await assertNotThrottled(ctx.db, key, ctx.config.loginMaxAttempts)
  const pending = await findCredential(ctx.db, actor.id)
  if (!pending) throw conflict('Start enrolment first')
  if (pending.enabledAt) throw conflict('Two-factor authentication is already on')
  const step = matchingTimeStep(pending.secret, code.replace(/\s/g, ''))
  if (step === undefined) {
    await recordFailure(ctx.db, key)
    throw new AppError('unprocessable', 422, 'That code does not match. Check the time on your phone and try the newest code.')
  }
  await clearFailures(ctx.db, key)
  return ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('twoFactorCredentials')
      .set({ enabledAt: now(), lastUsedStep: step })
      .where('userId', '=', actor.id)
      .where('enabledAt', 'is', null)
      .where('secret', '=', pending.secret)
      .executeTakeFirst()
    if (!Number(res.numUpdatedRows)) throw conflict('Enrolment changed meanwhile; start again')
    const codes = await issueRecoveryCodes(trx, actor.id)
    const revoked = await revokeOtherSessions(trx, actor.id, currentSessionId)
    if (currentSessionId) await trx.updateTable('sessions').set({ enrolmentOnly: 0 }).where('id', '=', currentSessionId).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'two_factor.enabled', targetType: 'user', targetId: actor.id, data: { sessionsRevoked: revoked } })
    return codes
  })
}

/** Turns 2FA off after a current code or the password; refused while the person's role must use it. */
export async function disableTwoFactor(ctx: Ctx, actor: Actor, input: ReauthInput): Promise<void> {
  const credential = await findCredential(ctx.db, actor.id)
  if (!credential?.enabledAt) throw conflict('Two-factor authentication is not on')
  if (await isTwoFactorRequired(ctx.db, actor.role)) throw conflict('Your role must use two-factor authentication, so it cannot be turned off')
  await reauthenticate(ctx, actor, input)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recoveryCodes').where('userId', '=', actor.id).execute()
    await trx.deleteFrom('twoFactorCredentials').where('userId', '=', actor.id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'two_factor.disabled', targetType: 'user', targetId: actor.id })
  })
}

/** New recovery codes (the old ones stop working) after a current code or the password. */
export async function regenerateRecoveryCodes(ctx: Ctx, actor: Actor, input: ReauthInput): Promise<string[]> {
  const credential = await findCredential(ctx.db, actor.id)
  if (!credential?.enabledAt) throw conflict('Two-factor authentication is not on')
  await reauthenticate(ctx, actor, input)
  return ctx.db.transaction().execute(async (trx) => {
    const codes = await issueRecoveryCodes(trx, actor.id)
    await recordAudit(trx, { actorId: actor.id, action: 'two_factor.recovery_codes_regenerated', targetType: 'user', targetId: actor.id })
    return codes
  })
}
