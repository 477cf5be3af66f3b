import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Custom surveys and the "why did you buy?" survey: questions live as JSON on the survey; invitations
 * carry a single-use token (SHA-256 only) and a dedupe key (one per survey and contact, or per contact and
 * order); a response has one row per answered value (several for a multiple choice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('public_link', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('questions', jsonType(db), (c) => c.notNull())
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('surveys_kind').on('surveys').columns(['kind', 'id']).execute()

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('order_ref', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('answered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('survey_invitations_survey').on('survey_invitations').columns(['survey_id', 'id']).execute()
  await db.schema.createIndex('survey_invitations_contact').on('survey_invitations').columns(['contact_id']).execute()

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('invitation_id', 'integer', (c) => c.unique().references('survey_invitations.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('survey_responses_survey').on('survey_responses').columns(['survey_id', 'id']).execute()
  await db.schema.createIndex('survey_responses_contact').on('survey_responses').columns(['contact_id', 'id']).execute()

  await db.schema
    .createTable('survey_answers')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('response_id', 'integer', (c) => c.notNull().references('survey_responses.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('survey_answers_response').on('survey_answers').columns(['response_id', 'question_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['survey_answers', 'survey_responses', 'survey_invitations', 'surveys']) await db.schema.dropTable(t).execute()
}
