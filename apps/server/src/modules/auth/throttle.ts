import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { rateLimited } from '../../platform/errors.ts'

const THROTTLE_WINDOW_MS = 15 * 60 * 1000

/** Refuses when `key` (an account, an address, a 2FA user) failed `max` times in the current window. */
export async function assertNotThrottled(db: Executor, key: string, max: number): Promise<void> {
  const row = await db.selectFrom('loginAttempts').selectAll().where('key', '=', key).executeTakeFirst()
  if (row && row.windowStart >= now() - THROTTLE_WINDOW_MS && row.count >= max)
    throw rateLimited('Too many sign-in attempts. Wait a few minutes and try again.')
}

/** Counts one failed attempt for `key`, starting a new window when the last one has passed. */
export async function recordFailure(db: Executor, key: string): Promise<void> {
  const t = now()
  const row = await db.selectFrom('loginAttempts').selectAll().where('key', '=', key).executeTakeFirst()
  const fresh = !row || row.windowStart < t - THROTTLE_WINDOW_MS
  await db
    .insertInto('loginAttempts')
    .values({ key, count: 1, windowStart: t })
    .onConflict((oc) => oc.column('key').doUpdateSet(fresh ? { count: 1, windowStart: t } : { count: (row?.count ?? 0) + 1 }))
    .execute()
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('loginAttempts').where('key', '=', key).execute()
}
