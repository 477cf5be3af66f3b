import { Badge, Button, Card, Grid, Group, Loader, NavLink, Paper, SegmentedControl, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { showError } from '../../lib/queries.ts'
import { AnonymizedTicket } from './AnonymizedTicket.tsx'
import { courseKeys, coursesApi, refreshTraining } from './courses.api.ts'

type Status = 'pending' | 'passed' | 'failed'

/** Reviewers grade practice replies: the learner's reply beside the anonymized question and the real resolution. */
export function GradePracticeQueue() {
  const [status, setStatus] = useState<Status>('pending')
  const [selected, setSelected] = useState<number | null>(null)
  const queue = useQuery({ queryKey: courseKeys.queue(status), queryFn: () => coursesApi.practiceQueue(status) })
  const items = queue.data?.items ?? []
  const current = selected !== null && items.some((a) => a.id === selected) ? selected : (items[0]?.id ?? null)
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <SegmentedControl
            aria-label="Which practice replies"
            value={status}
            onChange={(v) => setStatus(v as Status)}
            data={[
              { value: 'pending', label: 'To grade' },
              { value: 'passed', label: 'Passed' },
              { value: 'failed', label: 'Failed' },
            ]}
          />
          {queue.isPending ? (
            <Loader size="sm" aria-label="Loading practice replies" />
          ) : items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {status === 'pending' ? 'Nothing to grade. Practice replies from learners appear here.' : 'None yet.'}
            </Text>
          ) : (
            <nav aria-label="Practice replies">
              {items.map((a) => (
                <NavLink
                  key={a.id}
                  component="button"
                  active={a.id === current}
                  label={a.lessonTitle}
                  description={`${a.learner.name} · ${new Date(a.createdAt).toLocaleString()}`}
                  onClick={() => setSelected(a.id)}
                  aria-current={a.id === current ? 'true' : undefined}
                />
              ))}
            </nav>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>{current !== null && <GradingPanel key={current} attemptId={current} />}</Grid.Col>
    </Grid>
  )
}

function GradingPanel({ attemptId }: { attemptId: number }) {
  const grading = useQuery({ queryKey: courseKeys.grading(attemptId), queryFn: () => coursesApi.grading(attemptId) })
  const [feedback, setFeedback] = useState('')
  const grade = useMutation({
    mutationFn: (passed: boolean) => coursesApi.grade(attemptId, { passed, feedback }),
    onSuccess: (a) => {
      notifications.show({ color: a.status === 'passed' ? 'green' : 'yellow', message: `Graded: ${a.status}` })
      setFeedback('')
      void refreshTraining()
    },
    onError: showError,
  })
  if (grading.isPending) return <Loader size="sm" aria-label="Loading the practice reply" />
  if (!grading.data) return <Text c="red">This practice reply could not be loaded.</Text>
  const { attempt, ticket, resolution, sourceTicketId } = grading.data
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {attempt.lessonTitle} — {attempt.learner.name}
        </Title>
        <Badge color={attempt.status === 'passed' ? 'green' : attempt.status === 'failed' ? 'red' : 'yellow'}>{attempt.status}</Badge>
      </Group>
      <Card withBorder>
        <Text fw={600} size="sm" mb="xs">
          The customer wrote (anonymized)
        </Text>
        <AnonymizedTicket ticket={ticket} />
      </Card>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="sm" component="section" aria-label="Learner's reply">
          <Text fw={600} size="sm" mb="xs">
            Learner's reply
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {attempt.text}
          </Text>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-label="Real resolution">
          <Group justify="space-between" mb="xs">
            <Text fw={600} size="sm">
              What support actually replied
            </Text>
            {sourceTicketId !== null && (
              <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(sourceTicketId) }} size="xs">
                Ticket #{sourceTicketId}
              </RouterAnchor>
            )}
          </Group>
          {resolution.length === 0 ? (
            <Text size="sm" c="dimmed">
              The source ticket is gone; grade on the reply alone.
            </Text>
          ) : (
            <Stack gap="xs">
              {resolution.map((r) => (
                <div key={`${r.createdAt}-${r.text.slice(0, 20)}`}>
                  <Text size="xs" c="dimmed">
                    {r.author}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {r.text}
                  </Text>
                </div>
              ))}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
      {attempt.status === 'pending' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            grade.mutate(true)
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Feedback for the learner"
              description="What was good, what to change. They see it beside their reply."
              required
              autosize
              minRows={3}
              value={feedback}
              onChange={(e) => setFeedback(e.currentTarget.value)}
            />
            <Group>
              <Button type="submit" color="green" disabled={!feedback.trim()} loading={grade.isPending && grade.variables === true}>
                Pass
              </Button>
              <Button
                color="red"
                variant="light"
                disabled={!feedback.trim()}
                loading={grade.isPending && grade.variables === false}
                onClick={() => grade.mutate(false)}
              >
                Ask to try again
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Card withBorder>
          <Text size="sm" fw={600}>
            Feedback by {attempt.grader?.name ?? 'a reviewer'}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {attempt.feedback}
          </Text>
        </Card>
      )}
    </Stack>
  )
}
