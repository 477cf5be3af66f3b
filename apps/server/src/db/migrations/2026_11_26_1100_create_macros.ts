import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Macros: a saved reply template (sanitized HTML with placeholders) plus ticket actions. Personal macros have an
 * owner; shared ones have none and may be approved for rotation contributors. Usage counts order the picker.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('macros')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('actions', jsonType(db), (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('approved_for_contributors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_at', 'bigint')
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // The picker reads one person's personal macros and the shared ones (approved only, for contributors).
  await db.schema.createIndex('macros_by_owner').on('macros').columns(['owner_id', 'usage_count']).execute()
  await db.schema.createIndex('macros_by_scope').on('macros').columns(['scope', 'approved_for_contributors', 'usage_count']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('macros').execute()
}
