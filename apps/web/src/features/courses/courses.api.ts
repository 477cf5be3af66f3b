import type {
  AuthoringCourseDto,
  CatalogueDto,
  CertificationDto,
  CohortProgressDto,
  CohortQuery,
  CourseDto,
  CourseInput,
  EnrollInput,
  GradePracticeInput,
  LessonInput,
  MeDto,
  PersonProgressDto,
  PracticeAttemptDto,
  PracticeGradingDto,
  QuizAttemptInput,
  QuizResultDto,
  UpdateCourseInput,
  UpdateLessonInput,
} from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'

export const coursesApi = {
  catalogue: () => request<CatalogueDto>('GET', '/courses'),
  course: (id: number) => request<CourseDto>('GET', `/courses/${id}`),
  authoring: (id: number) => request<AuthoringCourseDto>('GET', `/courses/${id}/authoring`),
  create: (input: CourseInput) => request<AuthoringCourseDto>('POST', '/courses', input),
  update: (id: number, input: UpdateCourseInput) => request<AuthoringCourseDto>('PATCH', `/courses/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/courses/${id}`),
  addLesson: (courseId: number, input: LessonInput) => request<AuthoringCourseDto>('POST', `/courses/${courseId}/lessons`, input),
  updateLesson: (lessonId: number, input: UpdateLessonInput) => request<AuthoringCourseDto>('PATCH', `/course-lessons/${lessonId}`, input),
  deleteLesson: (lessonId: number) => request<AuthoringCourseDto>('DELETE', `/course-lessons/${lessonId}`),
  reorder: (courseId: number, lessonIds: number[]) => request<AuthoringCourseDto>('PUT', `/courses/${courseId}/lesson-order`, { lessonIds }),
  enroll: (courseId: number, input: EnrollInput = {}) => request<{ enrolledUserIds: number[] }>('POST', `/courses/${courseId}/enrollments`, input),
  completeLesson: (lessonId: number) => request<{ lessonId: number; courseCompleted: boolean }>('POST', `/course-lessons/${lessonId}/complete`),
  submitQuiz: (lessonId: number, input: QuizAttemptInput) => request<QuizResultDto>('POST', `/course-lessons/${lessonId}/quiz-attempts`, input),
  submitPractice: (lessonId: number, body: string) => request<PracticeAttemptDto>('POST', `/course-lessons/${lessonId}/practice-attempts`, { body }),
  practiceQueue: (status?: 'pending' | 'passed' | 'failed') => request<{ items: PracticeAttemptDto[] }>('GET', '/practice-attempts', undefined, { status }),
  grading: (id: number) => request<PracticeGradingDto>('GET', `/practice-attempts/${id}`),
  grade: (id: number, input: GradePracticeInput) => request<PracticeAttemptDto>('POST', `/practice-attempts/${id}/grade`, input),
  person: (userId: number) => request<PersonProgressDto>('GET', `/training/people/${userId}`),
  cohort: (query: CohortQuery) => request<CohortProgressDto>('GET', '/training/cohort', undefined, query),
  certifications: (userId: number) => request<{ items: CertificationDto[] }>('GET', '/certifications', undefined, { userId }),
  grant: (userId: number, categoryId: number) => request<CertificationDto>('POST', '/certifications', { userId, categoryId }),
  revoke: (userId: number, categoryId: number) => request<{ ok: boolean }>('POST', '/certifications/revoke', { userId, categoryId }),
}

/** Everything under `training` is refetched when a course, someone's progress or a grade changes. */
export const courseKeys = {
  all: ['training'] as const,
  catalogue: ['training', 'catalogue'] as const,
  course: (id: number) => ['training', 'course', id] as const,
  authoring: (id: number) => ['training', 'authoring', id] as const,
  queue: (status: string) => ['training', 'practice-queue', status] as const,
  grading: (id: number) => ['training', 'grading', id] as const,
  person: (userId: number) => ['training', 'person', userId] as const,
  cohort: (query: CohortQuery) => ['training', 'cohort', query] as const,
}

export const useCatalogue = () => useQuery({ queryKey: courseKeys.catalogue, queryFn: coursesApi.catalogue })

/** Full agents and admins: authors, graders and dashboard readers (the server decides; this only shapes the UI). */
export const isTrainer = (me: MeDto | undefined) =>
  !!me && (me.user.role === 'owner' || me.user.role === 'admin' || (me.user.role === 'agent' && me.participation.trustLevel === 'agent'))

/**
 * Keeps training views current: the learner hears their own progress and grades on their user room;
 * trainers join the `training` room for everyone's. A certification also changes what `me` may do.
 */
export function useTrainingLive(trainer: boolean) {
  useRoom(trainer ? 'training' : null)
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name !== 'course.changed' && e.name !== 'practice.changed') return
        void queryClient.invalidateQueries({ queryKey: courseKeys.all })
        if (e.payload.completed) void queryClient.invalidateQueries({ queryKey: keys.me })
      }),
    [],
  )
  useEffect(() => realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: courseKeys.all })), [])
}

export const refreshTraining = () => queryClient.invalidateQueries({ queryKey: courseKeys.all })

export const CLEARANCE_LABEL = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' } as const
export const percentOf = (done: number, total: number) => (total ? Math.round((100 * done) / total) : 0)
