import { type Kysely, sql } from 'kysely'

/**
 * Community forum, review fixes: a claim row per topic and bridge (ticket, KB draft) so two staff pressing the same
 * button at once make one ticket or article, an index for the per-member hourly report limit, and an index for the
 * clean-up of expired sessions and sign-in links. Merged topics get the status `merged`, so the public lists filter
 * them by status alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('community_bridge_claims')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('community_topics.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_bridge_claims_pk', ['topic_id', 'kind'])
    .execute()
  await db.schema.createIndex('community_flags_by_flagger').on('community_flags').columns(['flagger_key', 'created_at']).execute()
  await db.schema.createIndex('community_sessions_by_expiry').on('community_sessions').columns(['expires_at']).execute()
  await sql`UPDATE community_topics SET status = 'merged' WHERE merged_into_id IS NOT NULL`.execute(db)
  await db.schema.createIndex('community_login_links_by_expiry').on('community_login_links').columns(['expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE community_topics SET status = 'visible' WHERE status = 'merged'`.execute(db)
  await db.schema.dropIndex('community_login_links_by_expiry').execute()
  await db.schema.dropIndex('community_sessions_by_expiry').execute()
  await db.schema.dropIndex('community_flags_by_flagger').execute()
  await db.schema.dropTable('community_bridge_claims').execute()
}
