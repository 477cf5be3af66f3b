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
import { useState } from 'react'
import { STATUS_COLOR, STATUS_LABEL } from '../../lib/format.ts'
import { CardTable, Stat, TicketLink, UpdatedAgo } from '../common/LiveParts.tsx'
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
          <UpdatedAgo at={overview.dataUpdatedAt} fetching={overview.isFetching} testId="monitoring-updated" />
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
        <CardTable
          title="Replies waiting for review"
          caption="Held replies, oldest first"
          empty="No reply is waiting for review."
          columns={[{ label: 'Ticket' }, { label: 'Author' }, { label: 'Waiting' }]}
          rows={data.inReview}
          rowKey={(r) => r.reviewId}
          cells={(r) => [<TicketLink key="t" id={r.ticketId} subject={r.ticketSubject} />, r.author.name, durationLabel(r.waitingMs)]}
        />
        <CardTable
          title="On shift now"
          caption="People with a shift running now"
          empty="Nobody is on a rotation shift right now."
          columns={[{ label: 'Person' }, { label: 'Until' }, { label: 'Replies' }]}
          rows={data.onShift}
          rowKey={(s) => s.shiftId}
          cells={(s) => [
            <>
              {s.name}{' '}
              <Text span size="xs" c="dimmed">
                {s.role}
              </Text>
            </>,
            new Date(s.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
            s.reviewRequired ? (
              <Badge key="r" color="orange">
                all reviewed
              </Badge>
            ) : (
              <Badge key="r" variant="light">
                per trust level
              </Badge>
            ),
          ]}
        />
      </SimpleGrid>

      <CardTable
        title="Active ride-alongs"
        caption="Who follows whom right now"
        empty="Nobody is riding along right now."
        columns={[{ label: 'Follower' }, { label: 'Follows' }, { label: 'For' }]}
        rows={data.rideAlongs}
        rowKey={(r) => r.id}
        cells={(r) => [r.follower.name, r.followed.name, durationLabel(data.generatedAt - r.startedAt)]}
      />
      <Text size="xs" c="dimmed">
        Whisper and join for live chats come with the chat channel.
      </Text>
    </Stack>
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
