import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { RiskLevelSchema } from './participation.ts'
import { RoleSchema } from './people.ts'

/**
 * Training and certification: courses of ordered lessons (markdown lessons, quizzes, practice replies on
 * anonymized past tickets). Completing every lesson certifies the learner for the course's category.
 */
export const LESSON_KINDS = ['lesson', 'quiz', 'practice'] as const
export type LessonKind = (typeof LESSON_KINDS)[number]
export const LessonKindSchema = Type.Enum(LESSON_KINDS)

export const QUESTION_KINDS = ['single', 'multiple'] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]

const OptionId = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' })

/** A quiz question as the author writes it: the correct options stay on the server. */
export const QuizQuestionInput = Type.Object(
  {
    id: OptionId,
    prompt: Type.String({ minLength: 1, maxLength: 1000 }),
    kind: Type.Enum(QUESTION_KINDS),
    options: Type.Array(Type.Object({ id: OptionId, text: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), {
      minItems: 2,
      maxItems: 10,
    }),
    correctOptionIds: Type.Array(OptionId, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
)
export type QuizQuestionInput = Static<typeof QuizQuestionInput>

export const QuizInput = Type.Object(
  {
    passMark: Type.Integer({ minimum: 1, maximum: 100 }),
    questions: Type.Array(QuizQuestionInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
)
export type QuizInput = Static<typeof QuizInput>

/** The question a learner sees: no correct answers. */
export const QuizQuestionDto = Type.Object({
  id: Type.String(),
  prompt: Type.String(),
  kind: Type.Enum(QUESTION_KINDS),
  options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
})
export type QuizQuestionDto = Static<typeof QuizQuestionDto>

/** A past ticket with names, addresses and numbers masked: all a learner ever sees of it. */
export const AnonymizedTicketDto = Type.Object({
  subject: Type.String(),
  messages: Type.Array(Type.Object({ from: Type.Union([Type.Literal('customer'), Type.Literal('agent')]), text: Type.String() })),
})
export type AnonymizedTicketDto = Static<typeof AnonymizedTicketDto>

export const PRACTICE_STATUSES = ['pending', 'passed', 'failed'] as const
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number]

export const PracticeAttemptDto = Type.Object({
  id: Id,
  courseId: Id,
  lessonId: Id,
  lessonTitle: Type.String(),
  learner: Type.Object({ id: Id, name: Type.String() }),
  html: Type.String(),
  text: Type.String(),
  status: Type.Enum(PRACTICE_STATUSES),
  grader: Nullable(Type.Object({ id: Id, name: Type.String() })),
  feedback: Nullable(Type.String()),
  createdAt: Timestamp,
  gradedAt: Nullable(Timestamp),
})
export type PracticeAttemptDto = Static<typeof PracticeAttemptDto>

/** What a reviewer grades: the learner's reply beside the anonymized question and the real resolution. */
export const PracticeGradingDto = Type.Object({
  attempt: PracticeAttemptDto,
  ticket: AnonymizedTicketDto,
  resolution: Type.Array(Type.Object({ author: Type.String(), text: Type.String(), createdAt: Timestamp })),
  sourceTicketId: Nullable(Id),
})
export type PracticeGradingDto = Static<typeof PracticeGradingDto>

export const LESSON_STATES = ['todo', 'pending', 'done'] as const
export type LessonState = (typeof LESSON_STATES)[number]

/** A lesson as a learner sees it, with their own progress on it. */
export const LessonDto = Type.Object({
  id: Id,
  position: Type.Integer({ minimum: 0 }),
  kind: LessonKindSchema,
  title: Type.String(),
  /** Sanitized HTML rendered from the author's markdown. */
  html: Type.String(),
  quiz: Nullable(Type.Object({ passMark: Type.Integer(), questions: Type.Array(QuizQuestionDto) })),
  practice: Nullable(AnonymizedTicketDto),
  state: Type.Enum(LESSON_STATES),
  bestScore: Nullable(Type.Integer()),
  latestPractice: Nullable(PracticeAttemptDto),
})
export type LessonDto = Static<typeof LessonDto>

export const CourseSummaryDto = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  category: Nullable(Type.Object({ id: Id, name: Type.String() })),
  grantsClearance: RiskLevelSchema,
  published: Type.Boolean(),
  lessonCount: Type.Integer(),
  enrolled: Type.Boolean(),
  doneCount: Type.Integer(),
  completedAt: Nullable(Timestamp),
  /** The first lesson the signed-in person has not finished yet. */
  nextLesson: Nullable(Type.Object({ id: Id, title: Type.String() })),
  updatedAt: Timestamp,
})
export type CourseSummaryDto = Static<typeof CourseSummaryDto>

export const CourseDto = Type.Object({ ...CourseSummaryDto.properties, lessons: Type.Array(LessonDto) })
export type CourseDto = Static<typeof CourseDto>

export const CatalogueDto = Type.Object({
  items: Type.Array(CourseSummaryDto),
  categories: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  canAuthor: Type.Boolean(),
})
export type CatalogueDto = Static<typeof CatalogueDto>

/** A lesson as its author edits it: markdown source, correct answers, the source ticket. */
export const AuthoringLessonDto = Type.Object({
  id: Id,
  position: Type.Integer({ minimum: 0 }),
  kind: LessonKindSchema,
  title: Type.String(),
  body: Type.String(),
  quiz: Nullable(QuizInput),
  practiceTicketId: Nullable(Id),
  practice: Nullable(AnonymizedTicketDto),
})
export type AuthoringLessonDto = Static<typeof AuthoringLessonDto>

export const AuthoringCourseDto = Type.Object({ ...CourseSummaryDto.properties, lessons: Type.Array(AuthoringLessonDto) })
export type AuthoringCourseDto = Static<typeof AuthoringCourseDto>

export const CourseInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 5000 }),
    categoryId: Id,
    grantsClearance: RiskLevelSchema,
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CourseInput = Static<typeof CourseInput>
export const UpdateCourseInput = Type.Partial(CourseInput, { additionalProperties: false })
export type UpdateCourseInput = Static<typeof UpdateCourseInput>

export const LessonInput = Type.Object(
  {
    kind: LessonKindSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    /** Markdown: the lesson text, or the instructions of a quiz or practice. */
    body: Type.String({ maxLength: 100_000 }),
    quiz: Type.Optional(QuizInput),
    practiceTicketId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type LessonInput = Static<typeof LessonInput>
export const UpdateLessonInput = Type.Partial(LessonInput, { additionalProperties: false })
export type UpdateLessonInput = Static<typeof UpdateLessonInput>

export const LessonOrderInput = Type.Object({ lessonIds: Type.Array(Id, { maxItems: 500 }) }, { additionalProperties: false })

/** Enrol yourself (empty body), or, as an admin, people and whole teams. */
export const EnrollInput = Type.Object(
  {
    userIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
    teamId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type EnrollInput = Static<typeof EnrollInput>
export const EnrollResult = Type.Object({ enrolledUserIds: Type.Array(Id) })

export const QuizAttemptInput = Type.Object(
  { answers: Type.Record(Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })) },
  { additionalProperties: false },
)
export type QuizAttemptInput = Static<typeof QuizAttemptInput>

export const QuizResultDto = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  passed: Type.Boolean(),
  passMark: Type.Integer(),
  /** Which questions were right; the correct options are revealed only once the quiz is passed. */
  questions: Type.Array(Type.Object({ id: Type.String(), correct: Type.Boolean(), correctOptionIds: Nullable(Type.Array(Type.String())) })),
  courseCompleted: Type.Boolean(),
})
export type QuizResultDto = Static<typeof QuizResultDto>

export const LessonDoneDto = Type.Object({ lessonId: Id, courseCompleted: Type.Boolean() })

export const PracticeAttemptInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 50_000 }) }, { additionalProperties: false })
export const GradePracticeInput = Type.Object(
  { passed: Type.Boolean(), feedback: Type.String({ minLength: 1, maxLength: 5000 }) },
  { additionalProperties: false },
)
export type GradePracticeInput = Static<typeof GradePracticeInput>
export const PracticeQueueQuery = Type.Object({ status: Type.Optional(Type.Enum(PRACTICE_STATUSES)) })

export const CertificationDto = Type.Object({
  userId: Id,
  category: Type.Object({ id: Id, name: Type.String() }),
  source: Type.String(),
  grantedBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  createdAt: Timestamp,
})
export type CertificationDto = Static<typeof CertificationDto>

export const GrantCertificationInput = Type.Object({ userId: Id, categoryId: Id }, { additionalProperties: false })

/** One person's training: each course with progress, quiz scores and their certifications. */
export const PersonProgressDto = Type.Object({
  user: Type.Object({ id: Id, name: Type.String(), role: RoleSchema, clearance: RiskLevelSchema, trustLevel: Type.String() }),
  courses: Type.Array(
    Type.Object({
      courseId: Id,
      title: Type.String(),
      lessonCount: Type.Integer(),
      doneCount: Type.Integer(),
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
      quizScores: Type.Array(Type.Object({ lessonId: Id, title: Type.String(), bestScore: Type.Integer(), attempts: Type.Integer() })),
      enrolledAt: Timestamp,
      completedAt: Nullable(Timestamp),
    }),
  ),
  certifications: Type.Array(CertificationDto),
})
export type PersonProgressDto = Static<typeof PersonProgressDto>

export const CohortQuery = Type.Object({ teamId: Type.Optional(Id), role: Type.Optional(RoleSchema), courseId: Type.Optional(Id) })
export type CohortQuery = Static<typeof CohortQuery>

/** A team's or role's training at a glance: per person per course. */
export const CohortProgressDto = Type.Object({
  people: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      enrolled: Type.Integer(),
      completed: Type.Integer(),
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
      averageQuizScore: Nullable(Type.Integer()),
      certifications: Type.Array(Type.String()),
    }),
  ),
  courses: Type.Array(Type.Object({ courseId: Id, title: Type.String(), enrolled: Type.Integer(), completed: Type.Integer(), averagePercent: Type.Integer() })),
})
export type CohortProgressDto = Static<typeof CohortProgressDto>
