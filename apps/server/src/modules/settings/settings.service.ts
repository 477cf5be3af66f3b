import type { SettingsDto } from '@allhands/contract'
import type { Ctx, Executor } from '../../platform/context.ts'
import type { Actor } from '../../platform/actor.ts'
import { newSecret } from '../../platform/crypto.ts'
import { forbidden } from '../../platform/errors.ts'
import { canAdminister } from '../../platform/policy.ts'

const defaults: SettingsDto = { workspaceName: 'Allhands', webFormEnabled: true, webFormInboxId: null, webFormTitle: 'Contact support' }

/** Workspace settings as one object over the key/value table. */
export async function getSettings(db: Executor): Promise<SettingsDto> {
  const rows = await db.selectFrom('settings').selectAll().execute()
  const out: Record<string, unknown> = { ...defaults }
  for (const r of rows) if (r.key in defaults) out[r.key] = JSON.parse(r.value)
  return out as SettingsDto
}

export async function writeSettings(db: Executor, patch: Partial<SettingsDto>): Promise<void> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
      .execute()
  }
}

export async function updateSettings(ctx: Ctx, actor: Actor, patch: Partial<SettingsDto>): Promise<SettingsDto> {
  if (!canAdminister(actor)) throw forbidden('change workspace settings')
  await writeSettings(ctx.db, patch)
  return getSettings(ctx.db)
}

/** A secret kept in the settings table, created on first use (signing reply addresses and file links). */
export async function workspaceSecret(db: Executor, key: 'emailTagSecret' | 'fileLinkSecret' | 'surveyLinkSecret'): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (row) return JSON.parse(row.value)
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(newSecret()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const stored = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()
  return JSON.parse(stored.value)
}
