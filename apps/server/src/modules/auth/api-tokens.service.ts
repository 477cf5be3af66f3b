import { type ApiTokenDto, type ApiTokenInput, type CreatedApiToken, TOKEN_SCOPES, type TokenScope } from '@allhands/contract'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { newSecret, sha256 } from '../../platform/crypto.ts'
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.ts'
import { actorColumns, actorOfRow } from '../users/users.queries.ts'
import { forgetTokenSignIns, type TokenSignInRow, tokenSignIns } from './token-sign-ins.ts'

/** How a request signed in with an API token is limited: the token's scopes and the owner's real role. */
export type TokenGrant = { tokenId: number; scopes: TokenScope[]; expiresAt: number | null; ownerRole: Actor['role'] }
const grants = new WeakMap<FastifyRequest, TokenGrant>()
/** The token a request is signed in with, if it uses one. */
export const tokenGrantOf = (req: FastifyRequest): TokenGrant | undefined => grants.get(req)

const parseScopes = (stored: string): TokenScope[] => TOKEN_SCOPES.filter((s) => stored.split(',').includes(s))
const hasAdminRole = (role: Actor['role']) => role === 'owner' || role === 'admin'

/**
 * The actor a token acts as: its owner (as resolveApiToken reads it: never beyond the owner's current rights, dead
 * with a deactivated account), with admin rights only when the token has the `admin` scope.
 */
export function scopedActor(owner: Actor, scopes: readonly TokenScope[]): Actor {
  if (scopes.includes('admin') || !hasAdminRole(owner.role)) return owner
  return { ...owner, role: 'agent' }
}

/** The token with this hash and its owner as an actor, read now; a 401 for an unknown token. */
async function readTokenSignIn(db: Executor, tokenHash: string, t: number): Promise<TokenSignInRow> {
  const row = await db
    .selectFrom('apiTokens')
    .innerJoin('users', 'users.id', 'apiTokens.userId')
    .select(['apiTokens.id as tokenId', 'apiTokens.lastUsedAt', 'apiTokens.scopes', 'apiTokens.expiresAt'])
    .select(actorColumns(db, t))
    .where('apiTokens.tokenHash', '=', tokenHash)
    .executeTakeFirst()
  if (!row) throw new AppError('unauthenticated', 401, 'The API token is not valid')
  return row
}

/**
 * Checks a bearer token; unknown or expired tokens answer 401. Its sign-in is kept for a moment (token-sign-ins.ts).
 * Notes the last use at most once a minute.
 */
export async function resolveApiToken(db: Executor, secret: string): Promise<{ actor: Actor; grant: TokenGrant }> {
  const t = now()
  const tokenHash = sha256(secret)
  let row = await tokenSignIns.get(db, tokenHash, () => readTokenSignIn(db, tokenHash, t))
  // The owner's shift ended since: their rights changed with it.
  if (row.actorShiftUntil !== null && Number(row.actorShiftUntil) <= t) row = await readTokenSignIn(db, tokenHash, t)
  if (row.expiresAt !== null && row.expiresAt <= t)
    throw new AppError('unauthenticated', 401, `The API token expired on ${new Date(row.expiresAt).toISOString()}`, { code: 'token_expired' })
  const owner = actorOfRow(row)
  if (!owner) throw new AppError('unauthenticated', 401, 'The API token is not valid')
  // Tokens authenticate hot paths: a write per request would be too many. The kept sign-in learns it too.
  if (!row.lastUsedAt || row.lastUsedAt < t - 60_000) {
    await db.updateTable('apiTokens').set({ lastUsedAt: t }).where('id', '=', row.tokenId).execute()
    row.lastUsedAt = t
  }
  const scopes = parseScopes(row.scopes)
  return { actor: scopedActor(owner, scopes), grant: { tokenId: row.tokenId, scopes, expiresAt: row.expiresAt, ownerRole: owner.role } }
}

/** The scope a request needs by its method: reads need `read`, everything else `write`. */
export const scopeForMethod = (method: string): TokenScope => (['GET', 'HEAD', 'OPTIONS'].includes(method) ? 'read' : 'write')

/**
 * Signs a request in with a bearer token and enforces the token's scopes: a missing `read`/`write` scope is a 403
 * naming it. Admin routes are refused by their own policy checks, because the actor lacks admin rights without the
 * `admin` scope (see `explainTokenScopeRefusal`).
 */
export async function authenticateTokenRequest(db: Executor, req: FastifyRequest, secret: string): Promise<void> {
  const { actor, grant } = await resolveApiToken(db, secret)
  req.actor = actor
  req.authMethod = 'token'
  grants.set(req, grant)
  if (!req.url.startsWith('/api/v1/') || req.routeOptions.config?.public) return
  const needed = req.headers.upgrade === 'websocket' ? 'read' : scopeForMethod(req.method)
  if (!grant.scopes.includes(needed))
    throw new AppError('forbidden', 403, `This API token lacks the "${needed}" scope needed for ${req.method} requests`, {
      code: 'token_scope_missing',
      missingScope: needed,
    })
}

/**
 * A 403 for a token without the `admin` scope whose owner is an admin is most likely the missing scope: say so in
 * the error, since the policy message alone ("You are not allowed to …") would puzzle an admin.
 */
export async function explainTokenScopeRefusal(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const grant = grants.get(req)
  if (!grant || reply.statusCode !== 403 || typeof payload !== 'string') return payload
  if (grant.scopes.includes('admin') || !hasAdminRole(grant.ownerRole)) return payload
  try {
    const body = JSON.parse(payload) as { error?: { code?: string; message?: string; details?: unknown } }
    if (body.error?.code !== 'forbidden' || body.error.details !== undefined) return payload
    body.error.message = `${body.error.message}. This API token has no "admin" scope, so it acts with agent rights only.`
    body.error.details = { code: 'token_scope_missing', missingScope: 'admin' }
    return JSON.stringify(body)
  } catch {
    return payload
  }
}

/**
 * Makes a personal API token. A request signed in with a token may only make tokens with no more scopes and no later
 * expiry than its own, so a read-only token cannot mint a full one.
 */
export async function createToken(ctx: Ctx, actor: Actor, input: ApiTokenInput, via?: TokenGrant): Promise<CreatedApiToken> {
  const scopes = TOKEN_SCOPES.filter((s) => (input.scopes ?? TOKEN_SCOPES).includes(s))
  const expiresAt = input.expiresAt ?? null
  const t = now()
  if (expiresAt !== null && expiresAt <= t) throw badRequest('The expiry date must be in the future')
  if (via) {
    const beyond = scopes.filter((s) => !via.scopes.includes(s))
    if (beyond.length) throw forbidden(`create a token with the ${beyond.join(', ')} scope`, 'the token you are using does not have it')
    if (via.expiresAt !== null && (expiresAt === null || expiresAt > via.expiresAt)) throw forbidden('create a token that outlives the token you are using')
  }
  const token = newSecret('ah_')
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('apiTokens')
      .values({ userId: actor.id, name: input.name, tokenHash: sha256(token), createdAt: t, lastUsedAt: null, scopes: scopes.join(','), expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'token.created',
      targetType: 'api_token',
      targetId: row.id,
      data: { name: input.name, scopes, expiresAt },
    })
    return { id: row.id, name: input.name, token, scopes, expiresAt }
  })
}

export async function listTokens(ctx: Ctx, actor: Actor): Promise<ApiTokenDto[]> {
  const rows = await ctx.db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'createdAt', 'lastUsedAt', 'scopes', 'expiresAt'])
    .where('userId', '=', actor.id)
    .orderBy('id', 'desc')
    .execute()
  const t = now()
  return rows.map((r) => ({ ...r, scopes: parseScopes(r.scopes), expired: r.expiresAt !== null && r.expiresAt <= t }))
}

export async function revokeToken(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('apiTokens').where('id', '=', id).where('userId', '=', actor.id).executeTakeFirst()
    if (!Number(res.numDeletedRows)) throw notFound('Token', id)
    await recordAudit(trx, { actorId: actor.id, action: 'token.revoked', targetType: 'api_token', targetId: id })
  })
  forgetTokenSignIns(ctx)
}
