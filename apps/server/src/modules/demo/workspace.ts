import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { ensureDefaultInbox } from '../auth/auth.service.ts'
import { getSettings, writeSettings } from '../settings/settings.service.ts'
import { insertUser } from '../users/users.service.ts'
import { type ContactRow, type IdCursor, insertContacts, insertOrganizations } from './bulk-insert.ts'
import {
  DEMO_DOMAIN,
  DEMO_PASSWORD,
  FIRST_NAMES,
  INBOXES,
  LAST_NAMES,
  ORGANIZATIONS,
  PERSONAL_DOMAINS,
  PLANS,
  STAFF,
  TEAMS,
  TIERS,
  type TeamName,
  WORKSPACE_NAME,
} from './demo-data.ts'
import type { World } from './generate.ts'
import type { Rng } from './random.ts'

/**
 * The people and places of the demo workspace. Every step reuses what already exists (same email, team name,
 * inbox name, field key, org domain), so seeding twice adds tickets instead of failing on unique constraints.
 */

export const staffEmail = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@${DEMO_DOMAIN}`
export const OWNER_EMAIL = `owner@${DEMO_DOMAIN}`

/** Creates the demo owner when nobody has set the workspace up yet; returns their email if so. */
export async function ensureOwner(database: Database): Promise<string | null> {
  const db = database.db
  let created: string | null = null
  if (!(await db.selectFrom('users').select('id').limit(1).executeTakeFirst())) {
    await insertUser(db, { email: OWNER_EMAIL, name: 'Demo Owner', role: 'owner', password: DEMO_PASSWORD })
    created = OWNER_EMAIL
  }
  // Keep a name someone chose; replace only the default.
  if (created || (await getSettings(db)).workspaceName === 'Allhands') await writeSettings(db, { workspaceName: WORKSPACE_NAME })
  await ensureDefaultInbox(db)
  return created
}

export async function ensureTeams(database: Database): Promise<Record<TeamName, number>> {
  const out = {} as Record<TeamName, number>
  for (const name of TEAMS) {
    const existing = await database.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst()
    out[name] = existing?.id ?? (await database.db.insertInto('teams').values({ name, createdAt: now() }).returning('id').executeTakeFirstOrThrow()).id
  }
  return out
}

/** Admin, agents and contributors with real password hashes, and their team memberships. */
export async function ensureStaff(database: Database, teams: Record<TeamName, number>): Promise<Pick<World, 'agents' | 'contributors'>> {
  const db = database.db
  const agents: World['agents'] = []
  const contributors: World['contributors'] = []
  for (const person of STAFF) {
    const email = staffEmail(person.name)
    const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    const id = existing?.id ?? (await insertUser(db, { email, name: person.name, role: person.role, password: DEMO_PASSWORD }))
    const teamIds = person.teams.map((t) => teams[t])
    await db
      .insertInto('teamMembers')
      .values(teamIds.map((teamId) => ({ teamId, userId: id })))
      .onConflict((oc) => oc.columns(['teamId', 'userId']).doNothing())
      .execute()
    ;(person.role === 'contributor' ? contributors : agents).push({ id, name: person.name, teamIds })
  }
  return { agents, contributors }
}

export async function ensureInboxes(database: Database, teams: Record<TeamName, number>): Promise<World['inboxes']> {
  const db = database.db
  for (const inbox of INBOXES) {
    if (await db.selectFrom('inboxes').select('id').where('name', '=', inbox.name).executeTakeFirst()) continue
    const autoReply = {
      enabled: inbox.type === 'email',
      subject: 'We got your message',
      body: 'Thanks for writing to Lumen Bank. We usually answer within a few hours.',
    }
    // Email inboxes get their address; replies queue for SMTP and say so plainly when no SMTP server is set up.
    const emailSettings =
      inbox.type === 'email' ? { addresses: [inbox.name], displayName: 'Lumen Bank', signature: 'Lumen Bank customer care', imap: null, smtp: null } : null
    const row = await db
      .insertInto('inboxes')
      .values({
        name: inbox.name,
        type: inbox.type,
        teamId: teams[inbox.team],
        autoReply: JSON.stringify(autoReply),
        emailSettings: emailSettings && JSON.stringify(emailSettings),
        createdAt: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (emailSettings) await db.insertInto('inboxAddresses').values({ address: inbox.name, inboxId: row.id }).execute()
  }
  return db.selectFrom('inboxes').select(['id', 'teamId']).orderBy('id').execute()
}

export async function ensureCustomFields(database: Database): Promise<void> {
  const fields = [
    { entity: 'ticket', key: 'plan', label: 'Plan', type: 'select', options: [...PLANS] },
    { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: [...TIERS] },
    { entity: 'organization', key: 'account_manager', label: 'Account manager', type: 'text', options: [] },
  ]
  for (const f of fields) {
    const existing = await database.db.selectFrom('customFields').select('id').where('entity', '=', f.entity).where('key', '=', f.key).executeTakeFirst()
    if (!existing)
      await database.db
        .insertInto('customFields')
        .values({ ...f, options: JSON.stringify(f.options), createdAt: now() })
        .execute()
  }
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

/** Organizations with domains and contacts (about 60% at an organization's domain); returns contacts as tickets need them. */
export async function ensureCustomers(database: Database, rng: Rng, ids: IdCursor, contactCount: number, since: number): Promise<World['contacts']> {
  const db = database.db
  const orgs = ORGANIZATIONS.map((name, i) => ({ name, domain: `${slug(name)}.example`, plan: PLANS[(i * 7) % PLANS.length]! }))
  const existingOrgs = await db
    .selectFrom('organizations')
    .select(['id', 'domain'])
    .where(
      'domain',
      'in',
      orgs.map((o) => o.domain),
    )
    .execute()
  const missing = orgs.filter((o) => !existingOrgs.some((e) => e.domain === o.domain))
  const newIds = await insertOrganizations(
    database,
    ids,
    missing.map((o) => ({ name: o.name, domain: o.domain, customFields: { account_manager: rng.pick(STAFF).name }, createdAt: since })),
  )
  const orgIds = new Map<string, number>([...existingOrgs.map((e) => [e.domain!, e.id] as const), ...missing.map((o, i) => [o.domain, newIds[i]!] as const)])

  const wanted: (ContactRow & { plan: string })[] = []
  const seen = new Set<string>()
  for (let i = 0; i < contactCount; i++) {
    const first = rng.pick(FIRST_NAMES)
    const last = rng.pick(LAST_NAMES)
    const org = rng.chance(0.6) ? rng.pick(orgs) : null
    const domain = org?.domain ?? rng.pick(PERSONAL_DOMAINS)
    const local = `${first}.${last}`.toLowerCase()
    let email = `${local}@${domain}`
    for (let n = 2; seen.has(email); n++) email = `${local}${n}@${domain}`
    seen.add(email)
    const plan = org?.plan ?? rng.weighted({ Free: 55, Plus: 30, Premium: 15 })
    const tier = plan === 'Business' || plan === 'Premium' ? rng.pick(['gold', 'platinum']) : 'standard'
    wanted.push({ name: `${first} ${last}`, email, organizationId: org ? orgIds.get(org.domain)! : null, customFields: { tier }, createdAt: since + i, plan })
  }
  // Reuse contacts seeded before (same deterministic emails); insert the rest in batches.
  const existing = new Map<string, number>()
  for (let i = 0; i < wanted.length; i += 500) {
    const emails = wanted.slice(i, i + 500).map((c) => c.email)
    for (const r of await db.selectFrom('contactIdentities').select(['contactId', 'value']).where('kind', '=', 'email').where('value', 'in', emails).execute())
      existing.set(r.value, r.contactId)
  }
  const toInsert = wanted.filter((c) => !existing.has(c.email))
  for (let i = 0; i < toInsert.length; i += 5000) {
    const part = toInsert.slice(i, i + 5000)
    const assigned = await insertContacts(database, ids, part)
    for (const [j, c] of part.entries()) existing.set(c.email, assigned[j]!)
  }
  return wanted.map((c) => ({ id: existing.get(c.email)!, name: c.name, organizationId: c.organizationId, plan: c.plan }))
}
