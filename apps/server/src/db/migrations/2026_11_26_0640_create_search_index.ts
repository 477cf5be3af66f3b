import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

// One searchable document per ticket (subject + requester + every message's visible text) and per contact.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE tickets ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector`.execute(db)
    await sql`CREATE INDEX tickets_search ON tickets USING GIN (search_vector)`.execute(db)
    await sql`ALTER TABLE contacts ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector`.execute(db)
    await sql`CREATE INDEX contacts_search ON contacts USING GIN (search_vector)`.execute(db)
    await sql`CREATE INDEX organizations_search ON organizations USING GIN (to_tsvector('simple', name || ' ' || coalesce(domain, '')))`.execute(db)
  } else {
    await sql`CREATE VIRTUAL TABLE tickets_fts USING fts5(subject, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
    await sql`CREATE VIRTUAL TABLE contacts_fts USING fts5(name, identities, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
    await sql`CREATE VIRTUAL TABLE organizations_fts USING fts5(name, domain, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP INDEX organizations_search`.execute(db)
    await sql`ALTER TABLE contacts DROP COLUMN search_vector`.execute(db)
    await sql`ALTER TABLE tickets DROP COLUMN search_vector`.execute(db)
  } else {
    for (const t of ['tickets_fts', 'contacts_fts', 'organizations_fts']) await sql`DROP TABLE ${sql.table(t)}`.execute(db)
  }
}
