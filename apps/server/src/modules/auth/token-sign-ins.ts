import { type CacheScope, keyedCache } from '../../platform/cache.ts'
import type { ActorRow } from '../users/users.queries.ts'

/** What signing in with an API token reads: the token, and its owner as an actor. */
export type TokenSignInRow = ActorRow & { tokenId: number; lastUsedAt: number | null; scopes: string; expiresAt: number | null }

/** How long a token's sign-in is kept before it is read again (docs/SECURITY.md, "Personal API tokens"). */
export const SIGN_IN_TTL_MS = 2_000

/**
 * Token sign-ins by token hash, each kept for SIGN_IN_TTL_MS. Machines sign in with a token on every request (an MTA
 * delivering mail, an integration): reading the token and the owner's teams, certifications and shift each time was
 * a fifth of the work of ingesting a message over HTTP. Revoking a token and any change to a user through the users
 * API (role, deactivation, trust) forget every sign-in at once, on every node; team, certification and shift changes
 * and earned promotions reach a token within the TTL, as does a shift that starts. A shift that ends is noticed at
 * once (resolveApiToken), and so is expiry.
 */
export const tokenSignIns = keyedCache<string, TokenSignInRow>('api-token-sign-in', { ttlMs: SIGN_IN_TTL_MS, maxEntries: 1_000 })

/** Call after a committed change to a user or a token: every node reads its tokens' sign-ins afresh. */
export const forgetTokenSignIns = (scope: CacheScope) => tokenSignIns.invalidate(scope)
