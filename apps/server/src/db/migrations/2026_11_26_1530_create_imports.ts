import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Imports: one row per uploaded file (kind, status, the stored blob, the CSV mapping, counters, the resume cursor,
 * the capped per-row error list and the report), and the external-id map that makes re-running an import of a
 * Zendesk/Freshdesk export (or a CSV) update what it created instead of creating it twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('blob_hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('inbox_id', 'integer', (c) => c.references('inboxes.id').onDelete('set null'))
    .addColumn('mapping', jsonType(db), (c) => c.notNull())
    .addColumn('total', 'integer')
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', jsonType(db), (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report', jsonType(db), (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('import_external_ids')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    // Null when nothing here stands for the record (an agent without an account); `label` keeps their name.
    .addColumn('local_id', 'integer')
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_external_ids_pk', ['source', 'kind', 'external_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_external_ids').execute()
  await db.schema.dropTable('imports').execute()
}
