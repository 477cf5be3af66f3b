import type { Kysely } from 'kysely'

/**
 * Leases: named work that one process of a cluster does at a time (an IMAP watcher per inbox). A holder renews its
 * lease while it works; when it dies, the lease runs out and another process takes the work over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute()
}
