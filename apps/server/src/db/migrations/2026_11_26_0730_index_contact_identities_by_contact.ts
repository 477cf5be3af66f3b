import type { Kysely } from 'kysely'

// Presenting a page of tickets or contacts reads each contact's email identities: index them by contact and kind,
// so the planner never falls back to scanning every email through the (kind, value) unique index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('contact_identities_contact_kind').on('contact_identities').columns(['contact_id', 'kind']).execute()
  await db.schema.dropIndex('contact_identities_contact_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('contact_identities_contact_id').on('contact_identities').column('contact_id').execute()
  await db.schema.dropIndex('contact_identities_contact_kind').execute()
}
