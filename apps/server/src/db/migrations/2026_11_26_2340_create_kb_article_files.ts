import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Files uploaded into knowledge-base articles: inline images (shown in the article body) and attachments (listed
 * under it). The bytes live in the content-addressed blob store; the help center serves them at /help/files/:id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kb_article_files')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('blob_hash', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  // The editor lists an article's files; blob clean-up asks whether any file still uses a hash.
  await db.schema.createIndex('kb_article_files_by_article').on('kb_article_files').columns(['article_id', 'id']).execute()
  await db.schema.createIndex('kb_article_files_by_blob').on('kb_article_files').column('blob_hash').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kb_article_files').execute()
}
