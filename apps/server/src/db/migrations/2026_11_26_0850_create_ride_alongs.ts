import { type Kysely, sql } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Ride-alongs (one person follows another's work live) with their private side chat, and the ticket
 * indexes the monitoring dashboard reads: unsolved tickets by last activity, recent activity overall.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ride_alongs')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('follower_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('followed_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  // One active ride-along per pair, whatever races the API sees.
  await db.schema
    .createIndex('ride_alongs_active_pair')
    .on('ride_alongs')
    .columns(['follower_id', 'followed_id'])
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute()
  await db.schema.createIndex('ride_alongs_by_followed').on('ride_alongs').columns(['followed_id', 'ended_at']).execute()
  await db.schema.createIndex('ride_alongs_by_follower').on('ride_alongs').columns(['follower_id', 'ended_at']).execute()

  await db.schema
    .createTable('ride_along_messages')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ride_along_id', 'integer', (c) => c.notNull().references('ride_alongs.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('ride_along_messages_by_ride').on('ride_along_messages').columns(['ride_along_id', 'id']).execute()

  await db.schema.createIndex('tickets_status_last_message').on('tickets').columns(['status', 'last_message_at']).execute()
  await db.schema.createIndex('tickets_last_message').on('tickets').columns(['last_message_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_last_message').execute()
  await db.schema.dropIndex('tickets_status_last_message').execute()
  await db.schema.dropTable('ride_along_messages').execute()
  await db.schema.dropTable('ride_alongs').execute()
}
