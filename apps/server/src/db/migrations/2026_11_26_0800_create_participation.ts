import { type Kysely, sql } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * What lets the whole company take part safely: each person's trust level and risk clearance, ticket
 * categories and per-category certifications, each ticket's risk, the shifts that give contributors
 * customer-facing rights, replies held for review, and the audit log every such change writes to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('trust_level', 'text', (c) => c.notNull().defaultTo('agent'))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('clearance', 'text', (c) => c.notNull().defaultTo('high'))
    .execute()
  await sql`UPDATE users SET trust_level = 'reviewed', clearance = 'low' WHERE role = 'contributor'`.execute(db)

  await db.schema
    .createTable('categories')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('keywords', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .alterTable('tickets')
    .addColumn('category_id', 'integer', (c) => c.references('categories.id').onDelete('set null'))
    .execute()
  await db.schema
    .alterTable('tickets')
    .addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('low'))
    .execute()
  await db.schema.alterTable('tickets').addColumn('risk_reasons', jsonType(db)).execute()

  await db.schema
    .createTable('certifications')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('granted_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('certifications_pk', ['user_id', 'category_id'])
    .execute()

  await db.schema
    .createTable('shifts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('rotation_id', 'integer')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('review_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('shifts_by_user_end').on('shifts').columns(['user_id', 'ends_at']).execute()

  await db.schema
    .createTable('reply_reviews')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('attachment_ids', jsonType(db), (c) => c.notNull())
    .addColumn('requested_status', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reviewer_id', 'integer', (c) => c.references('users.id'))
    .addColumn('final_html', 'text')
    .addColumn('feedback', 'text')
    .addColumn('message_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute()
  await db.schema.createIndex('reply_reviews_by_status').on('reply_reviews').columns(['status', 'created_at']).execute()
  await db.schema.createIndex('reply_reviews_by_ticket').on('reply_reviews').columns(['ticket_id']).execute()
  await db.schema.createIndex('reply_reviews_by_author').on('reply_reviews').columns(['author_id', 'created_at']).execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('data', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_by_target').on('audit_log').columns(['target_type', 'target_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'reply_reviews', 'shifts', 'certifications']) await db.schema.dropTable(t).execute()
  for (const c of ['risk_reasons', 'risk_level', 'category_id']) await db.schema.alterTable('tickets').dropColumn(c).execute()
  await db.schema.dropTable('categories').execute()
  for (const c of ['clearance', 'trust_level']) await db.schema.alterTable('users').dropColumn(c).execute()
}
