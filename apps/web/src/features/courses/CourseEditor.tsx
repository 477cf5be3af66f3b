import type { AuthoringCourseDto, AuthoringLessonDto, LessonKind, QuizInput, RiskLevel } from '@allhands/contract'
import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { EditDeleteButtons, MoveButtons, movedIds } from '../../lib/row-actions.tsx'
import { isAdmin, queryClient, showError, useMe, useTeams, useUsers } from '../../lib/queries.ts'
import { AnonymizedTicket } from './AnonymizedTicket.tsx'
import { CLEARANCE_LABEL, courseKeys, coursesApi, refreshTraining, useCatalogue, useTrainingLive } from './courses.api.ts'
import { emptyQuiz, QuizEditor, quizProblem } from './QuizEditor.tsx'

const KIND_LABEL = { lesson: 'Lesson', quiz: 'Quiz', practice: 'Practice reply' } as const

/** /training/courses/:id/edit — authors edit the course, its lessons and their order; admins enrol people. */
export function CourseEditor() {
  const { courseId } = useParams({ strict: false }) as { courseId: string }
  const id = Number(courseId)
  useTrainingLive(true)
  const course = useQuery({ queryKey: courseKeys.authoring(id), queryFn: () => coursesApi.authoring(id), retry: false })
  const me = useMe().data
  const [editing, setEditing] = useState<number | 'new' | null>(null)
  const saved = (c: AuthoringCourseDto) => {
    queryClient.setQueryData(courseKeys.authoring(id), c)
    void refreshTraining()
  }
  const reorder = useMutation({ mutationFn: (ids: number[]) => coursesApi.reorder(id, ids), onSuccess: saved, onError: showError })
  const remove = useMutation({ mutationFn: (lessonId: number) => coursesApi.deleteLesson(lessonId), onSuccess: saved, onError: showError })
  if (course.isPending) return <Loader m="md" size="sm" aria-label="Loading the course" />
  if (!course.data)
    return (
      <Text m="md" c="red">
        You cannot edit this course, or it does not exist.
      </Text>
    )
  const c = course.data
  return (
    <Stack p="md" maw={1000}>
      <Group justify="space-between">
        <RouterAnchor to="/training" size="sm">
          ← Training
        </RouterAnchor>
        <RouterAnchor to="/training/courses/$courseId" params={{ courseId }} size="sm">
          Preview as a learner
        </RouterAnchor>
      </Group>
      <Title order={1} size="h3">
        Edit course
      </Title>
      <CourseDetails course={c} onSaved={saved} />
      <Card withBorder component="section" aria-label="Lessons">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            Lessons
          </Title>
          <Button size="xs" onClick={() => setEditing('new')} disabled={editing === 'new'}>
            Add a lesson
          </Button>
        </Group>
        {c.lessons.length === 0 && editing !== 'new' && (
          <Text size="sm" c="dimmed">
            No lessons yet. A good course has a lesson or two, a quiz, and a practice reply on a real solved ticket.
          </Text>
        )}
        <Stack gap="xs">
          {c.lessons.map((l, i) =>
            editing === l.id ? (
              <LessonForm key={l.id} courseId={id} lesson={l} onDone={() => setEditing(null)} onSaved={saved} />
            ) : (
              <Group key={l.id} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {i + 1}. {l.title}{' '}
                  <Text span size="xs" c="dimmed">
                    · {KIND_LABEL[l.kind]}
                  </Text>
                </Text>
                <Group gap={4} wrap="nowrap">
                  <MoveButtons
                    name={l.title}
                    index={i}
                    count={c.lessons.length}
                    disabled={reorder.isPending}
                    onMove={(by) => reorder.mutate(movedIds(c.lessons, i, by))}
                  />
                  <EditDeleteButtons
                    name={l.title}
                    onEdit={() => setEditing(l.id)}
                    onDelete={() => {
                      if (window.confirm(`Delete "${l.title}"? Progress on it is lost.`)) remove.mutate(l.id)
                    }}
                  />
                </Group>
              </Group>
            ),
          )}
          {editing === 'new' && <LessonForm courseId={id} onDone={() => setEditing(null)} onSaved={saved} />}
        </Stack>
      </Card>
      {isAdmin(me?.user.role) && <EnrollPeople courseId={id} />}
    </Stack>
  )
}

function CourseDetails({ course, onSaved }: { course: AuthoringCourseDto; onSaved: (c: AuthoringCourseDto) => void }) {
  const categories = useCatalogue().data?.categories ?? []
  const navigate = useNavigate()
  const [title, setTitle] = useState(course.title)
  const [description, setDescription] = useState(course.description)
  const [categoryId, setCategoryId] = useState<string | null>(course.category ? String(course.category.id) : null)
  const [clearance, setClearance] = useState<RiskLevel>(course.grantsClearance)
  const [published, setPublished] = useState(course.published)
  useEffect(() => setPublished(course.published), [course.published])
  const save = useMutation({
    mutationFn: () =>
      coursesApi.update(course.id, { title, description, grantsClearance: clearance, published, ...(categoryId ? { categoryId: Number(categoryId) } : {}) }),
    onSuccess: (c) => {
      onSaved(c)
      notifications.show({ color: 'green', message: 'Course saved' })
    },
    onError: showError,
  })
  const remove = useMutation({
    mutationFn: () => coursesApi.remove(course.id),
    onSuccess: () => {
      void refreshTraining()
      void navigate({ to: '/training' })
    },
    onError: showError,
  })
  return (
    <Card
      withBorder
      component="form"
      aria-label="Course details"
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate()
      }}
    >
      <Stack>
        <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        <Group grow>
          <Select
            label="Certifies for category"
            required
            data={categories.map((x) => ({ value: String(x.id), label: x.name }))}
            value={categoryId}
            onChange={setCategoryId}
          />
          <Select
            label="Clearance granted"
            allowDeselect={false}
            data={(['low', 'medium', 'high'] as const).map((v) => ({ value: v, label: CLEARANCE_LABEL[v] }))}
            value={clearance}
            onChange={(v) => setClearance((v ?? 'low') as RiskLevel)}
          />
        </Group>
        <Switch label="Published (learners can see and enrol)" checked={published} onChange={(e) => setPublished(e.currentTarget.checked)} />
        <Group justify="space-between">
          <Button type="submit" loading={save.isPending} disabled={!title.trim()}>
            Save
          </Button>
          <Button
            variant="subtle"
            color="red"
            loading={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete the course "${course.title}" and everyone's progress on it? Certifications already earned stay.`)) remove.mutate()
            }}
          >
            Delete course
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}

function LessonForm({
  courseId,
  lesson,
  onDone,
  onSaved,
}: {
  courseId: number
  lesson?: AuthoringLessonDto
  onDone: () => void
  onSaved: (c: AuthoringCourseDto) => void
}) {
  const [kind, setKind] = useState<LessonKind>(lesson?.kind ?? 'lesson')
  const [title, setTitle] = useState(lesson?.title ?? '')
  const [body, setBody] = useState(lesson?.body ?? '')
  const [quiz, setQuiz] = useState<QuizInput>(lesson?.quiz ?? emptyQuiz())
  const [ticketId, setTicketId] = useState<number | string>(lesson?.practiceTicketId ?? '')
  const problem = kind === 'quiz' ? quizProblem(quiz) : kind === 'practice' && typeof ticketId !== 'number' ? 'Choose the solved ticket to practise on' : null
  const save = useMutation({
    mutationFn: () => {
      const input = {
        kind,
        title,
        body,
        ...(kind === 'quiz' ? { quiz } : {}),
        ...(kind === 'practice' && typeof ticketId === 'number' ? { practiceTicketId: ticketId } : {}),
      }
      return lesson ? coursesApi.updateLesson(lesson.id, input) : coursesApi.addLesson(courseId, input)
    },
    onSuccess: (c) => {
      onSaved(c)
      onDone()
    },
    onError: showError,
  })
  return (
    <Card
      withBorder
      bg="var(--mantine-color-gray-0)"
      component="form"
      aria-label={lesson ? `Edit ${lesson.title}` : 'New lesson'}
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate()
      }}
    >
      <Stack>
        <SegmentedControl
          aria-label="Lesson kind"
          value={kind}
          onChange={(v) => setKind(v as LessonKind)}
          data={(['lesson', 'quiz', 'practice'] as const).map((k) => ({ value: k, label: KIND_LABEL[k] }))}
          w="fit-content"
        />
        <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} data-autofocus />
        <Textarea
          label={kind === 'lesson' ? 'Text (markdown)' : 'Instructions (markdown)'}
          description="Headings (#), **bold**, lists and links are supported."
          autosize
          minRows={kind === 'lesson' ? 8 : 3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {kind === 'quiz' && <QuizEditor value={quiz} onChange={setQuiz} />}
        {kind === 'practice' && (
          <Stack gap="xs">
            <NumberInput
              label="Solved ticket to practise on (ticket number)"
              description="A solved ticket in the course's category. Learners only ever see an anonymized copy."
              min={1}
              allowDecimal={false}
              value={ticketId}
              onChange={setTicketId}
              w={320}
            />
            {lesson?.practice && lesson.practiceTicketId === ticketId && (
              <Card withBorder>
                <Text size="xs" c="dimmed" mb="xs">
                  What learners see:
                </Text>
                <AnonymizedTicket ticket={lesson.practice} />
              </Card>
            )}
          </Stack>
        )}
        {problem && (
          <Alert color="yellow" p="xs">
            {problem}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!title.trim() || problem !== null}>
            {lesson ? 'Save lesson' : 'Add lesson'}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}

function EnrollPeople({ courseId }: { courseId: number }) {
  const users = useUsers().data ?? []
  const teams = useTeams().data ?? []
  const [userIds, setUserIds] = useState<string[]>([])
  const [teamId, setTeamId] = useState<string | null>(null)
  const enroll = useMutation({
    mutationFn: () => coursesApi.enroll(courseId, { userIds: userIds.map(Number), ...(teamId ? { teamId: Number(teamId) } : {}) }),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `${r.enrolledUserIds.length} ${r.enrolledUserIds.length === 1 ? 'person' : 'people'} enrolled` })
      setUserIds([])
      setTeamId(null)
      void refreshTraining()
    },
    onError: showError,
  })
  return (
    <Card
      withBorder
      component="form"
      aria-label="Enrol people"
      onSubmit={(e) => {
        e.preventDefault()
        enroll.mutate()
      }}
    >
      <Title order={2} size="h4" mb="xs">
        Enrol people
      </Title>
      <Group align="end">
        <MultiSelect
          label="People"
          searchable
          data={users.filter((u) => u.isActive).map((u) => ({ value: String(u.id), label: u.name }))}
          value={userIds}
          onChange={setUserIds}
          w={320}
        />
        <Select
          label="Or a whole team"
          clearable
          data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
          value={teamId}
          onChange={setTeamId}
          w={220}
        />
        <Button type="submit" loading={enroll.isPending} disabled={!userIds.length && !teamId}>
          Enrol
        </Button>
      </Group>
    </Card>
  )
}
