import type { QueueSettingsDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { cachedValue } from '../../platform/cache.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canManageQueueSettings } from '../../platform/policy.ts'

const KEY = 'rotationQueue'
const DEFAULTS: QueueSettingsDto = { autoAssign: false, capPerPerson: 3 }

// Read for every new ticket (is auto-assignment on?): kept per app, dropped on every node when an admin changes it.
const cache = cachedValue<QueueSettingsDto>('rotation-queue-settings')

/** Auto-assignment settings, stored as one record in the settings table. */
export async function getQueueSettings(db: Executor): Promise<QueueSettingsDto> {
  return cache.get(db, () => readQueueSettings(db))
}

async function readQueueSettings(db: Executor): Promise<QueueSettingsDto> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  return { ...DEFAULTS, ...readJson<Partial<QueueSettingsDto>>(row?.value, {}) }
}

export async function updateQueueSettings(ctx: Ctx, actor: Actor, patch: Partial<QueueSettingsDto>): Promise<QueueSettingsDto> {
  if (!canManageQueueSettings(actor)) throw forbidden('change the rotation queue settings')
  const next = await ctx.db.transaction().execute(async (trx) => {
    const before = await readQueueSettings(trx)
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }
    await trx
      .insertInto('settings')
      .values({ key: KEY, value: writeJson(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: writeJson(next) }))
      .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'queue_settings.updated', targetType: 'settings', targetId: null, data: { before, after: next } })
    return next
  })
  cache.invalidate(ctx)
  return next
}
