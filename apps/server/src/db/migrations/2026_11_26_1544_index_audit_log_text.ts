import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

/**
 * Free-text search of the audit log (action, target type and data) by substring, indexed on both databases so it
 * stays fast at millions of entries: trigrams in a GIN expression index on PostgreSQL (pg_trgm), an FTS5 trigram
 * table kept by an insert trigger on SQLite (the log is append-only, so inserts are all it needs to follow).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
    await sql`CREATE INDEX audit_log_text ON audit_log USING gin ((action || ' ' || target_type || ' ' || data::text) gin_trgm_ops)`.execute(db)
    return
  }
  await sql`CREATE VIRTUAL TABLE audit_log_text USING fts5(body, tokenize = 'trigram')`.execute(db)
  await sql`INSERT INTO audit_log_text (rowid, body) SELECT id, action || ' ' || target_type || ' ' || data FROM audit_log`.execute(db)
  await sql`CREATE TRIGGER audit_log_text_insert AFTER INSERT ON audit_log BEGIN
    INSERT INTO audit_log_text (rowid, body) VALUES (new.id, new.action || ' ' || new.target_type || ' ' || new.data); END`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP INDEX audit_log_text`.execute(db)
    return
  }
  await sql`DROP TRIGGER audit_log_text_insert`.execute(db)
  await sql`DROP TABLE audit_log_text`.execute(db)
}
