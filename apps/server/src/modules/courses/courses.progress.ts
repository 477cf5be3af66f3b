import type { CohortProgressDto, CohortQuery, PersonProgressDto, RiskLevel, Role } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canViewCohortTraining, canViewTrainingOf } from '../../platform/policy.ts'
import { presentCertification } from './courses.certify.ts'
import { certificationsOf, completionsOf, enrollmentsOf, lessonCounts, listCourseRows, listLessons, quizScoresOf } from './courses.queries.ts'

const percent = (done: number, total: number) => (total ? Math.min(100, Math.round((100 * done) / total)) : 0)

/** One person's courses, quiz scores and certifications. */
export async function getPersonProgress(ctx: Ctx, actor: Actor, userId: number): Promise<PersonProgressDto> {
  if (!canViewTrainingOf(actor, userId)) throw forbidden("see this person's training")
  const user = await ctx.db.selectFrom('users').select(['id', 'name', 'role', 'clearance', 'trustLevel']).where('id', '=', userId).executeTakeFirst()
  if (!user) throw notFound('User', userId)
  const [enrollments, completions, scores, certifications, courses] = await Promise.all([
    enrollmentsOf(ctx.db, [userId]),
    completionsOf(ctx.db, [userId]),
    quizScoresOf(ctx.db, [userId]),
    certificationsOf(ctx.db, [userId]),
    listCourseRows(ctx.db, { includeDrafts: true }),
  ])
  const lessons = await listLessons(
    ctx.db,
    enrollments.map((e) => e.courseId),
  )
  const done = new Set(completions.map((c) => c.lessonId))
  return {
    user: { id: user.id, name: user.name, role: user.role as Role, clearance: user.clearance as RiskLevel, trustLevel: user.trustLevel },
    courses: enrollments.flatMap((e) => {
      const course = courses.find((c) => c.id === e.courseId)
      if (!course) return []
      const own = lessons.filter((l) => l.courseId === e.courseId)
      const doneCount = own.filter((l) => done.has(l.id)).length
      return [
        {
          courseId: course.id,
          title: course.title,
          lessonCount: own.length,
          doneCount,
          percent: e.completedAt ? 100 : percent(doneCount, own.length),
          quizScores: own
            .filter((l) => l.kind === 'quiz')
            .flatMap((l) => {
              const s = scores.find((x) => x.lessonId === l.id)
              return s ? [{ lessonId: l.id, title: l.title, bestScore: Number(s.bestScore), attempts: Number(s.attempts) }] : []
            }),
          enrolledAt: e.createdAt,
          completedAt: e.completedAt,
        },
      ]
    }),
    certifications: certifications.map(presentCertification),
  }
}

/** A team's or a role's training at a glance (optionally one course): per person and per course. */
export async function getCohortProgress(ctx: Ctx, actor: Actor, query: CohortQuery): Promise<CohortProgressDto> {
  if (!canViewCohortTraining(actor)) throw forbidden('see training dashboards')
  if (query.teamId === undefined && query.role === undefined) throw unprocessable('Choose a team or a role')
  let people = ctx.db.selectFrom('users').select(['users.id', 'users.name']).where('users.isActive', '=', 1).orderBy('users.name')
  if (query.teamId !== undefined) {
    const teamId = query.teamId
    people = people.where((eb) =>
      eb.exists(
        eb.selectFrom('teamMembers').select('teamMembers.userId').whereRef('teamMembers.userId', '=', 'users.id').where('teamMembers.teamId', '=', teamId),
      ),
    )
  }
  if (query.role !== undefined) people = people.where('users.role', '=', query.role)
  const users = await people.limit(500).execute()
  const ids = users.map((u) => u.id)
  const [allEnrollments, completions, scores, certifications, courses, counts] = await Promise.all([
    enrollmentsOf(ctx.db, ids),
    completionsOf(ctx.db, ids),
    quizScoresOf(ctx.db, ids),
    certificationsOf(ctx.db, ids),
    listCourseRows(ctx.db, { includeDrafts: true }),
    lessonCounts(ctx.db),
  ])
  const enrollments = query.courseId !== undefined ? allEnrollments.filter((e) => e.courseId === query.courseId) : allEnrollments
  const progressOf = (userId: number, courseId: number, completedAt: number | null) =>
    completedAt ? 100 : percent(completions.filter((c) => c.userId === userId && c.courseId === courseId).length, counts.get(courseId) ?? 0)
  const courseIds = [...new Set(enrollments.map((e) => e.courseId))]
  return {
    people: users.map((u) => {
      const mine = enrollments.filter((e) => e.userId === u.id)
      const myScores = scores.filter((s) => s.userId === u.id).map((s) => Number(s.bestScore))
      return {
        id: u.id,
        name: u.name,
        enrolled: mine.length,
        completed: mine.filter((e) => e.completedAt !== null).length,
        percent: mine.length ? Math.round(mine.reduce((sum, e) => sum + progressOf(u.id, e.courseId, e.completedAt), 0) / mine.length) : 0,
        averageQuizScore: myScores.length ? Math.round(myScores.reduce((a, b) => a + b, 0) / myScores.length) : null,
        certifications: certifications.filter((c) => c.userId === u.id).map((c) => c.categoryName),
      }
    }),
    courses: courseIds.flatMap((courseId) => {
      const course = courses.find((c) => c.id === courseId)
      if (!course) return []
      const rows = enrollments.filter((e) => e.courseId === courseId)
      return [
        {
          courseId,
          title: course.title,
          enrolled: rows.length,
          completed: rows.filter((e) => e.completedAt !== null).length,
          averagePercent: Math.round(rows.reduce((sum, e) => sum + progressOf(e.userId, courseId, e.completedAt), 0) / rows.length),
        },
      ]
    }),
  }
}
