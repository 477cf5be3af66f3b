import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Training: courses of ordered lessons (markdown, quizzes with server-side answers, practice replies on
 * anonymized past tickets), who is enrolled, which lessons each person finished, quiz and practice attempts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courses')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category_id', 'integer', (c) => c.references('categories.id').onDelete('set null'))
    .addColumn('grants_clearance', 'text', (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('course_lessons')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('course_id', 'integer', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('quiz', jsonType(db))
    .addColumn('practice_ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('practice', jsonType(db))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('course_lessons_by_course').on('course_lessons').columns(['course_id', 'position']).execute()

  await db.schema
    .createTable('course_enrollments')
    .addColumn('course_id', 'integer', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('enrolled_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('course_enrollments_pk', ['course_id', 'user_id'])
    .execute()
  await db.schema.createIndex('course_enrollments_by_user').on('course_enrollments').columns(['user_id']).execute()

  await db.schema
    .createTable('lesson_completions')
    .addColumn('lesson_id', 'integer', (c) => c.notNull().references('course_lessons.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('course_id', 'integer', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('completed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('lesson_completions_pk', ['lesson_id', 'user_id'])
    .execute()
  await db.schema.createIndex('lesson_completions_by_user').on('lesson_completions').columns(['user_id', 'course_id']).execute()

  await db.schema
    .createTable('quiz_attempts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('lesson_id', 'integer', (c) => c.notNull().references('course_lessons.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('answers', jsonType(db), (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('quiz_attempts_by_user').on('quiz_attempts').columns(['user_id', 'lesson_id']).execute()

  await db.schema
    .createTable('practice_attempts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('lesson_id', 'integer', (c) => c.notNull().references('course_lessons.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('grader_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('feedback', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('graded_at', 'bigint')
    .execute()
  await db.schema.createIndex('practice_attempts_by_status').on('practice_attempts').columns(['status', 'created_at']).execute()
  await db.schema.createIndex('practice_attempts_by_user').on('practice_attempts').columns(['user_id', 'lesson_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['practice_attempts', 'quiz_attempts', 'lesson_completions', 'course_enrollments', 'course_lessons', 'courses'])
    await db.schema.dropTable(t).execute()
}
