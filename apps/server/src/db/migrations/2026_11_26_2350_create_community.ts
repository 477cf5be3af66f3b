import type { Kysely } from 'kysely'
import { idColumn, idType } from './helpers.ts'

/**
 * Community forum: categories, members (customers who signed in by magic link, linked to their contact), topics
 * (a question thread) with their posts (the question and its answers), votes, follows and flags, plus the one-time
 * login links and member sessions (hashed, like staff sessions). Staff post as users, customers as members.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('community_categories')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('community_members')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('reputation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approved_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('banned_at', 'bigint')
    .addColumn('ban_reason', 'text')
    .addColumn('last_login_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('community_login_links')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('return_to', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  // "How many links did this address ask for lately" (the per-address limit).
  await db.schema.createIndex('community_login_links_by_email').on('community_login_links').columns(['email', 'created_at']).execute()
  await db.schema
    .createTable('community_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'integer', (c) => c.notNull().references('community_members.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('community_sessions_by_member').on('community_sessions').column('member_id').execute()
  await db.schema
    .createTable('community_topics')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('community_categories.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('author_member_id', 'integer', (c) => c.references('community_members.id').onDelete('set null'))
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_post_id', 'integer')
    .addColumn('answer_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into_id', 'integer', (c) => c.references('community_topics.id').onDelete('set null'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('kb_article_id', 'integer', (c) => c.references('kb_articles.id').onDelete('set null'))
    .addColumn('voc_item_id', 'integer', (c) => c.references('voc_items.id').onDelete('set null'))
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // Public lists: one category's visible topics, pinned first, by activity / by score; unanswered ones.
  await db.schema
    .createIndex('community_topics_by_category')
    .on('community_topics')
    .columns(['category_id', 'status', 'is_pinned', 'last_activity_at'])
    .execute()
  await db.schema.createIndex('community_topics_by_activity').on('community_topics').columns(['status', 'last_activity_at']).execute()
  await db.schema.createIndex('community_topics_by_author').on('community_topics').columns(['author_member_id', 'created_at']).execute()
  await db.schema
    .createTable('community_posts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('community_topics.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_member_id', 'integer', (c) => c.references('community_members.id').onDelete('set null'))
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('held_reason', 'text')
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flag_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('community_posts_by_topic').on('community_posts').columns(['topic_id', 'created_at']).execute()
  // The moderation queue, and a member's recent posts (the posting-rate rule, the profile page).
  await db.schema.createIndex('community_posts_by_status').on('community_posts').columns(['status', 'created_at']).execute()
  await db.schema.createIndex('community_posts_by_member').on('community_posts').columns(['author_member_id', 'created_at']).execute()
  await db.schema
    .createTable('community_votes')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('community_posts.id').onDelete('cascade'))
    .addColumn('voter_key', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_votes_pk', ['post_id', 'voter_key'])
    .execute()
  await db.schema
    .createTable('community_follows')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('community_topics.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.references('community_members.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('follower_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_follows_pk', ['topic_id', 'follower_key'])
    .execute()
  await db.schema
    .createTable('community_flags')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('community_posts.id').onDelete('cascade'))
    .addColumn('flagger_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_flags_pk', ['post_id', 'flagger_key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'community_flags',
    'community_follows',
    'community_votes',
    'community_posts',
    'community_topics',
    'community_sessions',
    'community_login_links',
    'community_members',
    'community_categories',
  ])
    await db.schema.dropTable(t).execute()
}
