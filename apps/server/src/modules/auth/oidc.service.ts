import type { Role, SsoTestResultDto } from '@allhands/contract'
import * as oidc from 'openid-client'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { sha256 } from '../../platform/crypto.ts'
import { badRequest, forbidden } from '../../platform/errors.ts'
import { findUserByEmail } from '../users/users.queries.ts'
import { participationDefaults } from '../users/users.service.ts'
import { canManageSso } from './security.policy.ts'
import { createSession, type SessionMeta } from './sessions.service.ts'
import { isSsoUsable, normaliseIssuerUrl, oidcRedirectUri, readSsoConfig, type SsoConfig } from './sso-settings.service.ts'

// Long enough to sign in at the provider (and maybe reset a password there); short enough that a leaked state is soon dead.
export const OIDC_STATE_TTL_MS = 10 * 60 * 1000
// Discovery documents and keys change rarely; re-reading them on every sign-in would make the provider a hot path.
const DISCOVERY_TTL_MS = 10 * 60 * 1000
const DISCOVERY_TIMEOUT_S = 10

/** A sign-in the provider or our rules refused; the message is shown to the person on the login page. */
export class SsoLoginError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

const isLoopback = (issuer: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(issuer).hostname)

async function discover(issuerUrl: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuerUrl),
    clientId,
    undefined,
    clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
    // Plain http is allowed only for a provider on this machine (development and tests); normaliseIssuerUrl refuses others.
    { timeout: DISCOVERY_TIMEOUT_S, ...(isLoopback(issuerUrl) ? { execute: [oidc.allowInsecureRequests] } : {}) },
  )
}

const discoveryCache = new Map<string, { config: oidc.Configuration; at: number }>()

async function clientConfigOf(c: SsoConfig): Promise<oidc.Configuration> {
  const key = sha256(`${c.issuerUrl}\n${c.clientId}\n${c.clientSecret}`)
  const cached = discoveryCache.get(key)
  if (cached && cached.at > now() - DISCOVERY_TTL_MS) return cached.config
  const config = await discover(c.issuerUrl, c.clientId, c.clientSecret)
  discoveryCache.clear()
  discoveryCache.set(key, { config, at: now() })
  return config
}

/** "Test connection": fetches the provider's discovery document and says what went wrong, if anything. */
export async function testSsoConnection(actor: Actor, issuerUrl: string): Promise<SsoTestResultDto> {
  if (!canManageSso(actor)) throw forbidden('test single sign-on settings')
  const issuer = normaliseIssuerUrl(issuerUrl)
  try {
    const config = await discover(issuer, 'allhands-connection-test', '')
    const meta = config.serverMetadata()
    return {
      ok: true,
      message: `Found the provider ${meta.issuer}`,
      issuer: meta.issuer,
      authorizationEndpoint: meta.authorization_endpoint ?? null,
    }
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string } }).cause?.code
    return {
      ok: false,
      message: `Could not read ${issuer}/.well-known/openid-configuration: ${(err as Error).message}${cause ? ` (${cause})` : ''}`,
      issuer: null,
      authorizationEndpoint: null,
    }
  }
}

/**
 * First step of a single sign-on: stores state, nonce and PKCE verifier (only the state's hash is the key) and
 * answers the provider's authorization URL and the state, which the caller also keeps in a cookie.
 */
export async function startOidcLogin(ctx: Ctx): Promise<{ url: string; state: string }> {
  const c = await readSsoConfig(ctx.db)
  if (!isSsoUsable(c)) throw badRequest('Single sign-on is not set up')
  const config = await clientConfigOf(c)
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const t = now()
  await ctx.db.deleteFrom('oidcLoginStates').where('expiresAt', '<', t).execute()
  await ctx.db
    .insertInto('oidcLoginStates')
    .values({ id: sha256(state), nonce, codeVerifier, expiresAt: t + OIDC_STATE_TTL_MS, createdAt: t })
    .execute()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(ctx),
    scope: c.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })
  return { url: url.href, state }
}

type Claims = { iss: string; sub: string; email?: unknown; email_verified?: unknown; name?: unknown; preferred_username?: unknown }

/**
 * Second step: the provider sent the browser back with a code. Checks the state against the browser's cookie and
 * uses it up (a replayed callback fails), exchanges the code (the library validates the ID token: issuer, audience,
 * nonce, expiry, signature), finds or provisions the person and opens a session. Refusals are audited and thrown as
 * SsoLoginError.
 */
export async function completeOidcLogin(
  ctx: Ctx,
  query: Record<string, string>,
  cookieState: string | undefined,
  meta: SessionMeta,
): Promise<{ sessionId: string; actor: Actor }> {
  const refuse = async (reason: string, message: string, data: Record<string, unknown> = {}, userId: number | null = null): Promise<never> => {
    await recordAudit(ctx.db, { actorId: userId, action: 'auth.login_failed', targetType: 'user', targetId: userId, data: { method: 'sso', reason, ...data } })
    throw new SsoLoginError(reason, message)
  }
  const state = query.state
  if (!state || !cookieState || state !== cookieState)
    return refuse('state_mismatch', 'This sign-in did not start in this browser or has already been used. Please start again.')
  const pending = await ctx.db.selectFrom('oidcLoginStates').select(['nonce', 'codeVerifier', 'expiresAt']).where('id', '=', sha256(state)).executeTakeFirst()
  const used = await ctx.db.deleteFrom('oidcLoginStates').where('id', '=', sha256(state)).executeTakeFirst()
  if (!pending || !Number(used.numDeletedRows)) return refuse('state_unknown', 'This sign-in has already been used or is unknown. Please start again.')
  if (pending.expiresAt < now()) return refuse('state_expired', 'This sign-in took too long. Please start again.')

  const c = await readSsoConfig(ctx.db)
  if (!isSsoUsable(c)) return refuse('sso_disabled', 'Single sign-on is switched off.')
  let claims: Claims
  try {
    const config = await clientConfigOf(c)
    const currentUrl = new URL(`${oidcRedirectUri(ctx)}?${new URLSearchParams(query).toString()}`)
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    })
    claims = { ...(tokens.claims() as Claims) }
    // Many providers put the email only in the userinfo answer (the ID token carries the subject alone).
    if (claims.email === undefined && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
      claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified, name: claims.name ?? info.name }
    }
  } catch (err) {
    const e = err as Error & { error?: string; error_description?: string }
    if (e instanceof oidc.AuthorizationResponseError)
      return refuse('provider_error', `${c.displayName} refused the sign-in: ${e.error_description ?? e.error}`, { error: e.error })
    return refuse('token_invalid', `The answer from ${c.displayName} could not be verified: ${e.message}`, { error: e.message })
  }

  const issuer = claims.iss
  const subject = claims.sub
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null
  const link = await ctx.db.selectFrom('oidcIdentities').select(['id', 'userId']).where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst()
  let userId: number
  if (link) {
    userId = link.userId
  } else {
    if (!email) return refuse('email_missing', `${c.displayName} did not tell us your email address, so no account could be matched.`, { issuer, subject })
    if (claims.email_verified !== true)
      return refuse('email_unverified', `${c.displayName} has not verified your email address ${email}, so it cannot be used to sign in.`, { email })
    const domain = email.split('@')[1] ?? ''
    if (c.allowedDomains.length && !c.allowedDomains.includes(domain))
      return refuse('domain_not_allowed', `Accounts from ${domain} may not sign in here. Allowed: ${c.allowedDomains.join(', ')}.`, { email })
    const existing = await findUserByEmail(ctx.db, email)
    if (existing) {
      userId = existing.id
    } else if (c.jitProvisioning) {
      userId = await provisionUser(ctx, { email, name: nameOf(claims, email), role: c.jitRole }, issuer)
    } else {
      return refuse('no_account', `There is no account for ${email}. Ask an admin to invite you.`, { email })
    }
    await ctx.db.insertInto('oidcIdentities').values({ userId, issuer, subject, email, createdAt: now(), lastLoginAt: null }).execute()
  }
  const user = await ctx.db.selectFrom('users').select(['isActive']).where('id', '=', userId).executeTakeFirst()
  if (!user?.isActive) return refuse('deactivated', 'Your account is deactivated. Ask an admin to reactivate it.', { email }, userId)

  const session = await createSession(ctx.db, userId, meta, { viaSso: true })
  await ctx.db.updateTable('oidcIdentities').set({ lastLoginAt: now() }).where('issuer', '=', issuer).where('subject', '=', subject).execute()
  await recordAudit(ctx.db, {
    actorId: userId,
    action: 'auth.login_succeeded',
    targetType: 'user',
    targetId: userId,
    data: { method: 'sso', issuer },
  })
  return session
}

function nameOf(claims: Claims, email: string): string {
  for (const v of [claims.name, claims.preferred_username]) if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200)
  return email.split('@')[0]!
}

/** Just-in-time account for a person the provider vouches for: no password (they sign in through the provider). */
async function provisionUser(ctx: Ctx, input: { email: string; name: string; role: Role }, issuer: string): Promise<number> {
  const t = now()
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        email: input.email,
        name: input.name,
        role: input.role,
        ...participationDefaults(input.role),
        passwordHash: null,
        isActive: 1,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: null,
      action: 'user.provisioned_by_sso',
      targetType: 'user',
      targetId: row.id,
      data: { email: input.email, role: input.role, issuer },
    })
    return row.id
  })
}
