import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'

/**
 * OpenID Connect single sign-on and scoped, expiring API tokens (issue 10). See docs/SECURITY.md.
 */

/**
 * What a personal API token may do: `read` (GET requests), `write` (every other request an agent may make),
 * `admin` (the owner's admin rights; without it the token acts with agent rights at most).
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]
export const TokenScopeSchema = Type.Enum(TOKEN_SCOPES)

export const ApiTokenInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  /** Defaults to every scope (the behaviour of tokens made before scopes existed). */
  scopes: Type.Optional(Type.Array(TokenScopeSchema, { minItems: 1, uniqueItems: true })),
  /** When the token stops working; null or absent: never. Must be in the future. */
  expiresAt: Type.Optional(Nullable(Timestamp)),
})
export type ApiTokenInput = Static<typeof ApiTokenInput>

export const ApiTokenDto = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  expired: Type.Boolean(),
})
export type ApiTokenDto = Static<typeof ApiTokenDto>

/** The secret is in this answer only. */
export const CreatedApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  token: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  expiresAt: Nullable(Timestamp),
})
export type CreatedApiToken = Static<typeof CreatedApiToken>

/** What the login page needs to know: whether to offer "Sign in with …" and whether passwords still work. */
export const SsoLoginOptionsDto = Type.Object({
  enabled: Type.Boolean(),
  displayName: Type.String(),
  passwordLoginDisabled: Type.Boolean(),
})
export type SsoLoginOptionsDto = Static<typeof SsoLoginOptionsDto>

const SsoRole = Type.Union([Type.Literal('admin'), Type.Literal('agent'), Type.Literal('contributor')])

const SsoSettingsFields = {
  enabled: Type.Boolean(),
  displayName: Type.String({ minLength: 1, maxLength: 60 }),
  issuerUrl: Type.String({ maxLength: 500 }),
  clientId: Type.String({ maxLength: 300 }),
  /** Space-separated; must include `openid`. */
  scopes: Type.String({ minLength: 6, maxLength: 300 }),
  /** Email domains (e.g. `example.com`) whose verified addresses may sign in; empty: any domain. */
  allowedDomains: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 50 }),
  /** Create an account on first sign-in of an unknown person (with a verified email in an allowed domain). */
  jitProvisioning: Type.Boolean(),
  jitRole: SsoRole,
  /** Only owners may still sign in with a password (break-glass); everyone else uses single sign-on. */
  passwordLoginDisabled: Type.Boolean(),
}

/** The identity provider as admins see it; the client secret is never returned, only whether it is set. */
export const SsoSettingsDto = Type.Object({ ...SsoSettingsFields, clientSecretSet: Type.Boolean(), redirectUri: Type.String() })
export type SsoSettingsDto = Static<typeof SsoSettingsDto>

/** `clientSecret` absent keeps the stored one; an empty string clears it. */
export const SsoSettingsInput = Type.Object({ ...SsoSettingsFields, clientSecret: Type.Optional(Type.String({ maxLength: 500 })) })
export type SsoSettingsInput = Static<typeof SsoSettingsInput>

export const SsoTestInput = Type.Object({ issuerUrl: Type.String({ minLength: 1, maxLength: 500 }) })
export type SsoTestInput = Static<typeof SsoTestInput>

/** Result of fetching the provider's discovery document. */
export const SsoTestResultDto = Type.Object({
  ok: Type.Boolean(),
  message: Type.String(),
  issuer: Nullable(Type.String()),
  authorizationEndpoint: Nullable(Type.String()),
})
export type SsoTestResultDto = Static<typeof SsoTestResultDto>
