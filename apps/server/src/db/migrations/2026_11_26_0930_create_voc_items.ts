import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Voice-of-customer items and their links to tickets (or survey answers), with each customer's quote.
 * Items keep their link, customer and organization counts and first/last seen times, so the board sorts
 * on an index instead of counting links per request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('voc_items')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description_html', 'text', (c) => c.notNull())
    .addColumn('description_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tracker_url', 'text')
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('link_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('organization_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voc_items_by_customers').on('voc_items').columns(['customer_count', 'id']).execute()
  await db.schema.createIndex('voc_items_by_last_seen').on('voc_items').columns(['last_seen_at', 'id']).execute()
  await db.schema.createIndex('voc_items_by_status').on('voc_items').columns(['status', 'customer_count', 'id']).execute()

  await db.schema
    .createTable('voc_links')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('voc_items.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('survey_response_id', 'integer')
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('quote', 'text')
    .addColumn('linked_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voc_links_item_ticket').on('voc_links').columns(['item_id', 'ticket_id']).unique().execute()
  await db.schema.createIndex('voc_links_item_survey').on('voc_links').columns(['item_id', 'survey_response_id']).unique().execute()
  await db.schema.createIndex('voc_links_by_item_seen').on('voc_links').columns(['item_id', 'seen_at']).execute()
  await db.schema.createIndex('voc_links_by_ticket').on('voc_links').columns(['ticket_id']).execute()
  await db.schema.createIndex('voc_links_by_contact').on('voc_links').columns(['contact_id']).execute()

  await db.schema
    .createTable('voc_status_changes')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('voc_items.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voc_status_changes_by_item').on('voc_status_changes').columns(['item_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('voc_status_changes').execute()
  await db.schema.dropTable('voc_links').execute()
  await db.schema.dropTable('voc_items').execute()
}
