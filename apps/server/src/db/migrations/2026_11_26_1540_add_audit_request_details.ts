import type { Kysely } from 'kysely'

/**
 * Audit entries say where a change came from (the request's IP and user agent; null for jobs and the CLI) and are
 * searchable by actor, action prefix, IP and date at millions of rows: each filter has an index ending in the id,
 * the page order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('ip', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('user_agent', 'text').execute()
  await db.schema.createIndex('audit_log_by_actor').on('audit_log').columns(['actor_id', 'id']).execute()
  await db.schema.createIndex('audit_log_by_action').on('audit_log').columns(['action', 'id']).execute()
  await db.schema.createIndex('audit_log_by_ip').on('audit_log').columns(['ip', 'id']).execute()
  await db.schema.createIndex('audit_log_by_created').on('audit_log').columns(['created_at']).execute()
  await db.schema.createIndex('audit_log_by_target_id').on('audit_log').columns(['target_type', 'target_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['audit_log_by_actor', 'audit_log_by_action', 'audit_log_by_ip', 'audit_log_by_created', 'audit_log_by_target_id'])
    await db.schema.dropIndex(name).execute()
  await db.schema.alterTable('audit_log').dropColumn('user_agent').execute()
  await db.schema.alterTable('audit_log').dropColumn('ip').execute()
}
