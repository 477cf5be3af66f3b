import type {
  CatalogueDto,
  CourseDto,
  EnrollInput,
  GradePracticeInput,
  LessonState,
  PracticeAttemptDto,
  PracticeGradingDto,
  PracticeStatus,
  QuizAttemptInput,
  QuizResultDto,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { writeJson } from '../../platform/json.ts'
import { canAuthorCourses, canEnrollOthers, canGradePractice, canReviewReplies, canViewCourse, canViewTicket } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import { certifyCompletion, courseChanged, TRAINING_ROOM } from './courses.certify.ts'
import {
  type CourseRow,
  completionsOf,
  enrollmentsOf,
  findCourse,
  findEnrollment,
  findLesson,
  type LessonRow,
  lessonCounts,
  listCourseRows,
  listLessons,
  practiceAttemptRows,
  quizScoresOf,
  readPractice,
  readQuiz,
} from './courses.queries.ts'
import { presentAttempt, presentLesson, presentSummary } from './courses.presenter.ts'

const practiceChanged = (attempt: { id: number; userId: number; status: string }): DomainEvent[] => {
  const payload = { attemptId: attempt.id, status: attempt.status }
  return [
    { name: 'practice.changed', room: TRAINING_ROOM, payload },
    { name: 'practice.changed', userId: attempt.userId, payload },
  ]
}

/** A course the actor may see (drafts only for authors); 404 otherwise, so drafts do not leak. */
async function getVisibleCourse(db: Executor, actor: Actor, id: number): Promise<CourseRow> {
  const course = await findCourse(db, id)
  if (!course || !canViewCourse(actor, course)) throw notFound('Course', id)
  return course
}

/** The published catalogue (plus drafts for authors) with the signed-in person's progress. */
export async function listCatalogue(ctx: Ctx, actor: Actor): Promise<CatalogueDto> {
  const author = canAuthorCourses(actor)
  const [courses, counts, enrollments, completions, categories] = await Promise.all([
    listCourseRows(ctx.db, { includeDrafts: author }),
    lessonCounts(ctx.db),
    enrollmentsOf(ctx.db, [actor.id]),
    completionsOf(ctx.db, [actor.id]),
    ctx.db.selectFrom('categories').select(['id', 'name']).orderBy('name').execute(),
  ])
  const lessons = await listLessons(
    ctx.db,
    enrollments.map((e) => e.courseId),
  )
  const done = new Set(completions.map((c) => c.lessonId))
  return {
    items: courses.map((c) => {
      const enrollment = enrollments.find((e) => e.courseId === c.id)
      const own = lessons.filter((l) => l.courseId === c.id)
      const next = enrollment ? own.find((l) => !done.has(l.id)) : undefined
      return presentSummary(c, {
        lessonCount: counts.get(c.id) ?? 0,
        enrolled: !!enrollment,
        doneCount: own.filter((l) => done.has(l.id)).length,
        completedAt: enrollment?.completedAt ?? null,
        nextLesson: next ? { id: next.id, title: next.title } : null,
      })
    }),
    categories,
    canAuthor: author,
  }
}

/** A course as the learner sees it: rendered lessons, quizzes without answers, their own progress. */
export async function getCourse(ctx: Ctx, actor: Actor, id: number): Promise<CourseDto> {
  const course = await getVisibleCourse(ctx.db, actor, id)
  const lessons = await listLessons(ctx.db, [id])
  const [enrollment, completions, scores, attempts] = await Promise.all([
    findEnrollment(ctx.db, id, actor.id),
    completionsOf(ctx.db, [actor.id]),
    quizScoresOf(ctx.db, [actor.id]),
    practiceAttemptRows(ctx.db, { userId: actor.id, lessonIds: lessons.map((l) => l.id) }),
  ])
  const done = new Set(completions.map((c) => c.lessonId))
  const next = enrollment ? lessons.find((l) => !done.has(l.id)) : undefined
  return {
    ...presentSummary(course, {
      lessonCount: lessons.length,
      enrolled: !!enrollment,
      doneCount: lessons.filter((l) => done.has(l.id)).length,
      completedAt: enrollment?.completedAt ?? null,
      nextLesson: next ? { id: next.id, title: next.title } : null,
    }),
    lessons: lessons.map((l) => {
      const latest = attempts.filter((a) => a.lessonId === l.id).at(-1)
      const state: LessonState = done.has(l.id) ? 'done' : latest?.status === 'pending' ? 'pending' : 'todo'
      const best = scores.find((s) => s.lessonId === l.id)
      return presentLesson(l, { state, bestScore: best ? Number(best.bestScore) : null, latestPractice: latest ? presentAttempt(latest) : null })
    }),
  }
}

/** Enrols the caller (no body), or — admins only — the people and team named. */
export async function enroll(ctx: Ctx, actor: Actor, courseId: number, input: EnrollInput): Promise<{ enrolledUserIds: number[] }> {
  const others = input.userIds !== undefined || input.teamId !== undefined
  if (others && !canEnrollOthers(actor)) throw forbidden('enrol other people')
  return inTransaction(ctx, async (trx, emit) => {
    const course = others ? await findCourse(trx, courseId) : await getVisibleCourse(trx, actor, courseId)
    if (!course) throw notFound('Course', courseId)
    let userIds = others ? [...(input.userIds ?? [])] : [actor.id]
    if (input.teamId !== undefined) {
      const team = await trx.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst()
      if (!team) throw unprocessable(`Team ${input.teamId} does not exist`)
      const members = await trx.selectFrom('teamMembers').select('userId').where('teamId', '=', input.teamId).execute()
      userIds.push(...members.map((m) => m.userId))
    }
    userIds = [...new Set(userIds)]
    if (!userIds.length) return { enrolledUserIds: [] }
    const users = await trx.selectFrom('users').select(['id', 'isActive']).where('id', 'in', userIds).execute()
    const missing = userIds.filter((id) => !users.some((u) => u.id === id))
    if (missing.length) throw unprocessable(`Unknown users: ${missing.join(', ')}`)
    const active = users.filter((u) => u.isActive).map((u) => u.id)
    for (const userId of active) {
      const res = await trx
        .insertInto('courseEnrollments')
        .values({ courseId, userId, enrolledById: actor.id, createdAt: now(), completedAt: null })
        .onConflict((oc) => oc.columns(['courseId', 'userId']).doNothing())
        .executeTakeFirst()
      if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) continue
      if (userId !== actor.id) {
        const notificationId = await notify(trx, {
          userId,
          kind: 'course.enrolled',
          ticketId: null,
          actorId: actor.id,
          title: `${actor.name} enrolled you in "${course.title}"`,
        })
        emit(notificationEvent(userId, notificationId))
      }
      for (const e of courseChanged(userId, { courseId, userId })) emit(e)
    }
    return { enrolledUserIds: active }
  })
}

/** The course and lesson a learner works on: visible, enrolled, lesson of the right kind, not done yet. */
async function getLearnableLesson(trx: Executor, actor: Actor, courseId: number, lessonId: number, kind: string) {
  const course = await getVisibleCourse(trx, actor, courseId)
  const lesson = await findLesson(trx, courseId, lessonId)
  if (!lesson) throw notFound('Lesson', lessonId)
  if (lesson.kind !== kind) throw unprocessable(`Lesson ${lessonId} is a ${lesson.kind}, not a ${kind}`)
  const enrollment = await findEnrollment(trx, courseId, actor.id)
  if (!enrollment) throw conflict('Enrol in the course first')
  return { course, lesson }
}

/**
 * Records a finished lesson; when it was the last one, completes the course and certifies the learner.
 * Returns whether the course was completed by this call.
 */
async function recordLessonDone(
  trx: Executor,
  emit: (e: DomainEvent) => void,
  r: { course: CourseRow; lesson: LessonRow; userId: number; actorId: number },
): Promise<boolean> {
  await trx
    .insertInto('lessonCompletions')
    .values({ lessonId: r.lesson.id, userId: r.userId, courseId: r.course.id, completedAt: now() })
    .onConflict((oc) => oc.columns(['lessonId', 'userId']).doNothing())
    .execute()
  const lessons = await listLessons(trx, [r.course.id])
  const done = await trx.selectFrom('lessonCompletions').select('lessonId').where('userId', '=', r.userId).where('courseId', '=', r.course.id).execute()
  const doneIds = new Set(done.map((d) => d.lessonId))
  for (const e of courseChanged(r.userId, { courseId: r.course.id, userId: r.userId, lessonId: r.lesson.id })) emit(e)
  if (!lessons.every((l) => doneIds.has(l.id))) return false
  // Only the call that flips completedAt certifies: a concurrent last lesson cannot certify twice.
  const flipped = await trx
    .updateTable('courseEnrollments')
    .set({ completedAt: now() })
    .where('courseId', '=', r.course.id)
    .where('userId', '=', r.userId)
    .where('completedAt', 'is', null)
    .executeTakeFirst()
  if (Number(flipped.numUpdatedRows) === 0) return false
  await certifyCompletion(trx, emit, { userId: r.userId, course: r.course, actorId: r.actorId })
  return true
}

/** Marks a reading lesson done. Quizzes are done by passing them, practice by a passing grade. */
export async function completeLesson(ctx: Ctx, actor: Actor, courseId: number, lessonId: number): Promise<{ lessonId: number; courseCompleted: boolean }> {
  return inTransaction(ctx, async (trx, emit) => {
    const { course, lesson } = await getLearnableLesson(trx, actor, courseId, lessonId, 'lesson')
    const courseCompleted = await recordLessonDone(trx, emit, { course, lesson, userId: actor.id, actorId: actor.id })
    return { lessonId, courseCompleted }
  })
}

/** Grades a quiz on the server: a question counts when exactly the correct options were chosen. */
export function gradeQuiz(quiz: NonNullable<ReturnType<typeof readQuiz>>, answers: QuizAttemptInput['answers']) {
  for (const [questionId, chosen] of Object.entries(answers)) {
    const q = quiz.questions.find((x) => x.id === questionId)
    if (!q) throw unprocessable(`The quiz has no question "${questionId}"`)
    const unknown = chosen.filter((id) => !q.options.some((o) => o.id === id))
    if (unknown.length) throw unprocessable(`Question "${questionId}" has no option ${unknown.join(', ')}`)
    if (q.kind === 'single' && chosen.length > 1) throw unprocessable(`Question "${questionId}" takes one answer`)
  }
  const results = quiz.questions.map((q) => {
    const chosen = new Set(answers[q.id] ?? [])
    const correct = chosen.size === q.correctOptionIds.length && q.correctOptionIds.every((id) => chosen.has(id))
    return { id: q.id, correct }
  })
  const score = Math.round((100 * results.filter((r) => r.correct).length) / Math.max(1, results.length))
  return { score, passed: score >= quiz.passMark, results }
}

export async function submitQuiz(ctx: Ctx, actor: Actor, courseId: number, lessonId: number, input: QuizAttemptInput): Promise<QuizResultDto> {
  return inTransaction(ctx, async (trx, emit) => {
    const { course, lesson } = await getLearnableLesson(trx, actor, courseId, lessonId, 'quiz')
    const quiz = readQuiz(lesson.quiz)
    if (!quiz) throw unprocessable('This quiz has no questions yet')
    const { score, passed, results } = gradeQuiz(quiz, input.answers)
    await trx
      .insertInto('quizAttempts')
      .values({ lessonId, userId: actor.id, answers: writeJson(input.answers), score, passed: passed ? 1 : 0, createdAt: now() })
      .execute()
    const courseCompleted = passed ? await recordLessonDone(trx, emit, { course, lesson, userId: actor.id, actorId: actor.id }) : false
    if (!passed) for (const e of courseChanged(actor.id, { courseId, userId: actor.id, lessonId })) emit(e)
    return {
      score,
      passed,
      passMark: quiz.passMark,
      questions: results.map((r) => ({
        id: r.id,
        correct: r.correct,
        // Answers are revealed only after a pass, so a failed attempt cannot be replayed from the response.
        correctOptionIds: passed ? (quiz.questions.find((q) => q.id === r.id)?.correctOptionIds ?? []) : null,
      })),
      courseCompleted,
    }
  })
}

/** A learner's practice reply, queued for a reviewer. One pending attempt per lesson at a time. */
export async function submitPractice(ctx: Ctx, actor: Actor, courseId: number, lessonId: number, body: string): Promise<PracticeAttemptDto> {
  const id = await inTransaction(ctx, async (trx, emit) => {
    const { lesson } = await getLearnableLesson(trx, actor, courseId, lessonId, 'practice')
    const done = await trx.selectFrom('lessonCompletions').select('lessonId').where('lessonId', '=', lessonId).where('userId', '=', actor.id).executeTakeFirst()
    if (done) throw conflict('You already passed this practice')
    const pending = await practiceAttemptRows(trx, { userId: actor.id, lessonIds: [lesson.id], status: 'pending' })
    if (pending.length) throw conflict('Your previous reply is still waiting for a grade')
    const { html, text } = normalizeBody(body)
    if (!text.trim()) throw unprocessable('Write a reply first')
    const row = await trx
      .insertInto('practiceAttempts')
      .values({ lessonId, userId: actor.id, html, text, status: 'pending', graderId: null, feedback: null, createdAt: now(), gradedAt: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const e of practiceChanged({ id: row.id, userId: actor.id, status: 'pending' })) emit(e)
    return row.id
  })
  return presentAttempt((await practiceAttemptRows(ctx.db, { ids: [id] }))[0]!)
}

/** The grading queue: practice replies by others, oldest first. Full agents only. */
export async function listPracticeAttempts(ctx: Ctx, actor: Actor, status: PracticeStatus | undefined): Promise<PracticeAttemptDto[]> {
  if (!canReviewReplies(actor)) throw forbidden('grade practice replies')
  const rows = await practiceAttemptRows(ctx.db, { status: status ?? 'pending', excludeUserId: actor.id })
  return rows.map(presentAttempt)
}

/** One attempt beside its anonymized exercise and the real resolution of the source ticket. */
export async function getPracticeGrading(ctx: Ctx, actor: Actor, id: number): Promise<PracticeGradingDto> {
  if (!canReviewReplies(actor)) throw forbidden('grade practice replies')
  const row = (await practiceAttemptRows(ctx.db, { ids: [id] }))[0]
  if (!row) throw notFound('Practice attempt', id)
  const lesson = await ctx.db.selectFrom('courseLessons').select(['practice', 'practiceTicketId']).where('id', '=', row.lessonId).executeTakeFirstOrThrow()
  const snapshot = readPractice(lesson.practice) ?? { subject: '', messages: [], resolution: [] }
  let resolution = snapshot.resolution.map((r) => ({ author: 'Agent', text: r.text, createdAt: row.createdAt }))
  const source =
    lesson.practiceTicketId !== null
      ? await ctx.db.selectFrom('tickets').select(['id', 'teamId', 'assigneeId']).where('id', '=', lesson.practiceTicketId).executeTakeFirst()
      : undefined
  // The grader sees the real replies when they may see the ticket; otherwise its anonymized copy.
  if (source && canViewTicket(actor, source)) {
    const replies = await ctx.db
      .selectFrom('messages')
      .leftJoin('users', 'users.id', 'messages.authorUserId')
      .select(['messages.text', 'messages.createdAt', 'users.name'])
      .where('messages.ticketId', '=', source.id)
      .where('messages.kind', '=', 'reply')
      .orderBy('messages.createdAt')
      .orderBy('messages.id')
      .execute()
    resolution = replies.map((r) => ({ author: r.name ?? 'Agent', text: r.text, createdAt: r.createdAt }))
  }
  return {
    attempt: presentAttempt(row),
    ticket: { subject: snapshot.subject, messages: snapshot.messages },
    resolution,
    sourceTicketId: source && canViewTicket(actor, source) ? source.id : null,
  }
}

/** Pass or fail with feedback; a pass finishes the lesson (and may complete the course). Never one's own. */
export async function gradePractice(ctx: Ctx, actor: Actor, id: number, input: GradePracticeInput): Promise<PracticeAttemptDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const row = (await practiceAttemptRows(trx, { ids: [id] }))[0]
    if (!row) throw notFound('Practice attempt', id)
    if (!canGradePractice(actor, row)) throw forbidden('grade this practice reply', row.userId === actor.id ? 'it is your own' : undefined)
    const status = input.passed ? 'passed' : 'failed'
    const res = await trx
      .updateTable('practiceAttempts')
      .set({ status, graderId: actor.id, feedback: input.feedback.trim(), gradedAt: now() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw conflict('This practice reply was already graded')
    await recordAudit(trx, { actorId: actor.id, action: 'practice.graded', targetType: 'user', targetId: row.userId, data: { attemptId: id, status } })
    const notificationId = await notify(trx, {
      userId: row.userId,
      kind: 'practice.graded',
      ticketId: null,
      actorId: actor.id,
      title: `${actor.name} ${input.passed ? 'passed' : 'sent feedback on'} your practice reply "${row.lessonTitle}"`,
    })
    emit(notificationEvent(row.userId, notificationId))
    for (const e of practiceChanged({ id, userId: row.userId, status })) emit(e)
    if (input.passed) {
      const course = await findCourse(trx, row.courseId)
      const lesson = await findLesson(trx, row.courseId, row.lessonId)
      const enrolled = await findEnrollment(trx, row.courseId, row.userId)
      if (course && lesson && enrolled) await recordLessonDone(trx, emit, { course, lesson, userId: row.userId, actorId: actor.id })
    }
  })
  return presentAttempt((await practiceAttemptRows(ctx.db, { ids: [id] }))[0]!)
}
