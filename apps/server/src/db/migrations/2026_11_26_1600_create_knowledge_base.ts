import { type Kysely, sql } from 'kysely'
import { idColumn, idType, isPostgres } from './helpers.ts'

/**
 * Knowledge base (issue 9): categories → sections → articles. One row per article and language; translations share
 * `translation_group` (the id of the first article). Every save appends to kb_article_versions. Search: PostgreSQL
 * tsvector + GIN on the article and a pg_trgm index on the vocabulary (typo tolerance); SQLite FTS5 tables for both.
 * Votes and the search log feed the gaps report.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  await db.schema
    .createTable('kb_categories')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('kb_sections')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('kb_categories.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('kb_sections_by_category').on('kb_sections').columns(['category_id', 'position']).execute()
  await db.schema
    .createTable('kb_articles')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('translation_group', 'integer')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('section_id', 'integer', (c) => c.references('kb_sections.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('submitted_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('review_note', 'text')
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unhelpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // Public pages list a section's published articles in one language; the agent list filters by status, newest first.
  await db.schema.createIndex('kb_articles_by_section').on('kb_articles').columns(['section_id', 'status', 'lang', 'position']).execute()
  await db.schema.createIndex('kb_articles_by_status').on('kb_articles').columns(['status', 'updated_at']).execute()
  await db.schema.createIndex('kb_articles_by_group').on('kb_articles').columns(['translation_group', 'lang']).execute()
  await db.schema.createIndex('kb_articles_by_unhelpful').on('kb_articles').columns(['unhelpful_count']).execute()
  await db.schema
    .createTable('kb_article_versions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('kb_article_versions_by_article').on('kb_article_versions').columns(['article_id', 'version']).unique().execute()
  await db.schema
    .createTable('kb_votes')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('kb_votes_by_article').on('kb_votes').columns(['article_id', 'created_at']).execute()
  await db.schema
    .createTable('kb_search_log')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('results', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  // The gaps report groups recent searches that found nothing.
  await db.schema.createIndex('kb_search_log_by_results').on('kb_search_log').columns(['results', 'created_at']).execute()
  await db.schema
    .createTable('kb_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .execute()
  if (pg) {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
    // Titles apart too: a title hit ranks first, and ranking the few title hits is cheap even for a common word.
    await sql`ALTER TABLE kb_articles ADD COLUMN search_vector tsvector`.execute(db)
    await sql`ALTER TABLE kb_articles ADD COLUMN title_vector tsvector`.execute(db)
    await sql`CREATE INDEX kb_articles_search ON kb_articles USING gin (search_vector)`.execute(db)
    await sql`CREATE INDEX kb_articles_title_search ON kb_articles USING gin (title_vector)`.execute(db)
    await sql`CREATE INDEX kb_terms_trgm ON kb_terms USING gin (term gin_trgm_ops)`.execute(db)
  } else {
    await sql`CREATE VIRTUAL TABLE kb_articles_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')`.execute(db)
    await sql`CREATE VIRTUAL TABLE kb_terms_trgm USING fts5(term, tokenize = 'trigram')`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`DROP TABLE IF EXISTS kb_terms_trgm`.execute(db)
    await sql`DROP TABLE IF EXISTS kb_articles_fts`.execute(db)
  }
  for (const t of ['kb_terms', 'kb_search_log', 'kb_votes', 'kb_article_versions', 'kb_articles', 'kb_sections', 'kb_categories'])
    await db.schema.dropTable(t).execute()
}
