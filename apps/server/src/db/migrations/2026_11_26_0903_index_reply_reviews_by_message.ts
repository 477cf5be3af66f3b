import type { Kysely } from 'kysely'

/** Report facts read which replies went through review by message, a batch of tickets at a time. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('reply_reviews_by_message').on('reply_reviews').columns(['message_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reply_reviews_by_message').execute()
}
