import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * OpenID Connect single sign-on: the link from an identity provider's (issuer, subject) to a person, and the
 * short-lived state of sign-ins in progress (state, nonce, PKCE verifier). API tokens get scopes and an optional
 * expiry; tokens made before keep every scope.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oidc_identities')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute()
  await db.schema.createIndex('oidc_identities_issuer_subject').on('oidc_identities').columns(['issuer', 'subject']).unique().execute()
  await db.schema.createIndex('oidc_identities_user_id').on('oidc_identities').column('user_id').execute()

  await db.schema
    .createTable('oidc_login_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('oidc_login_states_expires_at').on('oidc_login_states').column('expires_at').execute()

  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read,write,admin'))
    .execute()
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['expires_at', 'scopes']) await db.schema.alterTable('api_tokens').dropColumn(column).execute()
  for (const table of ['oidc_login_states', 'oidc_identities']) await db.schema.dropTable(table).execute()
}
