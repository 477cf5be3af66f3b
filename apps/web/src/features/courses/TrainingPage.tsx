import type { CourseSummaryDto, RiskLevel } from '@allhands/contract'
import { Badge, Button, Card, Group, Loader, Modal, Progress, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core'
import { IconCertificate, IconPlus } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { showError, useMe } from '../../lib/queries.ts'
import { CLEARANCE_LABEL, coursesApi, isTrainer, percentOf, refreshTraining, useCatalogue, useTrainingLive } from './courses.api.ts'
import { GradePracticeQueue } from './GradePracticeQueue.tsx'
import { CohortDashboard, PersonDashboard } from './TrainingDashboards.tsx'

export type TrainingTab = 'catalogue' | 'progress' | 'grading' | 'dashboards'

/** /training: the course catalogue, your progress, and for trainers the grading queue and dashboards. */
export function TrainingPage() {
  const me = useMe().data
  const trainer = isTrainer(me)
  useTrainingLive(trainer)
  const { tab } = useSearch({ strict: false }) as { tab?: TrainingTab }
  const navigate = useNavigate()
  const current: TrainingTab = tab && (trainer || tab === 'catalogue' || tab === 'progress') ? tab : 'catalogue'
  if (!me) return null
  return (
    <Stack p="md" maw={1200}>
      <Title order={1} size="h3">
        Training
      </Title>
      <Tabs value={current} onChange={(v) => void navigate({ to: '/training', search: { tab: (v ?? 'catalogue') as TrainingTab } })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="catalogue">Courses</Tabs.Tab>
          <Tabs.Tab value="progress">My progress</Tabs.Tab>
          {trainer && <Tabs.Tab value="grading">Grade practice</Tabs.Tab>}
          {trainer && <Tabs.Tab value="dashboards">Dashboards</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="catalogue" pt="md">
          <Catalogue />
        </Tabs.Panel>
        <Tabs.Panel value="progress" pt="md">
          <PersonDashboard userId={me.user.id} />
        </Tabs.Panel>
        {trainer && (
          <Tabs.Panel value="grading" pt="md">
            <GradePracticeQueue />
          </Tabs.Panel>
        )}
        {trainer && (
          <Tabs.Panel value="dashboards" pt="md">
            <CohortDashboard />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  )
}

function Catalogue() {
  const catalogue = useCatalogue()
  const [creating, setCreating] = useState(false)
  if (catalogue.isPending) return <Loader size="sm" aria-label="Loading courses" />
  if (!catalogue.data) return <Text c="red">Courses could not be loaded.</Text>
  const { items, canAuthor } = catalogue.data
  return (
    <Stack>
      {canAuthor && (
        <Group>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New course
          </Button>
        </Group>
      )}
      {items.length === 0 ? (
        <Text c="dimmed">{canAuthor ? 'No courses yet. Create the first one: lessons, a quiz and a practice reply.' : 'No courses are published yet.'}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {items.map((c) => (
            <CourseCard key={c.id} course={c} canAuthor={canAuthor} />
          ))}
        </SimpleGrid>
      )}
      {canAuthor && <NewCourseDialog opened={creating} onClose={() => setCreating(false)} categories={catalogue.data.categories} />}
    </Stack>
  )
}

function CourseCard({ course, canAuthor }: { course: CourseSummaryDto; canAuthor: boolean }) {
  const enroll = useMutation({ mutationFn: () => coursesApi.enroll(course.id), onSuccess: () => void refreshTraining(), onError: showError })
  const pct = course.completedAt ? 100 : percentOf(course.doneCount, course.lessonCount)
  return (
    <Card withBorder component="article" aria-label={course.title}>
      <Group justify="space-between" wrap="nowrap" align="start">
        <RouterAnchor to="/training/courses/$courseId" params={{ courseId: String(course.id) }} fw={600}>
          {course.title}
        </RouterAnchor>
        {!course.published && <Badge color="gray">Draft</Badge>}
        {course.completedAt && (
          <Badge color="green" leftSection={<IconCertificate size={12} aria-hidden />}>
            Certified
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" lineClamp={3} mt={4}>
        {course.description || 'No description.'}
      </Text>
      <Text size="xs" mt="xs">
        {course.lessonCount} lessons · certifies {course.category?.name ?? 'no category'} · grants {CLEARANCE_LABEL[course.grantsClearance].toLowerCase()}
      </Text>
      {course.enrolled && (
        <Stack gap={4} mt="sm">
          <Progress value={pct} aria-label={`${course.title}: ${pct}% complete`} />
          <Text size="xs" c="dimmed">
            {course.doneCount} of {course.lessonCount} done{course.nextLesson ? ` · next: ${course.nextLesson.title}` : ''}
          </Text>
        </Stack>
      )}
      <Group mt="sm" gap="xs">
        {!course.enrolled && course.published && (
          <Button size="xs" onClick={() => enroll.mutate()} loading={enroll.isPending}>
            Enrol
          </Button>
        )}
        {canAuthor && (
          <RouterAnchor to="/training/courses/$courseId/edit" params={{ courseId: String(course.id) }} size="sm">
            Edit
          </RouterAnchor>
        )}
      </Group>
    </Card>
  )
}

function NewCourseDialog({ opened, onClose, categories }: { opened: boolean; onClose: () => void; categories: { id: number; name: string }[] }) {
  const navigate = useNavigate()
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [categoryId, setCategoryId] = useState<string | null>(null)
  const [clearance, setClearance] = useState<RiskLevel>('low')
  const create = useMutation({
    mutationFn: () => coursesApi.create({ title, description, categoryId: Number(categoryId), grantsClearance: clearance }),
    onSuccess: (c) => {
      void refreshTraining()
      onClose()
      void navigate({ to: '/training/courses/$courseId/edit', params: { courseId: String(c.id) } })
    },
    onError: showError,
  })
  return (
    <Modal opened={opened} onClose={onClose} title="New course">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Stack>
          <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} data-autofocus />
          <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <Select
            label="Certifies for category"
            required
            data={categories.map((c) => ({ value: String(c.id), label: c.name }))}
            value={categoryId}
            onChange={setCategoryId}
            nothingFoundMessage="No categories yet"
          />
          <Select
            label="Clearance granted on completion"
            data={(['low', 'medium', 'high'] as const).map((v) => ({ value: v, label: CLEARANCE_LABEL[v] }))}
            value={clearance}
            onChange={(v) => setClearance((v ?? 'low') as RiskLevel)}
            allowDeselect={false}
          />
          <Button type="submit" loading={create.isPending} disabled={!title.trim() || !categoryId}>
            Create and add lessons
          </Button>
        </Stack>
      </form>
    </Modal>
  )
}
