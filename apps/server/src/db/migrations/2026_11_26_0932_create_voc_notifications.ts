import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Close the loop: one prepared reply per customer of a shipped item, on their most recent linked ticket,
 * and what became of it (sent with its message, held with its review, or failed with the reason).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('voc_notifications')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('voc_items.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'integer')
    .addColumn('review_id', 'integer')
    .addColumn('error', 'text')
    .addColumn('sent_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('voc_notifications_item_contact').on('voc_notifications').columns(['item_id', 'contact_id']).unique().execute()
  await db.schema.createIndex('voc_notifications_by_contact').on('voc_notifications').columns(['contact_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('voc_notifications').execute()
}
