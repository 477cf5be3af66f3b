import { type Kysely, sql } from 'kysely'

/**
 * Interrupted inbound mail is found by the mail log's status instead of a safety-net job per message: `claimed_at`
 * says when processing last started, and the per-message jobs still queued are dropped (the recovery sweep covers
 * their rows).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_emails').addColumn('claimed_at', 'bigint').execute()
  await sql`DELETE FROM jobs WHERE name = 'process-inbound-email' AND status = 'pending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_emails').dropColumn('claimed_at').execute()
}
