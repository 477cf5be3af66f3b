import type { Kysely } from 'kysely'

/**
 * Tickets whose report facts must be recomputed. Any write that changes what reports say about a ticket
 * (a message, a status change, a merge, a rating) marks it in the same transaction; the reports module
 * drains the queue. Order-free and idempotent: a ticket marked twice is recomputed once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_dirty_tickets')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey())
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_dirty_tickets').execute()
}
