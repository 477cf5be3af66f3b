import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * TOTP two-factor authentication (secret, last accepted time step against replay), hashed single-use recovery codes,
 * short-lived sign-in challenges between the password and the code, and what the session list shows: last seen
 * time, address, user agent, and whether the session may only enrol in 2FA.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor_credentials')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'bigint')
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('recovery_codes_user_id_code_hash').on('recovery_codes').columns(['user_id', 'code_hash']).execute()

  await db.schema
    .createTable('login_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_challenges_user_id').on('login_challenges').column('user_id').execute()

  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute()
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
  await db.schema
    .alterTable('sessions')
    .addColumn('enrolment_only', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['enrolment_only', 'user_agent', 'ip', 'last_seen_at']) await db.schema.alterTable('sessions').dropColumn(column).execute()
  for (const table of ['login_challenges', 'recovery_codes', 'two_factor_credentials']) await db.schema.dropTable(table).execute()
}
