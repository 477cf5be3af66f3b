import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely'

/** Migration-only helpers: one schema, both dialects. */
export const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
export const idType = (db: Kysely<any>) => (isPostgres(db) ? 'serial' : 'integer')
export const idColumn = (db: Kysely<any>) => (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement())
export const jsonType = (db: Kysely<any>) => (isPostgres(db) ? 'jsonb' : 'text')
