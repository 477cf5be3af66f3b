import type { Kysely } from 'kysely'
import { isPostgres } from './helpers.ts'

/**
 * Small blobs may keep their bytes in their `blobs` row instead of a file (platform/blobs.ts, `put` with `inRow`):
 * raw inbound mail, a few kilobytes each, where creating a file cost more than the rest of storing the message.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('blobs')
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('blobs').dropColumn('content').execute()
}
