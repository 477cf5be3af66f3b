import { type Kysely, sql } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Review policies: per ticket category (one default row for tickets without a category) the review SLA
 * and when people in review are promoted automatically. Held replies keep how much the reviewer changed
 * (edit_ratio) and the sent text, so promotion can count approvals with small edits.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('review_policies')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('category_id', 'integer', (c) => c.references('categories.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('approvals_required', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('max_edit_ratio', 'double precision', (c) => c.notNull().defaultTo(0.2))
    .addColumn('sla_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('review_policies_by_category').on('review_policies').column('category_id').unique().execute()
  const t = Date.now()
  await sql`INSERT INTO review_policies (category_id, enabled, approvals_required, max_edit_ratio, sla_minutes, created_at, updated_at)
    VALUES (NULL, 1, 10, 0.2, 60, ${t}, ${t})`.execute(db)

  await db.schema.alterTable('reply_reviews').addColumn('edit_ratio', 'double precision').execute()
  await db.schema.alterTable('reply_reviews').addColumn('final_text', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['final_text', 'edit_ratio']) await db.schema.alterTable('reply_reviews').dropColumn(c).execute()
  await db.schema.dropTable('review_policies').execute()
}
