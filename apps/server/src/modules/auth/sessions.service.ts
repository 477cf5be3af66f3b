import type { SessionDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { newSecret, sha256 } from '../../platform/crypto.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { recordAudit } from '../../platform/audit.ts'
import { actorColumns, actorOfRow, findActiveActor } from '../users/users.queries.ts'
import { canRevokeUserSessions } from './security.policy.ts'
import { isTwoFactorRequired } from './security-settings.service.ts'

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000
// Last-seen times are for people reading the session list: minutes are precise enough, and a write per request is not.
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000

export type SessionMeta = { ip: string | null; userAgent: string | null }
export type ResolvedSession = { id: string; actor: Actor; enrolmentOnly: boolean }

/** The stored id of the session a cookie secret opens (only the hash is kept). */
export const sessionIdOf = (secret: string): string => sha256(secret)

/**
 * Opens a session for a person who has proved who they are; returns the cookie secret. A person whose role must use
 * 2FA and has not enrolled gets a session that reaches only the enrolment routes, unless they signed in through the
 * identity provider (`viaSso`), which answers for the second factor (docs/SECURITY.md).
 */
export async function createSession(
  db: Executor,
  userId: number,
  meta: SessionMeta,
  opts: { viaSso?: boolean } = {},
): Promise<{ sessionId: string; actor: Actor }> {
  const actor = await findActiveActor(db, userId)
  if (!actor) throw notFound('User', userId)
  const enrolmentOnly = !opts.viaSso && (await isTwoFactorRequired(db, actor.role)) && !(await hasTwoFactor(db, userId))
  const sessionId = newSecret()
  const t = now()
  await db
    .insertInto('sessions')
    .values({
      id: sessionIdOf(sessionId),
      userId,
      createdAt: t,
      expiresAt: t + SESSION_TTL_MS,
      lastSeenAt: t,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
      enrolmentOnly: enrolmentOnly ? 1 : 0,
    })
    .execute()
  return { sessionId, actor }
}

export async function hasTwoFactor(db: Executor, userId: number): Promise<boolean> {
  const row = await db.selectFrom('twoFactorCredentials').select('enabledAt').where('userId', '=', userId).executeTakeFirst()
  return row?.enabledAt != null
}

/** The session a cookie secret opens, if it is valid; notes when it was last seen (at most every few minutes). */
export async function resolveSession(db: Executor, secret: string): Promise<ResolvedSession | undefined> {
  const id = sessionIdOf(secret)
  const t = now()
  const session = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select(['sessions.expiresAt', 'sessions.lastSeenAt', 'sessions.enrolmentOnly'])
    .select(actorColumns(db, t))
    .where('sessions.id', '=', id)
    .executeTakeFirst()
  if (!session || session.expiresAt < t) return undefined
  const actor = actorOfRow(session)
  if (!actor) return undefined
  if (!session.lastSeenAt || session.lastSeenAt < t - LAST_SEEN_RESOLUTION_MS)
    await db.updateTable('sessions').set({ lastSeenAt: t }).where('id', '=', id).execute()
  return { id, actor, enrolmentOnly: session.enrolmentOnly === 1 }
}

/** The signed-in person's own sessions, newest first; `currentId` marks the one making the request. */
export async function listSessions(ctx: Ctx, actor: Actor, currentId: string | null): Promise<SessionDto[]> {
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'createdAt', 'lastSeenAt', 'expiresAt', 'ip', 'userAgent'])
    .where('userId', '=', actor.id)
    .where('expiresAt', '>=', now())
    .orderBy('createdAt', 'desc')
    .execute()
  return rows.map((r) => ({ ...r, current: r.id === currentId }))
}

/** Signs out one of the person's own sessions; someone else's is not found. */
export async function revokeSession(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('sessions').where('id', '=', id).where('userId', '=', actor.id).executeTakeFirst()
    if (!Number(res.numDeletedRows)) throw notFound('Session', id.slice(0, 8))
    await recordAudit(trx, { actorId: actor.id, action: 'auth.session_revoked', targetType: 'user', targetId: actor.id, data: { session: id.slice(0, 8) } })
  })
}

/** The person signs out all their other sessions (the one in use stays). Audited. */
export async function revokeOwnOtherSessions(ctx: Ctx, actor: Actor, currentId: string | null): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const revoked = await revokeOtherSessions(trx, actor.id, currentId)
    await recordAudit(trx, { actorId: actor.id, action: 'auth.other_sessions_revoked', targetType: 'user', targetId: actor.id, data: { revoked } })
    return revoked
  })
}

/** Signs out every session of a person but `keepId` (the one in use); returns how many ended. */
export async function revokeOtherSessions(db: Executor, userId: number, keepId: string | null): Promise<number> {
  let q = db.deleteFrom('sessions').where('userId', '=', userId)
  if (keepId) q = q.where('id', '!=', keepId)
  return Number((await q.executeTakeFirst()).numDeletedRows)
}

/** An admin signs a person out everywhere (a lost laptop, a leaver): audited. */
export async function revokeAllSessionsOf(ctx: Ctx, actor: Actor, userId: number): Promise<number> {
  if (!canRevokeUserSessions(actor)) throw forbidden("revoke another person's sessions")
  return ctx.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()
    if (!user) throw notFound('User', userId)
    const revoked = await revokeOtherSessions(trx, userId, null)
    await recordAudit(trx, { actorId: actor.id, action: 'user.sessions_revoked', targetType: 'user', targetId: userId, data: { revoked } })
    return revoked
  })
}
