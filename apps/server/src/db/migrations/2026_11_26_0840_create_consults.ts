import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Expert consults: an internal side thread from a ticket to a team or a person, with its own due time.
 * `sort_rank` (0 waiting for an answer, 1 answered, 2 resolved) keeps lists keyset-paginated with the
 * ones waiting first and, among those, the most overdue first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consults')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('asked_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sort_rank', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('consults_by_ticket').on('consults').columns(['ticket_id']).execute()
  await db.schema.createIndex('consults_by_assignee').on('consults').columns(['assignee_id', 'sort_rank', 'due_at', 'id']).execute()
  await db.schema.createIndex('consults_by_team').on('consults').columns(['team_id', 'sort_rank', 'due_at', 'id']).execute()
  await db.schema.createIndex('consults_by_asker').on('consults').columns(['asked_by_id', 'sort_rank', 'due_at', 'id']).execute()
  await db.schema.createIndex('consults_by_rank').on('consults').columns(['sort_rank', 'due_at', 'id']).execute()

  await db.schema
    .createTable('consult_messages')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('consult_id', 'integer', (c) => c.notNull().references('consults.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('is_answer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('inbound_email_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('consult_messages_by_consult').on('consult_messages').columns(['consult_id', 'id']).execute()
  await db.schema.createIndex('consult_messages_answers_by_author').on('consult_messages').columns(['author_id', 'is_answer', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consult_messages').execute()
  await db.schema.dropTable('consults').execute()
}
