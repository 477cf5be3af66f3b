import { Badge, Card, Group, Loader, Progress, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { useMe } from '../../lib/queries.ts'
import { courseKeys, coursesApi, isTrainer, percentOf, useCatalogue, useTrainingLive } from './courses.api.ts'

/** Home: the courses you are taking, how far you are, and the next lesson. */
export function TrainingHomeCard() {
  const trainer = isTrainer(useMe().data)
  useTrainingLive(trainer)
  const catalogue = useCatalogue()
  const toGrade = useQuery({ queryKey: courseKeys.queue('pending'), queryFn: () => coursesApi.practiceQueue('pending'), enabled: trainer })
  const waiting = toGrade.data?.items.length ?? 0
  const enrolled = (catalogue.data?.items ?? []).filter((c) => c.enrolled)
  const active = enrolled.filter((c) => !c.completedAt)
  const certified = enrolled.filter((c) => c.completedAt).length
  return (
    <Card withBorder component="section" aria-label="Your training">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Your training
        </Title>
        {certified > 0 && <Badge color="green">{certified} completed</Badge>}
      </Group>
      {catalogue.isPending ? (
        <Loader size="sm" aria-label="Loading your training" />
      ) : active.length === 0 ? (
        <Text size="sm" c="dimmed">
          {enrolled.length ? 'All your courses are done. ' : 'You are not taking a course. '}
          Courses certify you for more kinds of tickets.
        </Text>
      ) : (
        <Stack gap="sm">
          {active.slice(0, 4).map((c) => {
            const pct = percentOf(c.doneCount, c.lessonCount)
            return (
              <div key={c.id}>
                <Group justify="space-between" wrap="nowrap">
                  <RouterAnchor to="/training/courses/$courseId" params={{ courseId: String(c.id) }} size="sm" fw={600} lineClamp={1}>
                    {c.title}
                  </RouterAnchor>
                  <Text size="xs" c="dimmed">
                    {pct}%
                  </Text>
                </Group>
                <Progress value={pct} size="sm" aria-label={`${c.title}: ${pct}% complete`} />
                {c.nextLesson && (
                  <Text size="xs" c="dimmed" mt={2}>
                    Next: {c.nextLesson.title}
                  </Text>
                )}
              </div>
            )
          })}
        </Stack>
      )}
      {waiting > 0 && (
        <RouterAnchor to="/training" search={{ tab: 'grading' }} size="sm" mt="sm" display="block">
          {waiting} practice {waiting === 1 ? 'reply' : 'replies'} to grade
        </RouterAnchor>
      )}
      <RouterAnchor to="/training" size="sm" mt="sm" display="block">
        All courses
      </RouterAnchor>
    </Card>
  )
}
