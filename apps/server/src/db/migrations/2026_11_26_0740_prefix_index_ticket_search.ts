import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

// Search matches the last word as a prefix ("card" also finds "cards"). Without a prefix index FTS5 merges the
// document lists of every word starting with it, which for a common word costs most of a search at a million
// tickets; prefix indexes of 2–4 characters turn that into one list. PostgreSQL's GIN handles `:*` already.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return
  await sql`CREATE VIRTUAL TABLE tickets_fts_prefixed USING fts5(subject, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')`.execute(db)
  await sql`INSERT INTO tickets_fts_prefixed (rowid, subject, body) SELECT rowid, subject, body FROM tickets_fts`.execute(db)
  await sql`DROP TABLE tickets_fts`.execute(db)
  await sql`ALTER TABLE tickets_fts_prefixed RENAME TO tickets_fts`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return
  await sql`CREATE VIRTUAL TABLE tickets_fts_plain USING fts5(subject, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  await sql`INSERT INTO tickets_fts_plain (rowid, subject, body) SELECT rowid, subject, body FROM tickets_fts`.execute(db)
  await sql`DROP TABLE tickets_fts`.execute(db)
  await sql`ALTER TABLE tickets_fts_plain RENAME TO tickets_fts`.execute(db)
}
