import type {
  AuthoringLessonDto,
  CourseSummaryDto,
  LessonDto,
  LessonKind,
  LessonState,
  PracticeAttemptDto,
  PracticeStatus,
  RiskLevel,
} from '@allhands/contract'
import { marked } from 'marked'
import { sanitizeRichText } from '../../platform/sanitize.ts'
import { type CourseRow, type LessonRow, type PracticeAttemptRow, readPractice, readQuiz } from './courses.queries.ts'

/** Author markdown as HTML anyone may see: rendered, then sanitized like any other rich text. */
export const renderMarkdown = (markdown: string): string => sanitizeRichText(marked.parse(markdown, { async: false, gfm: true }))

export function presentAttempt(r: PracticeAttemptRow): PracticeAttemptDto {
  return {
    id: r.id,
    courseId: r.courseId,
    lessonId: r.lessonId,
    lessonTitle: r.lessonTitle,
    learner: { id: r.userId, name: r.learnerName },
    html: r.html,
    text: r.text,
    status: r.status as PracticeStatus,
    grader: r.graderId !== null ? { id: r.graderId, name: r.graderName ?? '' } : null,
    feedback: r.feedback,
    createdAt: r.createdAt,
    gradedAt: r.gradedAt,
  }
}

export function presentSummary(
  c: CourseRow,
  p: { lessonCount: number; enrolled: boolean; doneCount: number; completedAt: number | null; nextLesson: { id: number; title: string } | null },
): CourseSummaryDto {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    category: c.categoryId !== null ? { id: c.categoryId, name: c.categoryName ?? '' } : null,
    grantsClearance: c.grantsClearance as RiskLevel,
    published: !!c.published,
    lessonCount: p.lessonCount,
    enrolled: p.enrolled,
    doneCount: p.doneCount,
    completedAt: p.completedAt,
    nextLesson: p.nextLesson,
    updatedAt: c.updatedAt,
  }
}

/** A lesson for a learner: rendered text, quiz without its answers, the anonymized ticket only. */
export function presentLesson(l: LessonRow, p: { state: LessonState; bestScore: number | null; latestPractice: PracticeAttemptDto | null }): LessonDto {
  const quiz = readQuiz(l.quiz)
  const practice = readPractice(l.practice)
  return {
    id: l.id,
    position: l.position,
    kind: l.kind as LessonKind,
    title: l.title,
    html: renderMarkdown(l.body),
    quiz:
      l.kind === 'quiz' && quiz
        ? { passMark: quiz.passMark, questions: quiz.questions.map((q) => ({ id: q.id, prompt: q.prompt, kind: q.kind, options: q.options })) }
        : null,
    practice: l.kind === 'practice' && practice ? { subject: practice.subject, messages: practice.messages } : null,
    state: p.state,
    bestScore: p.bestScore,
    latestPractice: p.latestPractice,
  }
}

export function presentAuthoringLesson(l: LessonRow): AuthoringLessonDto {
  const practice = readPractice(l.practice)
  return {
    id: l.id,
    position: l.position,
    kind: l.kind as LessonKind,
    title: l.title,
    body: l.body,
    quiz: l.kind === 'quiz' ? readQuiz(l.quiz) : null,
    practiceTicketId: l.practiceTicketId,
    practice: practice ? { subject: practice.subject, messages: practice.messages } : null,
  }
}
