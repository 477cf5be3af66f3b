import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Suggested items and links from grouping similar recent tickets. The fingerprint (kind, item and the
 * sorted ticket ids) is unique, so a dismissed or accepted suggestion is never proposed again for the
 * same tickets.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('voc_suggestions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.references('voc_items.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('terms', jsonType(db), (c) => c.notNull())
    .addColumn('ticket_ids', jsonType(db), (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voc_suggestions_by_status').on('voc_suggestions').columns(['status', 'score']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('voc_suggestions').execute()
}
