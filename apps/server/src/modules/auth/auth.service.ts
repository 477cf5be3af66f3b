import type { MeDto, SetupInput, TokenDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { newSecret, sha256, verifyPassword } from '../../platform/crypto.ts'
import { AppError, conflict, notFound, rateLimited } from '../../platform/errors.ts'
import { getSettings, writeSettings } from '../settings/settings.service.ts'
import { findActiveActor, findUserByEmail, getUserDto } from '../users/users.queries.ts'
import { insertUser } from '../users/users.service.ts'

export const SESSION_COOKIE = 'allhands_session'
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000
const THROTTLE_WINDOW_MS = 15 * 60 * 1000

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

async function assertNotThrottled(db: Executor, key: string, max: number): Promise<void> {
  const row = await db.selectFrom('loginAttempts').selectAll().where('key', '=', key).executeTakeFirst()
  if (row && row.windowStart >= now() - THROTTLE_WINDOW_MS && row.count >= max)
    throw rateLimited('Too many sign-in attempts. Wait a few minutes and try again.')
}

async function recordFailure(db: Executor, key: string): Promise<void> {
  const t = now()
  const row = await db.selectFrom('loginAttempts').selectAll().where('key', '=', key).executeTakeFirst()
  const fresh = !row || row.windowStart < t - THROTTLE_WINDOW_MS
  await db
    .insertInto('loginAttempts')
    .values({ key, count: 1, windowStart: t })
    .onConflict((oc) => oc.column('key').doUpdateSet(fresh ? { count: 1, windowStart: t } : { count: (row?.count ?? 0) + 1 }))
    .execute()
}

/** Checks a password; failed attempts are throttled per account and per address. Returns a new session secret. */
export async function login(ctx: Ctx, input: { email: string; password: string }, ip: string): Promise<{ sessionId: string; actor: Actor }> {
  const email = input.email.trim().toLowerCase()
  const keys = [`email:${email}`, `ip:${ip}`]
  await assertNotThrottled(ctx.db, keys[0]!, ctx.config.loginMaxAttempts)
  await assertNotThrottled(ctx.db, keys[1]!, ctx.config.loginMaxAttempts * 4)
  const user = await findUserByEmail(ctx.db, email)
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false
  if (!user || !ok || !user.isActive) {
    for (const key of keys) await recordFailure(ctx.db, key)
    throw new AppError('unauthenticated', 401, 'Email or password is wrong')
  }
  await ctx.db.deleteFrom('loginAttempts').where('key', '=', keys[0]!).execute()
  const sessionId = newSecret()
  const t = now()
  await ctx.db
    .insertInto('sessions')
    .values({ id: sha256(sessionId), userId: user.id, createdAt: t, expiresAt: t + SESSION_TTL_MS })
    .execute()
  return { sessionId, actor: (await findActiveActor(ctx.db, user.id))! }
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id', '=', sha256(sessionId)).execute()
}

export async function actorFromSession(db: Executor, sessionId: string): Promise<Actor | undefined> {
  const session = await db.selectFrom('sessions').select(['userId', 'expiresAt']).where('id', '=', sha256(sessionId)).executeTakeFirst()
  if (!session || session.expiresAt < now()) return undefined
  return findActiveActor(db, session.userId)
}

export async function actorFromToken(db: Executor, token: string): Promise<Actor | undefined> {
  const row = await db.selectFrom('apiTokens').select(['id', 'userId', 'lastUsedAt']).where('tokenHash', '=', sha256(token)).executeTakeFirst()
  if (!row) return undefined
  const t = now()
  // Write the last-use time at most once a minute: tokens authenticate hot paths.
  if (!row.lastUsedAt || row.lastUsedAt < t - 60_000) await db.updateTable('apiTokens').set({ lastUsedAt: t }).where('id', '=', row.id).execute()
  return findActiveActor(db, row.userId)
}

export async function createToken(ctx: Ctx, actor: Actor, name: string): Promise<{ id: number; name: string; token: string }> {
  const token = newSecret('ah_')
  const row = await ctx.db
    .insertInto('apiTokens')
    .values({ userId: actor.id, name, tokenHash: sha256(token), createdAt: now(), lastUsedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, name, token }
}

export async function listTokens(ctx: Ctx, actor: Actor): Promise<TokenDto[]> {
  return ctx.db.selectFrom('apiTokens').select(['id', 'name', 'createdAt', 'lastUsedAt']).where('userId', '=', actor.id).orderBy('id', 'desc').execute()
}

export async function revokeToken(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  const res = await ctx.db.deleteFrom('apiTokens').where('id', '=', id).where('userId', '=', actor.id).executeTakeFirst()
  if (!res.numDeletedRows) throw notFound('Token', id)
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
