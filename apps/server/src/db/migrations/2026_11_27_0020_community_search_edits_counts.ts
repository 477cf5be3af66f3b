import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

/**
 * Community forum, second part: authors edit their posts (`edited_at`), categories keep their public topic count as a
 * counter (kept in the transaction that changes a topic), the public lists get an index per sort (latest, top,
 * unanswered; per category with pinned topics first), and topics get a full-text document (title + public posts, English
 * stemming) with a vocabulary for typo correction, like the knowledge base's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  await db.schema.alterTable('community_posts').addColumn('edited_at', 'bigint').execute()
  await db.schema
    .alterTable('community_categories')
    .addColumn('topic_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`UPDATE community_categories SET topic_count = (SELECT count(*) FROM community_topics t
    WHERE t.category_id = community_categories.id AND t.status = 'visible' AND t.merged_into_id IS NULL)`.execute(db)

  // Each public list walks one index in order: ties on the sort key go to the newest id, so id closes every index.
  await db.schema.dropIndex('community_topics_by_category').execute()
  await db.schema.dropIndex('community_topics_by_activity').execute()
  const indexes: [string, string[]][] = [
    ['community_topics_latest', ['status', 'last_activity_at', 'id']],
    ['community_topics_top', ['status', 'score', 'last_activity_at', 'id']],
    ['community_topics_unanswered', ['status', 'answer_count', 'last_activity_at', 'id']],
    ['community_topics_category_latest', ['category_id', 'status', 'is_pinned', 'last_activity_at', 'id']],
    ['community_topics_category_top', ['category_id', 'status', 'is_pinned', 'score', 'last_activity_at', 'id']],
    ['community_topics_category_unanswered', ['category_id', 'status', 'answer_count', 'is_pinned', 'last_activity_at', 'id']],
    // The staff list with every status.
    ['community_topics_staff_latest', ['last_activity_at', 'id']],
    ['community_topics_staff_top', ['score', 'id']],
  ]
  for (const [name, columns] of indexes) await db.schema.createIndex(name).on('community_topics').columns(columns).execute()

  await db.schema
    .createTable('community_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .execute()
  const body = (topic: string) =>
    pg
      ? sql`coalesce((SELECT string_agg(p.body_text, E'\n' ORDER BY p.id) FROM community_posts p WHERE p.topic_id = ${sql.ref(topic)} AND p.status = 'visible'), '')`
      : sql`coalesce((SELECT group_concat(p.body_text, char(10)) FROM community_posts p WHERE p.topic_id = ${sql.ref(topic)} AND p.status = 'visible'), '')`
  if (pg) {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
    await sql`ALTER TABLE community_topics ADD COLUMN search_vector tsvector`.execute(db)
    await sql`CREATE INDEX community_topics_search ON community_topics USING gin (search_vector)`.execute(db)
    await sql`CREATE INDEX community_terms_trgm ON community_terms USING gin (term gin_trgm_ops)`.execute(db)
    await sql`UPDATE community_topics SET search_vector = setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', ${body('community_topics.id')}), 'B')`.execute(
      db,
    )
  } else {
    await sql`CREATE VIRTUAL TABLE community_topics_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')`.execute(db)
    await sql`CREATE VIRTUAL TABLE community_terms_trgm USING fts5(term, tokenize = 'trigram')`.execute(db)
    await sql`INSERT INTO community_topics_fts (rowid, title, body) SELECT t.id, t.title, ${body('t.id')} FROM community_topics t`.execute(db)
  }
  // The vocabulary of what is already there (the app adds to it as posts are written).
  const texts = await db
    .selectFrom('community_posts')
    .innerJoin('community_topics', 'community_topics.id', 'community_posts.topic_id')
    .select(['title', 'body_text'])
    .where('community_posts.status', '=', 'visible')
    .execute()
  const terms = [...new Set(texts.flatMap((r: { title: string; body_text: string }) => `${r.title} ${r.body_text}`.toLowerCase().match(/\p{L}{4,30}/gu) ?? []))]
  for (let i = 0; i < terms.length; i += 500) {
    const chunk = terms.slice(i, i + 500)
    await db
      .insertInto('community_terms')
      .values(chunk.map((term) => ({ term })))
      .onConflict((oc) => oc.column('term').doNothing())
      .execute()
    if (!pg) await sql`INSERT INTO community_terms_trgm (term) VALUES ${sql.join(chunk.map((t) => sql`(${t})`))}`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`ALTER TABLE community_topics DROP COLUMN search_vector`.execute(db)
  else {
    await sql`DROP TABLE IF EXISTS community_terms_trgm`.execute(db)
    await sql`DROP TABLE IF EXISTS community_topics_fts`.execute(db)
  }
  await db.schema.dropTable('community_terms').execute()
  for (const name of [
    'community_topics_latest',
    'community_topics_top',
    'community_topics_unanswered',
    'community_topics_category_latest',
    'community_topics_category_top',
    'community_topics_category_unanswered',
    'community_topics_staff_latest',
    'community_topics_staff_top',
  ])
    await db.schema.dropIndex(name).execute()
  await db.schema
    .createIndex('community_topics_by_category')
    .on('community_topics')
    .columns(['category_id', 'status', 'is_pinned', 'last_activity_at'])
    .execute()
  await db.schema.createIndex('community_topics_by_activity').on('community_topics').columns(['status', 'last_activity_at']).execute()
  await db.schema.alterTable('community_categories').dropColumn('topic_count').execute()
  await db.schema.alterTable('community_posts').dropColumn('edited_at').execute()
}
