import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useCurrentUser } from '../../lib/queries.ts'
import { RiskBadge } from '../risk/RiskBadge.tsx'
import { queueApi, queueKeys } from './queue.api.ts'

/** What the rotation queue holds for me now (or why nothing): the three oldest tickets and a way in. */
export function QueueHomeCard() {
  const me = useCurrentUser()
  const navigate = useNavigate()
  const queue = useQuery({ queryKey: queueKeys.queue, queryFn: queueApi.queue, staleTime: 30_000, meta: { silent: true } })
  const q = queue.data
  if (!q || (!q.eligible && me.role !== 'contributor')) return null
  return (
    <Card withBorder component="section" aria-labelledby="queue-card-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="queue-card-title">
          Rotation queue
        </Title>
        {q.eligible && <Badge variant="light">{q.items.length >= 50 ? '50+' : q.items.length} waiting for you</Badge>}
      </Group>
      {q.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {q.reason}.
        </Text>
      ) : (
        <Stack gap={6}>
          {q.items.slice(0, 3).map((t) => (
            <Group key={t.id} justify="space-between" wrap="nowrap">
              <Text size="sm" truncate="end">
                #{t.id} {t.subject}
              </Text>
              <RiskBadge level={t.riskLevel} size="xs" />
            </Group>
          ))}
        </Stack>
      )}
      <Button variant="light" mt="sm" onClick={() => void navigate({ to: '/queue' })}>
        Open the queue
      </Button>
    </Card>
  )
}
