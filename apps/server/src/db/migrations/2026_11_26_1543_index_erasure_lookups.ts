import type { Kysely } from 'kysely'

/**
 * Erasing a contact finds the raw emails behind their messages, and deletes an attachment's blob only when no other
 * attachment or raw email shares its bytes: both looked up by index, as are the contact's satisfaction ratings for their data export.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('attachments_by_blob').on('attachments').columns(['blob_hash']).execute()
  await db.schema.createIndex('inbound_emails_by_message').on('inbound_emails').columns(['message_id']).execute()
  await db.schema.createIndex('inbound_emails_by_blob').on('inbound_emails').columns(['blob_hash']).execute()
  await db.schema.createIndex('csat_requests_by_contact').on('csat_requests').columns(['contact_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['attachments_by_blob', 'inbound_emails_by_message', 'inbound_emails_by_blob', 'csat_requests_by_contact'])
    await db.schema.dropIndex(name).execute()
}
