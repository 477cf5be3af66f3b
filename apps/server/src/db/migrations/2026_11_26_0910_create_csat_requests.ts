import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * CSAT: one request per ticket per solve (unique on the solve's timestamp), scheduled by a job that reads
 * solved tickets through the new tickets(solved_at) index. Only the SHA-256 of the rating token is kept;
 * `score` is normalised to 1–5 whatever the scale, so reports read one column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_solved_at').on('tickets').columns(['solved_at', 'id']).execute()
  await db.schema
    .createTable('csat_requests')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('solved_at', 'bigint', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('scale', 'text', (c) => c.notNull())
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('rated_at', 'bigint')
    .addColumn('score', 'integer')
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('csat_requests_ticket_solve', ['ticket_id', 'solved_at'])
    .execute()
  await db.schema.createIndex('csat_requests_rated').on('csat_requests').columns(['rated_at', 'id']).execute()
  await db.schema.createIndex('csat_requests_sent').on('csat_requests').columns(['sent_at']).execute()
  await db.schema.createIndex('csat_requests_created').on('csat_requests').columns(['created_at']).execute()
  await db.schema.createIndex('csat_requests_expiry').on('csat_requests').columns(['status', 'expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csat_requests').execute()
  await db.schema.dropIndex('tickets_solved_at').execute()
}
