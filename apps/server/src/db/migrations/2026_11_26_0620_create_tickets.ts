import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tickets')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('custom_fields', jsonType(db), (c) => c.notNull())
    .addColumn('merged_into_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('first_response_at', 'bigint')
    .addColumn('solved_at', 'bigint')
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    .addColumn('last_message_id', 'integer')
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preview', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // The inbox list always orders by (updated_at, id) descending; each filter gets an index ending in that order.
  const listIndexes: Record<string, string[]> = {
    tickets_status_updated: ['status', 'updated_at', 'id'],
    tickets_assignee_updated: ['assignee_id', 'status', 'updated_at', 'id'],
    tickets_team_updated: ['team_id', 'status', 'updated_at', 'id'],
    tickets_inbox_updated: ['inbox_id', 'status', 'updated_at', 'id'],
    tickets_requester_updated: ['requester_id', 'updated_at', 'id'],
    tickets_organization_updated: ['organization_id', 'updated_at', 'id'],
    tickets_updated: ['updated_at', 'id'],
    tickets_created: ['created_at', 'id'],
  }
  for (const [name, columns] of Object.entries(listIndexes)) await db.schema.createIndex(name).on('tickets').columns(columns).execute()

  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute()
  await db.schema.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tag', 'ticket_id']).execute()
  await db.schema
    .createTable('ticket_followers')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('ticket_followers_pk', ['ticket_id', 'user_id'])
    .execute()
  await db.schema.createIndex('ticket_followers_user').on('ticket_followers').columns(['user_id', 'ticket_id']).execute()

  await db.schema
    .createTable('messages')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('full_text', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('event', jsonType(db))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('messages_ticket_id').on('messages').columns(['ticket_id', 'id']).execute()

  await db.schema
    .createTable('blobs')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('attachments')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('message_id', 'integer', (c) => c.references('messages.id').onDelete('cascade'))
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('attachments_message_id').on('attachments').column('message_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attachments', 'blobs', 'messages', 'ticket_followers', 'ticket_tags', 'tickets']) await db.schema.dropTable(t).execute()
}
