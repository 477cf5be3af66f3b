import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inboxes').addColumn('email_settings', jsonType(db)).execute()
  await db.schema
    .createTable('inbox_addresses')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .execute()
  await db.schema.createIndex('inbox_addresses_inbox').on('inbox_addresses').column('inbox_id').execute()

  // Every raw message is stored here (bytes in the blob store) before anything parses it.
  await db.schema
    .createTable('inbound_emails')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('inbox_id', 'integer', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('blob_hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('received_via', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('header_message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text')
    .addColumn('disposition', 'text')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('message_id', 'integer', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .execute()
  await db.schema.createIndex('inbound_emails_dedupe').on('inbound_emails').columns(['inbox_id', 'dedupe_key']).unique().execute()
  await db.schema.createIndex('inbound_emails_status').on('inbound_emails').columns(['status', 'id']).execute()

  // Message-IDs (ours and theirs) and Outlook thread roots that point at a ticket: the threading lookup.
  await db.schema
    .createTable('email_thread_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'integer', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_thread_keys_pk', ['key', 'ticket_id'])
    .execute()
  await db.schema.createIndex('email_thread_keys_inbox_key').on('email_thread_keys').columns(['inbox_id', 'key']).execute()

  // Everyone who took part in a ticket's email thread (requester, Cc'd people): who may thread in by subject token.
  await db.schema
    .createTable('ticket_participants')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_participants_pk', ['ticket_id', 'email'])
    .execute()

  await db.schema.alterTable('messages').addColumn('delivery_status', 'text').execute()
  await db.schema.alterTable('messages').addColumn('delivery_error', 'text').execute()
  await db.schema.alterTable('messages').addColumn('email_meta', jsonType(db)).execute()
  await db.schema.alterTable('tickets').addColumn('follow_up_of_id', 'integer').execute()
  await db.schema.alterTable('contact_identities').addColumn('bouncing_at', 'bigint').execute()
  await db.schema.alterTable('contact_identities').addColumn('bounce_reason', 'text').execute()

  await db.schema
    .createTable('auto_replies_sent')
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('auto_replies_sent_pk', ['inbox_id', 'email'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['auto_replies_sent', 'ticket_participants', 'email_thread_keys', 'inbound_emails', 'inbox_addresses']) await db.schema.dropTable(t).execute()
  await db.schema.alterTable('contact_identities').dropColumn('bounce_reason').execute()
  await db.schema.alterTable('contact_identities').dropColumn('bouncing_at').execute()
  await db.schema.alterTable('tickets').dropColumn('follow_up_of_id').execute()
  for (const c of ['email_meta', 'delivery_error', 'delivery_status']) await db.schema.alterTable('messages').dropColumn(c).execute()
  await db.schema.alterTable('inboxes').dropColumn('email_settings').execute()
}
