import type { MonitoringOverviewDto, WaitingTicketDto } from '@allhands/contract'
import {
  ActionIcon,
  Alert,
  Badge,
  Card,
  Center,
  Group,
  Loader,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { STATUS_COLOR, STATUS_LABEL } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { durationLabel, useMonitoringOverview } from './monitoring.api.ts'

const RISK_COLOR = { low: 'gray', medium: 'orange', high: 'red' } as const
const WINDOWS = [
  { value: '15', label: '15 min' },
  { value: '30', label: '30 min' },
  { value: '60', label: '1 h' },
  { value: '240', label: '4 h' },
]

/** /monitoring: what leads watch — live conversations, waiting customers, reviews, shifts, ride-alongs. Opening it is audited. */
/** The server counts waiting customers up to 1,000 and answers 1,001 beyond. */
const waitingLabel = (n: number) => (n > 1000 ? '1,000+' : n.toLocaleString('en-US'))

export function MonitoringPage() {
  const [windowMinutes, setWindowMinutes] = useState(30)
  const overview = useMonitoringOverview(windowMinutes)
  const data = overview.data

  if (overview.isPending)
    return (
      <Center p="xl">
        <Loader aria-label="Loading the monitoring dashboard" />
      </Center>
    )
  if (overview.isError || !data)
    return (
      <Alert m="md" color="red" title="The monitoring dashboard is not available">
        {overview.error instanceof Error ? overview.error.message : 'Try again later.'}
      </Alert>
    )

  return (
    <Stack p="md" maw={1300}>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h3">
            Monitoring
          </Title>
          <Text size="sm" c="dimmed">
            Opening this dashboard is recorded in the audit log.
          </Text>
        </div>
        <Group gap="sm">
          <UpdatedAgo at={overview.dataUpdatedAt} fetching={overview.isFetching} />
          <Tooltip label="Refresh now">
            <ActionIcon variant="light" onClick={() => void overview.refetch()} aria-label="Refresh now" loading={overview.isFetching}>
              <IconRefresh size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Customers waiting" value={waitingLabel(data.waitingTotal)} />
        <Stat label="Longest wait" value={data.waiting[0] ? durationLabel(data.waiting[0].waitingMs) : '—'} />
        <Stat label="Replies in review" value={data.inReview.length} />
        <Stat label="On shift now" value={data.onShift.length} />
      </SimpleGrid>

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h5">
            Live conversations
          </Title>
          <SegmentedControl size="xs" aria-label="Activity within" data={WINDOWS} value={String(windowMinutes)} onChange={(v) => setWindowMinutes(Number(v))} />
        </Group>
        <LiveConversations data={data} />
      </Card>

      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          Customers waiting for an answer
        </Title>
        <Waiting data={data} />
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">
            Replies waiting for review
          </Title>
          {data.inReview.length === 0 ? (
            <Text size="sm" c="dimmed">
              No reply is waiting for review.
            </Text>
          ) : (
            <Table aria-label="Replies waiting for review">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Ticket</Table.Th>
                  <Table.Th>Author</Table.Th>
                  <Table.Th>Waiting</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.inReview.map((r) => (
                  <Table.Tr key={r.reviewId}>
                    <Table.Td>
                      <TicketLink id={r.ticketId} subject={r.ticketSubject} />
                    </Table.Td>
                    <Table.Td>{r.author.name}</Table.Td>
                    <Table.Td>{durationLabel(r.waitingMs)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">
            On shift now
          </Title>
          {data.onShift.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nobody is on a rotation shift right now.
            </Text>
          ) : (
            <Table aria-label="People on shift now">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Until</Table.Th>
                  <Table.Th>Replies</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.onShift.map((s) => (
                  <Table.Tr key={s.shiftId}>
                    <Table.Td>
                      {s.name}{' '}
                      <Text span size="xs" c="dimmed">
                        {s.role}
                      </Text>
                    </Table.Td>
                    <Table.Td>{new Date(s.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</Table.Td>
                    <Table.Td>{s.reviewRequired ? <Badge color="orange">all reviewed</Badge> : <Badge variant="light">per trust level</Badge>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </SimpleGrid>

      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          Active ride-alongs
        </Title>
        {data.rideAlongs.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nobody is riding along right now.
          </Text>
        ) : (
          <Table aria-label="Active ride-alongs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Follower</Table.Th>
                <Table.Th>Follows</Table.Th>
                <Table.Th>For</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rideAlongs.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.follower.name}</Table.Td>
                  <Table.Td>{r.followed.name}</Table.Td>
                  <Table.Td>{durationLabel(data.generatedAt - r.startedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Text size="xs" c="dimmed">
        Whisper and join for live chats come with the chat channel.
      </Text>
    </Stack>
  )
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  )
}

function UpdatedAgo({ at, fetching }: { at: number; fetching: boolean }) {
  const [, tick] = useState(0)
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(t)
  }, [])
  const seconds = Math.max(0, Math.round((Date.now() - at) / 1000))
  return (
    <Text size="xs" c="dimmed" aria-live="off" data-testid="monitoring-updated">
      {fetching ? 'Updating…' : `Updated ${seconds} s ago`}
    </Text>
  )
}

function TicketLink({ id, subject }: { id: number; subject: string }) {
  return (
    <RouterAnchor size="sm" to="/tickets/$ticketId" params={{ ticketId: String(id) }}>
      #{id} {subject}
    </RouterAnchor>
  )
}

function LiveConversations({ data }: { data: MonitoringOverviewDto }) {
  if (!data.liveConversations.length)
    return (
      <Text size="sm" c="dimmed">
        No conversation had activity in the last {data.windowMinutes} minutes, and nobody has a ticket open.
      </Text>
    )
  return (
    <Table aria-label="Live conversations">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Ticket</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Handled by</Table.Th>
          <Table.Th>In it now</Table.Th>
          <Table.Th>Last activity</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {data.liveConversations.map((c) => (
          <Table.Tr key={c.ticketId}>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <TicketLink id={c.ticketId} subject={c.subject} />
                {c.riskLevel !== 'low' && (
                  <Badge size="xs" color={RISK_COLOR[c.riskLevel]}>
                    {c.riskLevel} risk
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={STATUS_COLOR[c.status]}>
                {STATUS_LABEL[c.status]}
              </Badge>
            </Table.Td>
            <Table.Td>
              {c.assignee?.name ?? (
                <Text span size="sm" c="dimmed">
                  Unassigned
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {c.people.length === 0
                ? '—'
                : c.people.map((p) => (
                    <Badge key={p.userId} size="sm" variant={p.typing ? 'filled' : 'light'} mr={4}>
                      {p.name}
                      {p.typing ? ' (typing)' : ''}
                    </Badge>
                  ))}
            </Table.Td>
            <Table.Td>{durationLabel(data.generatedAt - c.lastMessageAt)} ago</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function Waiting({ data }: { data: MonitoringOverviewDto }) {
  if (!data.waiting.length)
    return (
      <Text size="sm" c="dimmed">
        No customer is waiting for an answer.
      </Text>
    )
  const longest = data.waiting[0]!.waitingMs || 1
  return (
    <Stack gap={6}>
      {data.waitingTotal > data.waiting.length && (
        <Text size="xs" c="dimmed">
          The {data.waiting.length} longest of {waitingLabel(data.waitingTotal)} waiting.
        </Text>
      )}
      <Table aria-label="Customers waiting, longest first">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ticket</Table.Th>
            <Table.Th>Handled by</Table.Th>
            <Table.Th w="40%">Waiting for</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.waiting.map((w) => (
            <WaitingRow key={w.ticketId} w={w} longest={longest} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

function WaitingRow({ w, longest }: { w: WaitingTicketDto; longest: number }) {
  const hours = w.waitingMs / 3600_000
  const color = hours >= 24 ? 'red' : hours >= 4 ? 'orange' : 'teal'
  const label = durationLabel(w.waitingMs)
  return (
    <Table.Tr>
      <Table.Td>
        <TicketLink id={w.ticketId} subject={w.subject} />
      </Table.Td>
      <Table.Td>
        {w.assignee?.name ?? (
          <Text span size="sm" c="dimmed">
            Unassigned
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Progress
            style={{ flex: 1 }}
            value={Math.max(2, (w.waitingMs / longest) * 100)}
            color={color}
            aria-label={`#${w.ticketId} waiting for ${label}`}
            title={`Waiting since ${new Date(w.waitingSince).toLocaleString()}`}
          />
          <Text size="sm" w={90} ta="right">
            {label}
          </Text>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}
