import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { writeJson } from '../../platform/json.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { UNSOLVED } from '../tickets/tickets.queries.ts'
import { assessTickets } from './risk.assess.ts'
import { invalidateRiskConfig } from './risk.cache.ts'

/** The banking demo's categories, with the words that file an uncategorised ticket under each. */
export const DEMO_CATEGORIES: { name: string; keywords: string[] }[] = [
  { name: 'Cards', keywords: ['card', 'declined', 'pin', 'blocked', 'limit'] },
  { name: 'Transfers', keywords: ['transfer', 'iban', 'sepa', 'wire', 'beneficiary', 'payment'] },
  { name: 'Account access', keywords: ['login', 'log in', 'password', 'passcode', 'verify', 'verification', 'identity', 'locked out'] },
  { name: 'Billing & fees', keywords: ['fee', 'fees', 'charge', 'charged', 'exchange rate', 'refund', 'top up', 'top-up'] },
  { name: 'Security', keywords: ['fraud', 'stolen', 'compromised', 'hacked', 'scam', 'suspicious'] },
]

/** Which demo contributors are certified in which categories (beside what the training demo grants). */
const CERTIFIED: Record<string, string[]> = {
  'Ines Duarte': ['Transfers'],
  'Ravi Patel': ['Account access', 'Cards'],
}

/**
 * Safe-routing demo: categories, certifications for a few contributors, VIP contacts and enterprise
 * organizations, then the risk of every unsolved ticket computed in batches. Deterministic; it draws nothing
 * from the shared random stream, so the demos seeded after it stay the same.
 */
export async function seedRiskDemo(database: Database, world: World, _rng: Rng): Promise<void> {
  const db = database.db
  const t = now()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('categories')
      .values(DEMO_CATEGORIES.map((c) => ({ name: c.name, keywords: writeJson(c.keywords), createdAt: t })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const categories = await trx.selectFrom('categories').select(['id', 'name']).execute()
    const admin = world.agents[0]?.id ?? null
    for (const [person, names] of Object.entries(CERTIFIED)) {
      const user = world.contributors.find((c) => c.name === person)
      if (!user) continue
      const ids = categories.filter((c) => names.includes(c.name)).map((c) => c.id)
      if (ids.length)
        await trx
          .insertInto('certifications')
          .values(ids.map((categoryId) => ({ userId: user.id, categoryId, source: 'admin', grantedById: admin, createdAt: t })))
          .onConflict((oc) => oc.columns(['userId', 'categoryId']).doNothing())
          .execute()
    }
    // The two organizations with the most demo customers are enterprise accounts; a few people are VIPs.
    const byOrg = new Map<number, number>()
    for (const c of world.contacts) if (c.organizationId !== null) byOrg.set(c.organizationId, (byOrg.get(c.organizationId) ?? 0) + 1)
    const enterprise = [...byOrg.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 2)
      .map(([id]) => id)
    if (enterprise.length) await trx.updateTable('organizations').set({ tier: 'enterprise' }).where('id', 'in', enterprise).execute()
    const individuals = world.contacts.filter((c) => c.organizationId === null)
    // Every 97th individual customer is a VIP: spread over the list, and the shared random stream stays untouched for the other demos.
    const vips = individuals.filter((_, i) => i % 97 === 5).map((c) => c.id)
    if (vips.length) await trx.updateTable('contacts').set({ vip: 1 }).where('id', 'in', vips).execute()
  })
  invalidateRiskConfig(db)
  let afterId = 0
  for (;;) {
    const rows = await db.selectFrom('tickets').select('id').where('id', '>', afterId).where('status', 'in', UNSOLVED).orderBy('id').limit(500).execute()
    if (!rows.length) break
    await db.transaction().execute((trx) =>
      assessTickets(
        trx,
        rows.map((r) => r.id),
      ),
    )
    afterId = rows[rows.length - 1]!.id
  }
}
