import {
  AuthoringCourseDto,
  CatalogueDto,
  CertificationDto,
  CohortProgressDto,
  CohortQuery,
  CourseDto,
  CourseInput,
  EnrollInput,
  EnrollResult,
  GradePracticeInput,
  GrantCertificationInput,
  IdParams,
  LessonDoneDto,
  LessonInput,
  LessonOrderInput,
  Ok,
  PersonProgressDto,
  PracticeAttemptDto,
  PracticeAttemptInput,
  PracticeGradingDto,
  PracticeQueueQuery,
  QuizAttemptInput,
  QuizResultDto,
  UpdateCourseInput,
  UpdateLessonInput,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { canAuthorCourses, canViewCohortTraining } from '../../platform/policy.ts'
import { type RoomGuard, registerRoomGuard } from '../../platform/realtime.ts'
import { addLesson, createCourse, deleteCourse, deleteLesson, getAuthoringCourse, reorderLessons, updateCourse, updateLesson } from './courses.authoring.ts'
import { grantCertification, listCertifications, revokeCertification, TRAINING_ROOM } from './courses.certify.ts'
import {
  completeLesson,
  enroll,
  getCourse,
  getPracticeGrading,
  gradePractice,
  listCatalogue,
  listPracticeAttempts,
  submitPractice,
  submitQuiz,
} from './courses.learning.ts'
import { getCohortProgress, getPersonProgress } from './courses.progress.ts'
import { courseOfLesson } from './courses.queries.ts'

/** Authors, graders and dashboard viewers follow training changes in the `training` room. */
const trainingRoomGuard: RoomGuard = (_ctx, actor, room) => (room === TRAINING_ROOM ? canAuthorCourses(actor) || canViewCohortTraining(actor) : undefined)

/** Training and certification: courses, lessons, quizzes, practice replies, progress and certifications. */
export async function coursesRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['training']
  registerRoomGuard(trainingRoomGuard)

  app.get(
    '/courses',
    { schema: { tags, description: 'The course catalogue with your progress (drafts too for authors).', response: { 200: CatalogueDto } } },
    async (req) => listCatalogue(ctx, actorOf(req)),
  )
  app.post('/courses', { schema: { tags, body: CourseInput, response: { 201: AuthoringCourseDto } } }, async (req, reply) =>
    reply.code(201).send(await createCourse(ctx, actorOf(req), req.body)),
  )
  app.get(
    '/courses/:id',
    {
      schema: {
        tags,
        description: 'A course as a learner sees it: rendered lessons, quizzes without answers, anonymized practice tickets.',
        params: IdParams,
        response: { 200: CourseDto },
      },
    },
    async (req) => getCourse(ctx, actorOf(req), req.params.id),
  )
  app.patch('/courses/:id', { schema: { tags, params: IdParams, body: UpdateCourseInput, response: { 200: AuthoringCourseDto } } }, async (req) =>
    updateCourse(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/courses/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteCourse(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.get(
    '/courses/:id/authoring',
    {
      schema: {
        tags,
        description: 'The course as its authors edit it: markdown, correct answers, source tickets.',
        params: IdParams,
        response: { 200: AuthoringCourseDto },
      },
    },
    async (req) => getAuthoringCourse(ctx.db, actorOf(req), req.params.id),
  )
  app.post('/courses/:id/lessons', { schema: { tags, params: IdParams, body: LessonInput, response: { 201: AuthoringCourseDto } } }, async (req, reply) =>
    reply.code(201).send(await addLesson(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.patch('/course-lessons/:id', { schema: { tags, params: IdParams, body: UpdateLessonInput, response: { 200: AuthoringCourseDto } } }, async (req) =>
    updateLesson(ctx, actorOf(req), await courseOfLesson(ctx.db, req.params.id), req.params.id, req.body),
  )
  app.delete('/course-lessons/:id', { schema: { tags, params: IdParams, response: { 200: AuthoringCourseDto } } }, async (req) =>
    deleteLesson(ctx, actorOf(req), await courseOfLesson(ctx.db, req.params.id), req.params.id),
  )
  app.put('/courses/:id/lesson-order', { schema: { tags, params: IdParams, body: LessonOrderInput, response: { 200: AuthoringCourseDto } } }, async (req) =>
    reorderLessons(ctx, actorOf(req), req.params.id, req.body.lessonIds),
  )
  app.post(
    '/courses/:id/enrollments',
    {
      schema: {
        tags,
        description: 'Enrol yourself (empty body); admins may enrol people and whole teams.',
        params: IdParams,
        body: EnrollInput,
        response: { 200: EnrollResult },
      },
    },
    async (req) => enroll(ctx, actorOf(req), req.params.id, req.body ?? {}),
  )
  app.post(
    '/course-lessons/:id/complete',
    { schema: { tags, description: 'Marks a reading lesson done.', params: IdParams, response: { 200: LessonDoneDto } } },
    async (req) => completeLesson(ctx, actorOf(req), await courseOfLesson(ctx.db, req.params.id), req.params.id),
  )
  app.post(
    '/course-lessons/:id/quiz-attempts',
    { schema: { tags, description: 'Answers a quiz; graded on the server.', params: IdParams, body: QuizAttemptInput, response: { 200: QuizResultDto } } },
    async (req) => submitQuiz(ctx, actorOf(req), await courseOfLesson(ctx.db, req.params.id), req.params.id, req.body),
  )
  app.post(
    '/course-lessons/:id/practice-attempts',
    { schema: { tags, params: IdParams, body: PracticeAttemptInput, response: { 201: PracticeAttemptDto } } },
    async (req, reply) =>
      reply.code(201).send(await submitPractice(ctx, actorOf(req), await courseOfLesson(ctx.db, req.params.id), req.params.id, req.body.body)),
  )
  app.get(
    '/practice-attempts',
    {
      schema: {
        tags,
        description: 'Practice replies waiting for a grade (full agents).',
        querystring: PracticeQueueQuery,
        response: { 200: Type.Object({ items: Type.Array(PracticeAttemptDto) }) },
      },
    },
    async (req) => ({ items: await listPracticeAttempts(ctx, actorOf(req), req.query.status) }),
  )
  app.get('/practice-attempts/:id', { schema: { tags, params: IdParams, response: { 200: PracticeGradingDto } } }, async (req) =>
    getPracticeGrading(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/practice-attempts/:id/grade',
    { schema: { tags, params: IdParams, body: GradePracticeInput, response: { 200: PracticeAttemptDto } } },
    async (req) => gradePractice(ctx, actorOf(req), req.params.id, req.body),
  )
  app.get('/training/people/:id', { schema: { tags, params: IdParams, response: { 200: PersonProgressDto } } }, async (req) =>
    getPersonProgress(ctx, actorOf(req), req.params.id),
  )
  app.get('/training/cohort', { schema: { tags, querystring: CohortQuery, response: { 200: CohortProgressDto } } }, async (req) =>
    getCohortProgress(ctx, actorOf(req), req.query),
  )
  app.get(
    '/certifications',
    {
      schema: {
        tags,
        querystring: Type.Object({ userId: Type.Optional(IdParams.properties.id) }),
        response: { 200: Type.Object({ items: Type.Array(CertificationDto) }) },
      },
    },
    async (req) => {
      const actor = actorOf(req)
      return { items: await listCertifications(ctx, actor, req.query.userId ?? actor.id) }
    },
  )
  app.post('/certifications', { schema: { tags, body: GrantCertificationInput, response: { 201: CertificationDto } } }, async (req, reply) =>
    reply.code(201).send(await grantCertification(ctx, actorOf(req), req.body)),
  )
  app.post('/certifications/revoke', { schema: { tags, body: GrantCertificationInput, response: { 200: Ok } } }, async (req) => {
    await revokeCertification(ctx, actorOf(req), req.body.userId, req.body.categoryId)
    return { ok: true }
  })
}
