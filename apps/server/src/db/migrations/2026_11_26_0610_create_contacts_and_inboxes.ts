import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inboxes')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('auto_reply', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('organizations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('custom_fields', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('organizations_name').on('organizations').column('name').execute()
  await db.schema.createIndex('organizations_domain').on('organizations').column('domain').execute()
  await db.schema
    .createTable('contacts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('custom_fields', jsonType(db), (c) => c.notNull())
    .addColumn('merged_into_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('contacts_organization_id').on('contacts').column('organization_id').execute()
  await db.schema.createIndex('contacts_name').on('contacts').column('name').execute()
  await db.schema
    .createTable('contact_identities')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contact_identities_kind_value', ['kind', 'value'])
    .execute()
  await db.schema.createIndex('contact_identities_contact_id').on('contact_identities').column('contact_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['contact_identities', 'contacts', 'organizations', 'inboxes']) await db.schema.dropTable(t).execute()
}
