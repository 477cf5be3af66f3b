import type { Kysely } from 'kysely'

/**
 * Notifications (issue 10): per-person preferences per kind (in-app on/off, email off/immediately/daily digest), the
 * person's digest settings (time zone, hour, last digest sent), and an `in_app`
 * flag on notifications: a row kept only to be emailed is not shown in the notification centre.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('in_app', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute()
  // Who receives a digest: read by the hourly digest job without scanning every person.
  await db.schema.createIndex('notification_preferences_email').on('notification_preferences').columns(['email', 'user_id']).execute()

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('digest_hour', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('last_digest_day', 'text')
    .addColumn('last_digest_at', 'bigint')
    .execute()

  await db.schema
    .alterTable('notifications')
    .addColumn('in_app', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  // The unread badge and the digest read a person's unread notifications only.
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_user_unread').execute()
  await db.schema.alterTable('notifications').dropColumn('in_app').execute()
  for (const t of ['notification_settings', 'notification_preferences']) await db.schema.dropTable(t).execute()
}
