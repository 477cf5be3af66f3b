import type { AuthoringCourseDto, CourseInput, LessonInput, QuizInput, UpdateCourseInput, UpdateLessonInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { writeJson } from '../../platform/json.ts'
import { canAuthorCourses } from '../../platform/policy.ts'
import { anonymizeText } from './courses.anonymize.ts'
import { courseChanged } from './courses.certify.ts'
import { type CourseRow, findCourse, findLesson, listLessons, type PracticeSnapshot } from './courses.queries.ts'
import { presentAuthoringLesson, presentSummary } from './courses.presenter.ts'

const SOLVED = ['solved', 'closed']

/** Rejects quizzes a learner could not pass or that would leak through ambiguity. */
export function validateQuiz(quiz: QuizInput): void {
  const questionIds = new Set<string>()
  for (const q of quiz.questions) {
    if (questionIds.has(q.id)) throw unprocessable(`Question id "${q.id}" is used twice`)
    questionIds.add(q.id)
    const optionIds = new Set(q.options.map((o) => o.id))
    if (optionIds.size !== q.options.length) throw unprocessable(`Question "${q.id}" has two options with the same id`)
    const unknown = q.correctOptionIds.filter((id) => !optionIds.has(id))
    if (unknown.length) throw unprocessable(`Question "${q.id}": correct answers ${unknown.join(', ')} are not among its options`)
    if (new Set(q.correctOptionIds).size !== q.correctOptionIds.length) throw unprocessable(`Question "${q.id}" lists a correct answer twice`)
    if (q.kind === 'single' && q.correctOptionIds.length !== 1) throw unprocessable(`Single-choice question "${q.id}" needs exactly one correct answer`)
  }
}

/**
 * The anonymized copy of a solved ticket in the course's category: the customer's side up to the first
 * agent reply is the exercise, the agent replies are the resolution graders compare against.
 */
export async function snapshotPracticeTicket(db: Executor, ticketId: number, categoryId: number | null): Promise<PracticeSnapshot> {
  const ticket = await db.selectFrom('tickets').select(['id', 'subject', 'status', 'categoryId', 'requesterId']).where('id', '=', ticketId).executeTakeFirst()
  if (!ticket) throw notFound('Ticket', ticketId)
  if (!SOLVED.includes(ticket.status)) throw unprocessable('Practice needs a solved ticket, so there is a real resolution to compare with')
  if (categoryId === null || ticket.categoryId !== categoryId) throw unprocessable("The practice ticket must be in the course's category")
  const messages = await db
    .selectFrom('messages')
    .select(['kind', 'text', 'authorContactId'])
    .where('ticketId', '=', ticketId)
    .where('kind', 'in', ['customer', 'reply'])
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  const firstReply = messages.findIndex((m) => m.kind === 'reply')
  if (firstReply <= 0) throw unprocessable('Practice needs a ticket with a customer message followed by an agent reply')
  const contactIds = [...new Set([ticket.requesterId, ...messages.map((m) => m.authorContactId).filter((id): id is number => id !== null)])]
  const [contacts, users] = await Promise.all([
    db.selectFrom('contacts').select('name').where('id', 'in', contactIds).execute(),
    db.selectFrom('users').select('name').execute(),
  ])
  const names = [...contacts.map((c) => c.name), ...users.map((u) => u.name)]
  return {
    subject: anonymizeText(ticket.subject, names),
    messages: messages.slice(0, firstReply).map((m) => ({ from: 'customer' as const, text: anonymizeText(m.text, names) })),
    resolution: messages
      .slice(firstReply)
      .filter((m) => m.kind === 'reply')
      .map((m) => ({ text: anonymizeText(m.text, names) })),
  }
}

async function getAuthorableCourse(db: Executor, actor: Actor, id: number): Promise<CourseRow> {
  if (!canAuthorCourses(actor)) throw forbidden('author courses')
  const course = await findCourse(db, id)
  if (!course) throw notFound('Course', id)
  return course
}

async function checkCategory(db: Executor, categoryId: number): Promise<void> {
  const row = await db.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst()
  if (!row) throw unprocessable(`Category ${categoryId} does not exist`)
}

export async function getAuthoringCourse(db: Executor, actor: Actor, id: number): Promise<AuthoringCourseDto> {
  const course = await getAuthorableCourse(db, actor, id)
  const lessons = await listLessons(db, [id])
  return {
    ...presentSummary(course, { lessonCount: lessons.length, enrolled: false, doneCount: 0, completedAt: null, nextLesson: null }),
    lessons: lessons.map(presentAuthoringLesson),
  }
}

export async function createCourse(ctx: Ctx, actor: Actor, input: CourseInput): Promise<AuthoringCourseDto> {
  if (!canAuthorCourses(actor)) throw forbidden('author courses')
  const id = await inTransaction(ctx, async (trx, emit) => {
    await checkCategory(trx, input.categoryId)
    const t = now()
    const row = await trx
      .insertInto('courses')
      .values({
        title: input.title.trim(),
        description: input.description,
        categoryId: input.categoryId,
        grantsClearance: input.grantsClearance,
        published: input.published ? 1 : 0,
        createdById: actor.id,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const e of courseChanged(null, { courseId: row.id })) emit(e)
    return row.id
  })
  return getAuthoringCourse(ctx.db, actor, id)
}

export async function updateCourse(ctx: Ctx, actor: Actor, id: number, input: UpdateCourseInput): Promise<AuthoringCourseDto> {
  await inTransaction(ctx, async (trx, emit) => {
    await getAuthorableCourse(trx, actor, id)
    if (input.categoryId !== undefined) await checkCategory(trx, input.categoryId)
    await trx
      .updateTable('courses')
      .set({
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
        ...(input.grantsClearance !== undefined ? { grantsClearance: input.grantsClearance } : {}),
        ...(input.published !== undefined ? { published: input.published ? 1 : 0 } : {}),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    for (const e of courseChanged(null, { courseId: id })) emit(e)
  })
  return getAuthoringCourse(ctx.db, actor, id)
}

export async function deleteCourse(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  await inTransaction(ctx, async (trx, emit) => {
    await getAuthorableCourse(trx, actor, id)
    await trx.deleteFrom('courses').where('id', '=', id).execute()
    for (const e of courseChanged(null, { courseId: id, deleted: true })) emit(e)
  })
}

/** The kind-specific parts of a lesson, checked: a quiz needs questions, a practice a solved ticket of the category. */
async function lessonContent(trx: Executor, course: CourseRow, kind: string, input: { quiz?: QuizInput; practiceTicketId?: number }) {
  if (kind === 'quiz') {
    if (!input.quiz) throw unprocessable('A quiz lesson needs questions')
    validateQuiz(input.quiz)
    return { quiz: writeJson(input.quiz), practiceTicketId: null, practice: null }
  }
  if (kind === 'practice') {
    if (!input.practiceTicketId) throw unprocessable('A practice lesson needs a solved ticket to practise on')
    const snapshot = await snapshotPracticeTicket(trx, input.practiceTicketId, course.categoryId)
    return { quiz: null, practiceTicketId: input.practiceTicketId, practice: writeJson(snapshot) }
  }
  return { quiz: null, practiceTicketId: null, practice: null }
}

export async function addLesson(ctx: Ctx, actor: Actor, courseId: number, input: LessonInput): Promise<AuthoringCourseDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const course = await getAuthorableCourse(trx, actor, courseId)
    const content = await lessonContent(trx, course, input.kind, input)
    const last = await trx
      .selectFrom('courseLessons')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('courseId', '=', courseId)
      .executeTakeFirst()
    await trx
      .insertInto('courseLessons')
      .values({
        courseId,
        position: last?.max == null ? 0 : Number(last.max) + 1,
        kind: input.kind,
        title: input.title.trim(),
        body: input.body,
        ...content,
        createdAt: now(),
      })
      .execute()
    await trx.updateTable('courses').set({ updatedAt: now() }).where('id', '=', courseId).execute()
    for (const e of courseChanged(null, { courseId })) emit(e)
  })
  return getAuthoringCourse(ctx.db, actor, courseId)
}

export async function updateLesson(ctx: Ctx, actor: Actor, courseId: number, lessonId: number, input: UpdateLessonInput): Promise<AuthoringCourseDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const course = await getAuthorableCourse(trx, actor, courseId)
    const lesson = await findLesson(trx, courseId, lessonId)
    if (!lesson) throw notFound('Lesson', lessonId)
    const kind = input.kind ?? lesson.kind
    const kindChanged = kind !== lesson.kind
    const contentChanged = kindChanged || input.quiz !== undefined || input.practiceTicketId !== undefined
    const content = contentChanged
      ? await lessonContent(trx, course, kind, {
          quiz: input.quiz,
          practiceTicketId: input.practiceTicketId ?? (kindChanged ? undefined : (lesson.practiceTicketId ?? undefined)),
        })
      : {}
    await trx
      .updateTable('courseLessons')
      .set({
        kind,
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...content,
      })
      .where('id', '=', lessonId)
      .execute()
    await trx.updateTable('courses').set({ updatedAt: now() }).where('id', '=', courseId).execute()
    for (const e of courseChanged(null, { courseId })) emit(e)
  })
  return getAuthoringCourse(ctx.db, actor, courseId)
}

export async function deleteLesson(ctx: Ctx, actor: Actor, courseId: number, lessonId: number): Promise<AuthoringCourseDto> {
  await inTransaction(ctx, async (trx, emit) => {
    await getAuthorableCourse(trx, actor, courseId)
    const res = await trx.deleteFrom('courseLessons').where('id', '=', lessonId).where('courseId', '=', courseId).executeTakeFirst()
    if (Number(res.numDeletedRows) === 0) throw notFound('Lesson', lessonId)
    for (const e of courseChanged(null, { courseId })) emit(e)
  })
  return getAuthoringCourse(ctx.db, actor, courseId)
}

/** Puts the lessons in the given order; the list must name every lesson of the course once. */
export async function reorderLessons(ctx: Ctx, actor: Actor, courseId: number, lessonIds: number[]): Promise<AuthoringCourseDto> {
  await inTransaction(ctx, async (trx, emit) => {
    await getAuthorableCourse(trx, actor, courseId)
    const existing = (await listLessons(trx, [courseId])).map((l) => l.id)
    const wanted = new Set(lessonIds)
    if (wanted.size !== lessonIds.length || wanted.size !== existing.length || existing.some((id) => !wanted.has(id)))
      throw unprocessable('Name every lesson of the course exactly once', { lessonIds: existing })
    for (const [position, id] of lessonIds.entries()) await trx.updateTable('courseLessons').set({ position }).where('id', '=', id).execute()
    for (const e of courseChanged(null, { courseId })) emit(e)
  })
  return getAuthoringCourse(ctx.db, actor, courseId)
}
