import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import { isPostgres } from '../database.ts'

/** Migration-only helpers: one schema, both dialects. */
export { isPostgres }
export const idType = (db: Kysely<any>) => (isPostgres(db) ? 'serial' : 'integer')
export const idColumn = (db: Kysely<any>) => (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement())
export const jsonType = (db: Kysely<any>) => (isPostgres(db) ? 'jsonb' : 'text')
