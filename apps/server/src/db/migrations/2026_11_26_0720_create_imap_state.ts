import type { Kysely } from 'kysely'

// Where each email inbox's IMAP import stands: resumable by UIDVALIDITY/UID, with the last error for admins.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imap_state')
    .addColumn('inbox_id', 'integer', (c) => c.primaryKey().references('inboxes.id').onDelete('cascade'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_success_at', 'bigint')
    .addColumn('imported_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imap_state').execute()
}
