import type { QueueTicketDto } from '@allhands/contract'
import { Alert, Badge, Button, Card, Group, Kbd, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconHandGrab, IconInfoCircle } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useEffect } from 'react'
import { ApiError } from '../../lib/api.ts'
import { fullTime, PRIORITY_COLOR, PRIORITY_LABEL, relativeTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { RiskBadge } from '../risk/RiskBadge.tsx'
import { useCategories } from '../risk/risk.api.ts'
import { queueApi, queueKeys } from './queue.api.ts'

/**
 * The rotation queue: waiting tickets the signed-in person may take (within their clearance and, for
 * contributors, while on shift and in certified categories), oldest first. "Take next" (or `t`) claims
 * the oldest one; the list updates live as others take tickets or new ones become offerable.
 */
export function QueuePage() {
  const navigate = useNavigate()
  const queue = useQuery({ queryKey: queueKeys.queue, queryFn: queueApi.queue, refetchInterval: 30_000 })
  const categories = useCategories()
  useRoom('queue')
  useEffect(() => {
    // A busy desk sends many changes a second: refresh at most once per second.
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = realtime.onEvent((e) => {
      if (e.name !== 'queue.changed' || timer) return
      timer = setTimeout(() => {
        timer = null
        void queryClient.invalidateQueries({ queryKey: queueKeys.queue })
      }, 1000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [])
  const open = (ticketId: number) => {
    void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
    void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(ticketId) } })
  }
  const takeNext = useMutation({
    mutationFn: queueApi.next,
    onSuccess: (r) => {
      if (r.ticket) return open(r.ticket.id)
      notifications.show({ message: r.reason ?? 'Nothing to take right now' })
      void queryClient.invalidateQueries({ queryKey: queueKeys.queue })
    },
  })
  const claim = useMutation({
    mutationFn: (id: number) => queueApi.claim(id),
    meta: { silent: true },
    onSuccess: (t) => open(t.id),
    onError: (err) => {
      notifications.show({ color: err instanceof ApiError && err.status === 409 ? 'yellow' : 'red', message: err.message })
      void queryClient.invalidateQueries({ queryKey: queueKeys.queue })
    },
  })
  const q = queue.data
  const canTake = !!q?.eligible && q.items.length > 0 && !takeNext.isPending
  useShortcuts({ t: () => canTake && takeNext.mutate() })
  const categoryName = (id: number | null) => (id === null ? 'Uncategorised' : (categories.data?.find((c) => c.id === id)?.name ?? `#${id}`))

  return (
    <Stack p="md" maw={1100}>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h3">
            Rotation queue
          </Title>
          <Text size="sm" c="dimmed">
            Waiting tickets you may take, oldest first.
            {q?.onShiftUntil ? ` You are on shift until ${new Date(q.onShiftUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.` : ''}
          </Text>
        </div>
        <Button
          leftSection={<IconHandGrab size={16} aria-hidden />}
          rightSection={<Kbd size="xs">t</Kbd>}
          onClick={() => takeNext.mutate()}
          disabled={!canTake}
          loading={takeNext.isPending}
          aria-keyshortcuts="t"
        >
          Take next
        </Button>
      </Group>
      {queue.isLoading && <Loader size="sm" aria-label="Loading the queue" />}
      {queue.isError && <Alert color="red">The queue could not be loaded. It refreshes by itself; try again in a moment.</Alert>}
      {q && !q.eligible && (
        <Alert icon={<IconInfoCircle aria-hidden />} title="Nothing is offered to you right now" color="blue">
          {q.reason}. Once your shift starts, tickets within your clearance appear here.
        </Alert>
      )}
      {q?.eligible && q.items.length === 0 && (
        <Card withBorder p="xl" ta="center" role="status">
          <Text fw={500}>The queue is empty for you</Text>
          <Text size="sm" c="dimmed" mt={4}>
            {q.reason}. Riskier tickets and categories you are not certified for stay with the support team; certifications in Training widen what you are
            offered.
          </Text>
        </Card>
      )}
      {q?.eligible && q.items.length > 0 && (
        <Table highlightOnHover aria-label="Tickets you may take" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Ticket</Table.Th>
              <Table.Th>Risk</Table.Th>
              <Table.Th>Category</Table.Th>
              <Table.Th>Priority</Table.Th>
              <Table.Th>Waiting</Table.Th>
              <Table.Th>
                <VisuallyHidden>Take</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.items.map((t) => (
              <QueueRow
                key={t.id}
                ticket={t}
                category={categoryName(t.categoryId)}
                onTake={() => claim.mutate(t.id)}
                taking={claim.isPending && claim.variables === t.id}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

function QueueRow({ ticket: t, category, onTake, taking }: { ticket: QueueTicketDto; category: string; onTake: () => void; taking: boolean }) {
  return (
    <Table.Tr>
      <Table.Td maw={420}>
        <Text size="sm" fw={500} truncate="end">
          #{t.id} {t.subject}
        </Text>
        <Text size="xs" c="dimmed" lineClamp={1}>
          {t.preview}
        </Text>
      </Table.Td>
      <Table.Td>
        <RiskBadge level={t.riskLevel} size="sm" />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{category}</Text>
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={PRIORITY_COLOR[t.priority]}>
          {PRIORITY_LABEL[t.priority]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={fullTime(t.createdAt)}>
          {relativeTime(t.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" onClick={onTake} loading={taking} aria-label={`Take #${t.id} ${t.subject}`}>
          Take
        </Button>
      </Table.Td>
    </Table.Tr>
  )
}
