import type { Kysely } from 'kysely'

/**
 * Who a reply's author was when they wrote it: role and trust level. Reports attribute a reply to the cohort the
 * person belonged to then (a contributor promoted to agent later still answered those customers as a contributor).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('author_role', 'text').execute()
  await db.schema.alterTable('messages').addColumn('author_trust_level', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('author_trust_level').execute()
  await db.schema.alterTable('messages').dropColumn('author_role').execute()
}
