import type { QuizInput } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { notFound } from '../../platform/errors.ts'
import { readJson } from '../../platform/json.ts'

export type CourseRow = {
  id: number
  title: string
  description: string
  categoryId: number | null
  categoryName: string | null
  grantsClearance: string
  published: number
  createdAt: number
  updatedAt: number
}

export type LessonRow = {
  id: number
  courseId: number
  position: number
  kind: string
  title: string
  body: string
  quiz: unknown
  practiceTicketId: number | null
  practice: unknown
}

/** What the practice lesson stores of its source ticket: anonymized once, when the author picks it. */
export type PracticeSnapshot = {
  subject: string
  messages: { from: 'customer' | 'agent'; text: string }[]
  resolution: { text: string }[]
}

export const readQuiz = (value: unknown): QuizInput | null => readJson<QuizInput | null>(value, null)
export const readPractice = (value: unknown): PracticeSnapshot | null => readJson<PracticeSnapshot | null>(value, null)

const courseColumns = [
  'courses.id',
  'courses.title',
  'courses.description',
  'courses.categoryId',
  'categories.name as categoryName',
  'courses.grantsClearance',
  'courses.published',
  'courses.createdAt',
  'courses.updatedAt',
] as const

export async function findCourse(db: Executor, id: number): Promise<CourseRow | undefined> {
  return db
    .selectFrom('courses')
    .leftJoin('categories', 'categories.id', 'courses.categoryId')
    .select(courseColumns)
    .where('courses.id', '=', id)
    .executeTakeFirst()
}

export async function listCourseRows(db: Executor, opts: { includeDrafts: boolean }): Promise<CourseRow[]> {
  let q = db.selectFrom('courses').leftJoin('categories', 'categories.id', 'courses.categoryId').select(courseColumns).orderBy('courses.title')
  if (!opts.includeDrafts) q = q.where('courses.published', '=', 1)
  return q.execute()
}

export async function listLessons(db: Executor, courseIds: number[]): Promise<LessonRow[]> {
  if (!courseIds.length) return []
  return db
    .selectFrom('courseLessons')
    .select(['id', 'courseId', 'position', 'kind', 'title', 'body', 'quiz', 'practiceTicketId', 'practice'])
    .where('courseId', 'in', courseIds)
    .orderBy('courseId')
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function findLesson(db: Executor, courseId: number, lessonId: number): Promise<LessonRow | undefined> {
  return db
    .selectFrom('courseLessons')
    .select(['id', 'courseId', 'position', 'kind', 'title', 'body', 'quiz', 'practiceTicketId', 'practice'])
    .where('id', '=', lessonId)
    .where('courseId', '=', courseId)
    .executeTakeFirst()
}

/** The course a lesson belongs to; 404 when the lesson does not exist. */
export async function courseOfLesson(db: Executor, lessonId: number): Promise<number> {
  const row = await db.selectFrom('courseLessons').select('courseId').where('id', '=', lessonId).executeTakeFirst()
  if (!row) throw notFound('Lesson', lessonId)
  return row.courseId
}

export async function findEnrollment(db: Executor, courseId: number, userId: number) {
  return db.selectFrom('courseEnrollments').selectAll().where('courseId', '=', courseId).where('userId', '=', userId).executeTakeFirst()
}

export async function enrollmentsOf(db: Executor, userIds: number[]) {
  if (!userIds.length) return []
  return db.selectFrom('courseEnrollments').selectAll().where('userId', 'in', userIds).execute()
}

export async function completionsOf(db: Executor, userIds: number[]) {
  if (!userIds.length) return []
  return db
    .selectFrom('lessonCompletions')
    .innerJoin('courseLessons', 'courseLessons.id', 'lessonCompletions.lessonId')
    .select(['lessonCompletions.lessonId', 'lessonCompletions.userId', 'lessonCompletions.courseId', 'lessonCompletions.completedAt'])
    .where('lessonCompletions.userId', 'in', userIds)
    .execute()
}

/** Best score and number of attempts per person and quiz. */
export async function quizScoresOf(db: Executor, userIds: number[]) {
  if (!userIds.length) return []
  return db
    .selectFrom('quizAttempts')
    .select((eb) => ['userId', 'lessonId', eb.fn.max('score').as('bestScore'), eb.fn.countAll<number>().as('attempts')])
    .where('userId', 'in', userIds)
    .groupBy(['userId', 'lessonId'])
    .execute()
}

export async function lessonCounts(db: Executor): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('courseLessons')
    .select((eb) => ['courseId', eb.fn.countAll<number>().as('n')])
    .groupBy('courseId')
    .execute()
  return new Map(rows.map((r) => [r.courseId, Number(r.n)]))
}

export async function certificationsOf(db: Executor, userIds: number[]) {
  if (!userIds.length) return []
  return db
    .selectFrom('certifications')
    .innerJoin('categories', 'categories.id', 'certifications.categoryId')
    .leftJoin('users as g', 'g.id', 'certifications.grantedById')
    .select([
      'certifications.userId',
      'certifications.categoryId',
      'categories.name as categoryName',
      'certifications.source',
      'certifications.grantedById',
      'g.name as grantedByName',
      'certifications.createdAt',
    ])
    .where('certifications.userId', 'in', userIds)
    .orderBy('categories.name')
    .execute()
}

export async function practiceAttemptRows(
  db: Executor,
  filter: { ids?: number[]; userId?: number; lessonIds?: number[]; status?: string; excludeUserId?: number },
) {
  let q = db
    .selectFrom('practiceAttempts as p')
    .innerJoin('courseLessons as l', 'l.id', 'p.lessonId')
    .innerJoin('users as u', 'u.id', 'p.userId')
    .leftJoin('users as g', 'g.id', 'p.graderId')
    .select([
      'p.id',
      'p.lessonId',
      'l.courseId',
      'l.title as lessonTitle',
      'p.userId',
      'u.name as learnerName',
      'p.html',
      'p.text',
      'p.status',
      'p.graderId',
      'g.name as graderName',
      'p.feedback',
      'p.createdAt',
      'p.gradedAt',
    ])
    .orderBy('p.createdAt')
    .orderBy('p.id')
  if (filter.ids) q = q.where('p.id', 'in', filter.ids.length ? filter.ids : [0])
  if (filter.userId !== undefined) q = q.where('p.userId', '=', filter.userId)
  if (filter.lessonIds) q = q.where('p.lessonId', 'in', filter.lessonIds.length ? filter.lessonIds : [0])
  if (filter.status) q = q.where('p.status', '=', filter.status)
  if (filter.excludeUserId !== undefined) q = q.where('p.userId', '!=', filter.excludeUserId)
  return q.limit(500).execute()
}
export type PracticeAttemptRow = Awaited<ReturnType<typeof practiceAttemptRows>>[number]
