import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Decision trees: a tree with its editable draft, frozen versions (publish = freeze, roll back = publish an older
 * one), runs (customer self-service or an agent script on a ticket) with their path and answers, and the per-category
 * "rotation contributors must run this script" requirement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decision_trees')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('draft', jsonType(db), (c) => c.notNull())
    .addColumn('published_version_id', 'integer')
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('decision_tree_versions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('tree_id', 'integer', (c) => c.notNull().references('decision_trees.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', jsonType(db), (c) => c.notNull())
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('decision_tree_versions_by_tree').on('decision_tree_versions').columns(['tree_id', 'version']).unique().execute()
  await db.schema
    .createTable('decision_tree_runs')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('tree_id', 'integer', (c) => c.notNull().references('decision_trees.id').onDelete('cascade'))
    .addColumn('version_id', 'integer', (c) => c.references('decision_tree_versions.id').onDelete('set null'))
    .addColumn('current_tree_id', 'integer', (c) => c.notNull())
    .addColumn('current_node_id', 'text')
    .addColumn('definition', jsonType(db), (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.unique())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('visitor_ip', 'text')
    .addColumn('is_test', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('path', jsonType(db), (c) => c.notNull())
    .addColumn('variables', jsonType(db), (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('note_message_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute()
  // Analytics read one tree's runs in a time window; the ticket panel and the reply check read one ticket's runs.
  await db.schema.createIndex('decision_tree_runs_by_tree').on('decision_tree_runs').columns(['tree_id', 'created_at']).execute()
  await db.schema.createIndex('decision_tree_runs_by_ticket').on('decision_tree_runs').columns(['ticket_id', 'tree_id']).execute()
  await db.schema
    .createTable('decision_tree_requirements')
    .addColumn('category_id', 'integer', (c) => c.primaryKey().references('categories.id').onDelete('cascade'))
    .addColumn('tree_id', 'integer', (c) => c.notNull().references('decision_trees.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decision_tree_requirements').execute()
  await db.schema.dropTable('decision_tree_runs').execute()
  await db.schema.dropTable('decision_tree_versions').execute()
  await db.schema.dropTable('decision_trees').execute()
}
