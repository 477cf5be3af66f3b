import type { CohortQuery, Role } from '@allhands/contract'
import { ActionIcon, Badge, Button, Card, Group, Loader, Modal, Progress, Select, Stack, Table, Text, Title, Tooltip, UnstyledButton } from '@mantine/core'
import { IconX } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { isAdmin, showError, useMe, useTeams } from '../../lib/queries.ts'
import { courseKeys, coursesApi, refreshTraining, useCatalogue } from './courses.api.ts'

/** One person's training: each course's progress, best quiz scores, and certifications (admins grant and revoke). */
export function PersonDashboard({ userId }: { userId: number }) {
  const me = useMe().data
  const person = useQuery({ queryKey: courseKeys.person(userId), queryFn: () => coursesApi.person(userId) })
  if (person.isPending) return <Loader size="sm" aria-label="Loading progress" />
  if (!person.data) return <Text c="red">Progress could not be loaded.</Text>
  const { user, courses, certifications } = person.data
  const admin = isAdmin(me?.user.role)
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {user.name} · clearance {user.clearance} · trust level {user.trustLevel}
      </Text>
      <Card withBorder component="section" aria-label="Courses">
        <Title order={3} size="h5" mb="xs">
          Courses
        </Title>
        {courses.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not enrolled in any course yet. Pick one from the catalogue.
          </Text>
        ) : (
          <Stack>
            {courses.map((c) => (
              <div key={c.courseId}>
                <Group justify="space-between">
                  <Text size="sm" fw={600}>
                    {c.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.completedAt ? `completed ${new Date(c.completedAt).toLocaleDateString()}` : `${c.doneCount} of ${c.lessonCount} lessons`}
                  </Text>
                </Group>
                <Progress value={c.percent} color={c.completedAt ? 'green' : undefined} aria-label={`${c.title}: ${c.percent}% complete`} />
                {c.quizScores.length > 0 && (
                  <Text size="xs" c="dimmed" mt={2}>
                    Quizzes: {c.quizScores.map((q) => `${q.title} ${q.bestScore}% (${q.attempts} ${q.attempts === 1 ? 'try' : 'tries'})`).join(' · ')}
                  </Text>
                )}
              </div>
            ))}
          </Stack>
        )}
      </Card>
      <Card withBorder component="section" aria-label="Certifications">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h5">
            Certifications
          </Title>
          {admin && <GrantCertification userId={user.id} has={certifications.map((c) => c.category.id)} />}
        </Group>
        {certifications.length === 0 ? (
          <Text size="sm" c="dimmed">
            No certifications yet. Completing a course certifies its category.
          </Text>
        ) : (
          <Group gap="xs">
            {certifications.map((c) => (
              <Badge
                key={c.category.id}
                color={c.source === 'course' ? 'green' : 'blue'}
                variant="light"
                rightSection={admin ? <RevokeButton userId={user.id} categoryId={c.category.id} name={c.category.name} /> : undefined}
              >
                {c.category.name} · {c.source === 'course' ? 'course' : `granted by ${c.grantedBy?.name ?? 'an admin'}`}
              </Badge>
            ))}
          </Group>
        )}
      </Card>
    </Stack>
  )
}

function RevokeButton({ userId, categoryId, name }: { userId: number; categoryId: number; name: string }) {
  const revoke = useMutation({ mutationFn: () => coursesApi.revoke(userId, categoryId), onSuccess: () => void refreshTraining(), onError: showError })
  return (
    <Tooltip label={`Revoke ${name}`}>
      <ActionIcon size="xs" variant="transparent" aria-label={`Revoke the ${name} certification`} onClick={() => revoke.mutate()} loading={revoke.isPending}>
        <IconX size={12} aria-hidden />
      </ActionIcon>
    </Tooltip>
  )
}

function GrantCertification({ userId, has }: { userId: number; has: number[] }) {
  const categories = useCatalogue().data?.categories ?? []
  const [categoryId, setCategoryId] = useState<string | null>(null)
  const grant = useMutation({
    mutationFn: () => coursesApi.grant(userId, Number(categoryId)),
    onSuccess: () => {
      setCategoryId(null)
      void refreshTraining()
    },
    onError: showError,
  })
  const options = categories.filter((c) => !has.includes(c.id)).map((c) => ({ value: String(c.id), label: c.name }))
  return (
    <Group gap="xs">
      <Select aria-label="Category to certify" placeholder="Grant a category…" size="xs" data={options} value={categoryId} onChange={setCategoryId} w={200} />
      <Button size="xs" variant="light" disabled={!categoryId} loading={grant.isPending} onClick={() => grant.mutate()}>
        Grant
      </Button>
    </Group>
  )
}

const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'contributor', label: 'Contributors' },
  { value: 'agent', label: 'Agents' },
  { value: 'admin', label: 'Admins' },
  { value: 'owner', label: 'Owners' },
]

/** A team's or role's training: per course and per person, with bars; click a person for their detail. */
export function CohortDashboard() {
  const teams = useTeams().data ?? []
  const courses = useCatalogue().data?.items ?? []
  const [cohort, setCohort] = useState<string>('role:contributor')
  const [courseId, setCourseId] = useState<string | null>(null)
  const [person, setPerson] = useState<{ id: number; name: string } | null>(null)
  const [kind, value] = cohort.split(':') as ['team' | 'role', string]
  const query: CohortQuery = {
    ...(kind === 'team' ? { teamId: Number(value) } : { role: value as Role }),
    ...(courseId ? { courseId: Number(courseId) } : {}),
  }
  const data = useQuery({ queryKey: courseKeys.cohort(query), queryFn: () => coursesApi.cohort(query) })
  return (
    <Stack>
      <Group>
        <Select
          label="Cohort"
          allowDeselect={false}
          value={cohort}
          onChange={(v) => setCohort(v ?? 'role:contributor')}
          data={[
            { group: 'Role', items: ROLE_OPTIONS.map((r) => ({ value: `role:${r.value}`, label: r.label })) },
            { group: 'Team', items: teams.map((t) => ({ value: `team:${t.id}`, label: t.name })) },
          ]}
          w={240}
        />
        <Select
          label="Course"
          placeholder="All courses"
          clearable
          value={courseId}
          onChange={setCourseId}
          data={courses.map((c) => ({ value: String(c.id), label: c.title }))}
          w={240}
        />
      </Group>
      {data.isPending ? (
        <Loader size="sm" aria-label="Loading the dashboard" />
      ) : !data.data ? (
        <Text c="red">The dashboard could not be loaded.</Text>
      ) : (
        <>
          <Card withBorder component="section" aria-label="Per course">
            <Title order={3} size="h5" mb="xs">
              Per course
            </Title>
            {data.data.courses.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nobody in this cohort is enrolled yet.
              </Text>
            ) : (
              <Stack gap="sm">
                {data.data.courses.map((c) => (
                  <div key={c.courseId}>
                    <Group justify="space-between">
                      <Text size="sm" fw={600}>
                        {c.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {c.completed} of {c.enrolled} completed · average {c.averagePercent}%
                      </Text>
                    </Group>
                    <Progress.Root size="lg" aria-label={`${c.title}: ${c.completed} of ${c.enrolled} completed, average ${c.averagePercent}%`}>
                      <Progress.Section value={c.enrolled ? (100 * c.completed) / c.enrolled : 0} color="green" />
                      <Progress.Section value={Math.max(0, c.averagePercent - (c.enrolled ? (100 * c.completed) / c.enrolled : 0))} color="blue" />
                    </Progress.Root>
                  </div>
                ))}
              </Stack>
            )}
          </Card>
          <Card withBorder component="section" aria-label="Per person">
            <Title order={3} size="h5" mb="xs">
              Per person
            </Title>
            {data.data.people.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nobody in this cohort.
              </Text>
            ) : (
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Person</Table.Th>
                    <Table.Th>Enrolled</Table.Th>
                    <Table.Th>Completed</Table.Th>
                    <Table.Th w="30%">Progress</Table.Th>
                    <Table.Th>Quiz average</Table.Th>
                    <Table.Th>Certified for</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.data.people.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>
                        <UnstyledButton onClick={() => setPerson({ id: p.id, name: p.name })} td="underline">
                          {p.name}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>{p.enrolled}</Table.Td>
                      <Table.Td>{p.completed}</Table.Td>
                      <Table.Td>
                        <Progress value={p.percent} aria-label={`${p.name}: ${p.percent}%`} />
                      </Table.Td>
                      <Table.Td>{p.averageQuizScore === null ? '—' : `${p.averageQuizScore}%`}</Table.Td>
                      <Table.Td>{p.certifications.join(', ') || '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </>
      )}
      <Modal opened={person !== null} onClose={() => setPerson(null)} title={person ? `Training of ${person.name}` : ''} size="lg">
        {person && <PersonDashboard userId={person.id} />}
      </Modal>
    </Stack>
  )
}
