import type { SsoLoginOptionsDto, SsoSettingsDto, SsoSettingsInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, forbidden } from '../../platform/errors.ts'
import { canManageSso } from './security.policy.ts'

const SSO_KEY = 'ssoOidc'

/** The stored identity provider configuration, client secret included (server side only). */
export type SsoConfig = Omit<SsoSettingsInput, 'clientSecret'> & { clientSecret: string }

const defaults: SsoConfig = {
  enabled: false,
  displayName: 'SSO',
  issuerUrl: '',
  clientId: '',
  clientSecret: '',
  scopes: 'openid email profile',
  allowedDomains: [],
  jitProvisioning: false,
  jitRole: 'agent',
  passwordLoginDisabled: false,
}

export async function readSsoConfig(db: Executor): Promise<SsoConfig> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SSO_KEY).executeTakeFirst()
  return { ...defaults, ...(row ? (JSON.parse(row.value) as Partial<SsoConfig>) : {}) }
}

/** Single sign-on is offered once it is switched on and fully configured. */
export const isSsoUsable = (c: SsoConfig) => c.enabled && !!c.issuerUrl && !!c.clientId

export const oidcRedirectUri = (ctx: Ctx) => `${ctx.config.publicUrl}/api/v1/auth/oidc/callback`

export async function ssoLoginOptions(ctx: Ctx): Promise<SsoLoginOptionsDto> {
  const c = await readSsoConfig(ctx.db)
  const usable = isSsoUsable(c)
  return { enabled: usable, displayName: c.displayName, passwordLoginDisabled: usable && c.passwordLoginDisabled }
}

function present(ctx: Ctx, c: SsoConfig): SsoSettingsDto {
  const { clientSecret, ...rest } = c
  return { ...rest, clientSecretSet: clientSecret !== '', redirectUri: oidcRedirectUri(ctx) }
}

export async function getSsoSettings(ctx: Ctx, actor: Actor): Promise<SsoSettingsDto> {
  if (!canManageSso(actor)) throw forbidden('view single sign-on settings')
  return present(ctx, await readSsoConfig(ctx.db))
}

/** Checks an issuer URL: absolute https (http only on loopback, for local providers). Returns it without a trailing slash. */
export function normaliseIssuerUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw badRequest('The issuer URL is not a valid URL')
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw badRequest('The issuer URL must use https')
  if (url.search || url.hash) throw badRequest('The issuer URL must not have a query or fragment')
  return url.toString().replace(/\/$/, '')
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

/** Saves the identity provider; the client secret is kept unless a new one is given. Audited (without the secret). */
export async function updateSsoSettings(ctx: Ctx, actor: Actor, input: SsoSettingsInput): Promise<SsoSettingsDto> {
  if (!canManageSso(actor)) throw forbidden('change single sign-on settings')
  const allowedDomains = [...new Set(input.allowedDomains.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))]
  const badDomain = allowedDomains.find((d) => !DOMAIN.test(d))
  if (badDomain) throw badRequest(`"${badDomain}" is not a domain name`)
  const scopes = input.scopes.trim().split(/\s+/)
  if (!scopes.includes('openid')) throw badRequest('The scopes must include "openid"')
  const issuerUrl = input.issuerUrl.trim() ? normaliseIssuerUrl(input.issuerUrl) : ''
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readSsoConfig(trx)
    const next: SsoConfig = {
      enabled: input.enabled,
      displayName: input.displayName.trim() || defaults.displayName,
      issuerUrl,
      clientId: input.clientId.trim(),
      clientSecret: input.clientSecret === undefined ? before.clientSecret : input.clientSecret,
      scopes: [...new Set(scopes)].join(' '),
      allowedDomains,
      jitProvisioning: input.jitProvisioning,
      jitRole: input.jitRole,
      passwordLoginDisabled: input.passwordLoginDisabled,
    }
    if (next.enabled && (!next.issuerUrl || !next.clientId)) throw badRequest('Single sign-on needs an issuer URL and a client id before it can be switched on')
    const value = JSON.stringify(next)
    await trx
      .insertInto('settings')
      .values({ key: SSO_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    const { clientSecret: _before, ...beforeShown } = before
    const { clientSecret: _after, ...afterShown } = next
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'sso.settings_updated',
      targetType: 'workspace',
      targetId: null,
      data: { from: beforeShown, to: afterShown, clientSecretChanged: before.clientSecret !== next.clientSecret },
    })
    return present(ctx, next)
  })
}
