import type { CourseDto, LessonDto, QuizResultDto } from '@allhands/contract'
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Loader,
  NavLink,
  Progress,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
  TypographyStylesProvider,
} from '@mantine/core'
import { IconCertificate, IconCircle, IconCircleCheck, IconClock } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { ApiError } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { showError, useMe } from '../../lib/queries.ts'
import { AnonymizedTicket } from './AnonymizedTicket.tsx'
import { CLEARANCE_LABEL, courseKeys, coursesApi, isTrainer, percentOf, refreshTraining, useTrainingLive } from './courses.api.ts'

const KIND_LABEL = { lesson: 'Lesson', quiz: 'Quiz', practice: 'Practice reply' } as const

/** /training/courses/:id — the learner's view: lessons in order, quizzes, practice on an anonymized ticket. */
export function CoursePlayer() {
  const { courseId } = useParams({ strict: false }) as { courseId: string }
  const id = Number(courseId)
  const me = useMe().data
  useTrainingLive(isTrainer(me))
  const course = useQuery({ queryKey: courseKeys.course(id), queryFn: () => coursesApi.course(id), retry: false })
  const [selected, setSelected] = useState<number | null>(null)
  const enroll = useMutation({ mutationFn: () => coursesApi.enroll(id), onSuccess: () => void refreshTraining(), onError: showError })
  if (course.isPending) return <Loader m="md" size="sm" aria-label="Loading the course" />
  if (!course.data)
    return (
      <Text m="md" c="red">
        {course.error instanceof ApiError && course.error.status === 404
          ? 'This course does not exist or is not published yet.'
          : 'The course could not be loaded.'}
      </Text>
    )
  const c = course.data
  const lesson = c.lessons.find((l) => l.id === selected) ?? c.lessons.find((l) => l.id === c.nextLesson?.id) ?? c.lessons[0]
  const pct = c.completedAt ? 100 : percentOf(c.doneCount, c.lessonCount)
  return (
    <Stack p="md" maw={1200}>
      <RouterAnchor to="/training" size="sm">
        ← Training
      </RouterAnchor>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h3">
            {c.title} {!c.published && <Badge color="gray">Draft</Badge>}
          </Title>
          <Text size="sm" c="dimmed">
            Certifies {c.category?.name ?? 'no category'} · grants {CLEARANCE_LABEL[c.grantsClearance].toLowerCase()} clearance
          </Text>
        </div>
        {c.enrolled ? (
          <Stack gap={2} w={240}>
            <Progress value={pct} aria-label={`${pct}% complete`} color={c.completedAt ? 'green' : undefined} />
            <Text size="xs" c="dimmed">
              {c.doneCount} of {c.lessonCount} lessons done
            </Text>
          </Stack>
        ) : (
          <Button onClick={() => enroll.mutate()} loading={enroll.isPending} disabled={!c.published}>
            Enrol
          </Button>
        )}
      </Group>
      {c.description && <Text size="sm">{c.description}</Text>}
      {c.completedAt && (
        <Alert color="green" icon={<IconCertificate aria-hidden />} title="Course completed">
          You are certified for {c.category?.name ?? 'this course'}. Your clearance is at least {c.grantsClearance}.
        </Alert>
      )}
      {c.lessons.length === 0 ? (
        <Text c="dimmed">This course has no lessons yet.</Text>
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <nav aria-label="Lessons">
              {c.lessons.map((l, i) => (
                <NavLink
                  key={l.id}
                  component="button"
                  active={l.id === lesson?.id}
                  aria-current={l.id === lesson?.id ? 'step' : undefined}
                  label={`${i + 1}. ${l.title}`}
                  description={KIND_LABEL[l.kind]}
                  leftSection={<LessonStateIcon state={l.state} />}
                  onClick={() => setSelected(l.id)}
                />
              ))}
            </nav>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>{lesson && <LessonView key={lesson.id} course={c} lesson={lesson} onNext={() => setSelected(null)} />}</Grid.Col>
        </Grid>
      )}
    </Stack>
  )
}

function LessonStateIcon({ state }: { state: LessonDto['state'] }) {
  if (state === 'done') return <IconCircleCheck size={16} color="var(--mantine-color-green-6)" aria-label="done" />
  if (state === 'pending') return <IconClock size={16} color="var(--mantine-color-yellow-6)" aria-label="waiting for a grade" />
  return <IconCircle size={16} aria-label="to do" />
}

function LessonView({ course, lesson, onNext }: { course: CourseDto; lesson: LessonDto; onNext: () => void }) {
  return (
    <Card withBorder component="article" aria-labelledby={`lesson-${lesson.id}`}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={`lesson-${lesson.id}`}>
          {lesson.title}
        </Title>
        <Badge variant="light">{KIND_LABEL[lesson.kind]}</Badge>
      </Group>
      <TypographyStylesProvider>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from markdown and sanitized on the server (platform/sanitize.ts) */}
        <div dangerouslySetInnerHTML={{ __html: lesson.html }} />
      </TypographyStylesProvider>
      {!course.enrolled ? (
        <Text size="sm" c="dimmed" mt="md">
          Enrol to record your progress.
        </Text>
      ) : lesson.kind === 'lesson' ? (
        <ReadLesson lesson={lesson} onDone={onNext} />
      ) : lesson.kind === 'quiz' ? (
        <QuizForm lesson={lesson} />
      ) : (
        <PracticeEditor lesson={lesson} />
      )}
    </Card>
  )
}

/** Marking a lesson done moves on to the next unfinished one. */
function ReadLesson({ lesson, onDone }: { lesson: LessonDto; onDone: () => void }) {
  const done = useMutation({
    mutationFn: () => coursesApi.completeLesson(lesson.id),
    onSuccess: async () => {
      await refreshTraining()
      onDone()
    },
    onError: showError,
  })
  if (lesson.state === 'done')
    return (
      <Text size="sm" c="green" mt="md">
        Done.
      </Text>
    )
  return (
    <Button mt="md" onClick={() => done.mutate()} loading={done.isPending}>
      Mark as done
    </Button>
  )
}

function QuizForm({ lesson }: { lesson: LessonDto }) {
  const quiz = lesson.quiz
  const [answers, setAnswers] = useState<Record<string, string[]>>({})
  const [result, setResult] = useState<QuizResultDto | null>(null)
  const submit = useMutation({
    mutationFn: () => coursesApi.submitQuiz(lesson.id, { answers }),
    onSuccess: (r) => {
      setResult(r)
      void refreshTraining()
    },
    onError: showError,
  })
  if (!quiz) return null
  const outcome = (qid: string) => result?.questions.find((q) => q.id === qid)
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        submit.mutate()
      }}
    >
      <Stack mt="md">
        <Text size="sm" c="dimmed">
          Pass mark {quiz.passMark}%.{lesson.bestScore !== null ? ` Your best so far: ${lesson.bestScore}%.` : ''}
          {lesson.state === 'done' ? ' Passed.' : ''}
        </Text>
        {quiz.questions.map((q, i) => {
          const o = outcome(q.id)
          const label = `${i + 1}. ${q.prompt}`
          const error = o && !o.correct ? 'Not quite.' : undefined
          const description = o?.correctOptionIds
            ? `Correct: ${q.options
                .filter((x) => o.correctOptionIds?.includes(x.id))
                .map((x) => x.text)
                .join(', ')}`
            : undefined
          return q.kind === 'single' ? (
            <Radio.Group
              key={q.id}
              label={label}
              description={description}
              error={error}
              value={answers[q.id]?.[0] ?? null}
              onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: [v] }))}
            >
              <Stack gap={4} mt={4}>
                {q.options.map((opt) => (
                  <Radio key={opt.id} value={opt.id} label={opt.text} />
                ))}
              </Stack>
            </Radio.Group>
          ) : (
            <Checkbox.Group
              key={q.id}
              label={`${label} (choose all that apply)`}
              description={description}
              error={error}
              value={answers[q.id] ?? []}
              onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))}
            >
              <Stack gap={4} mt={4}>
                {q.options.map((opt) => (
                  <Checkbox key={opt.id} value={opt.id} label={opt.text} />
                ))}
              </Stack>
            </Checkbox.Group>
          )
        })}
        {result && (
          <Alert color={result.passed ? 'green' : 'yellow'} role="status" title={result.passed ? 'Passed' : 'Not passed yet'}>
            You scored {result.score}% (pass mark {result.passMark}%).{result.courseCompleted ? ' That completes the course — you are certified!' : ''}
            {!result.passed && ' Review the lesson and try again.'}
          </Alert>
        )}
        <Button type="submit" w="fit-content" loading={submit.isPending} disabled={quiz.questions.some((q) => !answers[q.id]?.length)}>
          {lesson.state === 'done' ? 'Try again' : 'Submit answers'}
        </Button>
      </Stack>
    </form>
  )
}

function PracticeEditor({ lesson }: { lesson: LessonDto }) {
  const [body, setBody] = useState('')
  const submit = useMutation({
    mutationFn: () => coursesApi.submitPractice(lesson.id, body),
    onSuccess: () => {
      setBody('')
      void refreshTraining()
    },
    onError: showError,
  })
  const latest = lesson.latestPractice
  return (
    <Stack mt="md">
      {lesson.practice && (
        <Card withBorder bg="var(--mantine-color-gray-0)">
          <AnonymizedTicket ticket={lesson.practice} />
        </Card>
      )}
      {latest && (
        <Card withBorder>
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              Your last reply
            </Text>
            <Badge color={latest.status === 'passed' ? 'green' : latest.status === 'failed' ? 'red' : 'yellow'}>
              {latest.status === 'pending' ? 'waiting for a grade' : latest.status}
            </Badge>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {latest.text}
          </Text>
          {latest.feedback && (
            <Alert mt="xs" color={latest.status === 'passed' ? 'green' : 'blue'} title={`Feedback from ${latest.grader?.name ?? 'your reviewer'}`}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {latest.feedback}
              </Text>
            </Alert>
          )}
        </Card>
      )}
      {lesson.state === 'todo' && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            submit.mutate()
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Your reply to the customer"
              description="A reviewer compares it with how support really solved this ticket."
              autosize
              minRows={6}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              required
            />
            <Button type="submit" w="fit-content" loading={submit.isPending} disabled={!body.trim()}>
              Send for grading
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  )
}
