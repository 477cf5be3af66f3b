import { ROLES, type Role, type SecuritySettingsDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { recordAudit } from '../../platform/audit.ts'
import { forbidden } from '../../platform/errors.ts'
import { canManageSecuritySettings } from './security.policy.ts'

const REQUIRED_ROLES_KEY = 'twoFactorRequiredRoles'

async function readRequiredRoles(db: Executor): Promise<Role[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REQUIRED_ROLES_KEY).executeTakeFirst()
  const stored: unknown = row ? JSON.parse(row.value) : []
  return ROLES.filter((r) => Array.isArray(stored) && stored.includes(r))
}

/** Whether people of this role must use two-factor authentication. */
export async function isTwoFactorRequired(db: Executor, role: Role): Promise<boolean> {
  return (await readRequiredRoles(db)).includes(role)
}

export async function getSecuritySettings(ctx: Ctx, actor: Actor): Promise<SecuritySettingsDto> {
  if (!canManageSecuritySettings(actor)) throw forbidden('view security settings')
  return { twoFactorRequiredRoles: await readRequiredRoles(ctx.db) }
}

/** Sets which roles must use 2FA; applies to sessions opened from now on. Audited. */
export async function updateSecuritySettings(ctx: Ctx, actor: Actor, input: SecuritySettingsDto): Promise<SecuritySettingsDto> {
  if (!canManageSecuritySettings(actor)) throw forbidden('change security settings')
  const roles = ROLES.filter((r) => input.twoFactorRequiredRoles.includes(r))
  await ctx.db.transaction().execute(async (trx) => {
    const before = await readRequiredRoles(trx)
    const value = JSON.stringify(roles)
    await trx
      .insertInto('settings')
      .values({ key: REQUIRED_ROLES_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'security.settings_updated',
      targetType: 'workspace',
      targetId: null,
      data: { twoFactorRequiredRoles: { from: before, to: roles } },
    })
  })
  return { twoFactorRequiredRoles: roles }
}
