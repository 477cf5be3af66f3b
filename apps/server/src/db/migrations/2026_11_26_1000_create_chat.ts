import { type Kysely, sql } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Live chat: chat inbox settings, visitors (the widget's anonymous or verified browser identity), their page
 * views, conversations (a chat is a ticket), resend-safe client message ids, agents' availability and
 * capacity, invites and auto-invite rules, and supervision of live chats.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inboxes').addColumn('chat_settings', jsonType(db)).execute()

  await db.schema
    .createTable('chat_visitors')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_id', 'text')
    .addColumn('claimed_name', 'text')
    .addColumn('claimed_email', 'text')
    .addColumn('visit_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('visit_started_at', 'bigint', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('chat_visitors_by_contact').on('chat_visitors').columns(['contact_id']).execute()

  await db.schema
    .createTable('chat_page_views')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('visitor_id', 'integer', (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('referrer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .execute()
  await db.schema.createIndex('chat_page_views_by_visitor').on('chat_page_views').columns(['visitor_id', 'id']).execute()
  await db.schema.createIndex('chat_page_views_by_contact').on('chat_page_views').columns(['contact_id', 'id']).execute()

  await db.schema
    .createTable('chat_conversations')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('visitor_id', 'integer', (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('visitor_read_up_to', 'integer')
    .addColumn('agent_read_up_to', 'integer')
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .execute()
  await db.schema.createIndex('chat_conversations_by_visitor').on('chat_conversations').columns(['visitor_id', 'started_at']).execute()
  await db.schema.createIndex('chat_conversations_by_agent').on('chat_conversations').columns(['agent_id', 'status']).execute()
  await db.schema.createIndex('chat_conversations_by_status').on('chat_conversations').columns(['status', 'started_at']).execute()

  await db.schema
    .createTable('chat_client_messages')
    .addColumn('visitor_id', 'integer', (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('chat_client_messages_pk', ['visitor_id', 'client_id'])
    .execute()
  await db.schema.createIndex('chat_client_messages_by_message').on('chat_client_messages').columns(['message_id']).execute()

  await db.schema
    .createTable('agent_chat_status')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('last_assigned_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('chat_invite_rules')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url_pattern', 'text', (c) => c.notNull())
    .addColumn('min_seconds_on_page', 'integer', (c) => c.notNull())
    .addColumn('returning_only', 'integer', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('cap_hours', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('chat_invite_rules_by_inbox').on('chat_invite_rules').columns(['inbox_id']).execute()

  await db.schema
    .createTable('chat_invites')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('visitor_id', 'integer', (c) => c.notNull().references('chat_visitors.id').onDelete('cascade'))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('rule_id', 'integer', (c) => c.references('chat_invite_rules.id').onDelete('set null'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .execute()
  await db.schema.createIndex('chat_invites_by_visitor').on('chat_invites').columns(['visitor_id', 'rule_id', 'created_at']).execute()

  await db.schema
    .createTable('chat_supervisions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('chat_supervisions_active')
    .on('chat_supervisions')
    .columns(['ticket_id', 'user_id'])
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'chat_supervisions',
    'chat_invites',
    'chat_invite_rules',
    'agent_chat_status',
    'chat_client_messages',
    'chat_conversations',
    'chat_page_views',
    'chat_visitors',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('inboxes').dropColumn('chat_settings').execute()
}
