import { now } from './clock.ts'
import type { Executor } from './context.ts'

/**
 * Takes or renews the named lease for `holder` until now + ttlMs; true when the holder has it. Atomic on both
 * databases: the upsert only overwrites a lease that ran out or that the holder already owns.
 */
export async function holdLease(db: Executor, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const t = now()
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expiresAt: t + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expiresAt: t + ttlMs })
        .where((eb) => eb.or([eb('leases.expiresAt', '<', t), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst()
  return row?.holder === holder
}

/** Gives the lease up at once (a clean stop), so another process need not wait for it to run out. */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute()
}
