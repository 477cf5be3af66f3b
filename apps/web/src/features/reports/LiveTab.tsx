import type { LiveDashboardDto } from '@allhands/contract'
import { BarChart } from '@mantine/charts'
import { ActionIcon, Badge, Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { STATUS_LABEL } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { CardTable, Stat, TicketLink, UpdatedAgo } from '../common/LiveParts.tsx'
import { durationLabel } from '../monitoring/monitoring.api.ts'
import { useLiveDashboard } from './reports.api.ts'
import { cappedCount } from './reports.format.ts'
import { AccessibleChart, NO_SHRINK, ErrorState, LoadingBlock } from './ReportParts.tsx'

/** The state of support right now, refreshed every 15 s and soon after tickets, reviews, consults or shifts change. */
export function LiveTab() {
  const live = useLiveDashboard()
  const data = live.data
  if (live.isError && !data) return <ErrorState error={live.error} />
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          The whole workspace, right now.
        </Text>
        <Group gap="sm">
          <UpdatedAgo at={live.dataUpdatedAt} fetching={live.isFetching} testId="live-updated" />
          <Tooltip label="Refresh now">
            <ActionIcon variant="light" onClick={() => void live.refetch()} aria-label="Refresh now" loading={live.isFetching}>
              <IconRefresh size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      {!data ? <LoadingBlock label="Loading the live dashboard" rows={6} height={40} /> : <LiveDashboard data={data} />}
    </Stack>
  )
}

function LiveDashboard({ data }: { data: LiveDashboardDto }) {
  const open = data.openByStatus.reduce((a, s) => a + Math.min(s.count, data.countCap), 0)
  const capped = data.openByStatus.some((s) => s.count > data.countCap)
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Open now" value={`${open.toLocaleString('en-US')}${capped ? '+' : ''}`} />
        <Stat label="Customers waiting" value={cappedCount(data.waitingTotal, data.waitingCap)} />
        <Stat label="Longest wait" value={data.waiting[0] ? durationLabel(data.waiting[0].waitingMs) : '—'} />
        <Stat label="On shift now" value={String(data.onShift.length)} />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder component="section" aria-label="Open tickets by status">
          <Title order={2} size="h5" mb="xs">
            Open by status
          </Title>
          <AccessibleChart
            summary={`Bar chart of unsolved tickets by status: ${data.openByStatus.map((s) => `${STATUS_LABEL[s.status]} ${cappedCount(s.count, data.countCap)}`).join(', ')}`}
            data={{
              caption: 'Unsolved tickets by status',
              columns: ['Status', 'Tickets'],
              rows: data.openByStatus.map((s) => [STATUS_LABEL[s.status], cappedCount(s.count, data.countCap)]),
            }}
          >
            <BarChart
              h={180}
              data={data.openByStatus.map((s) => ({ status: STATUS_LABEL[s.status], tickets: s.count }))}
              dataKey="status"
              series={[{ name: 'tickets', label: 'Tickets', color: 'indigo.6' }]}
            />
          </AccessibleChart>
        </Card>
        <CardTable
          title="Waiting longest"
          caption={`The ${data.waiting.length} customers waiting longest for an answer, oldest first`}
          empty="No customer is waiting for an answer."
          columns={[{ label: 'Ticket' }, { label: 'Requester' }, { label: 'Waiting', align: 'right' }]}
          rows={data.waiting}
          rowKey={(w) => w.ticketId}
          cells={(w) => [
            <TicketLink key="t" id={w.ticketId} subject={w.subject} />,
            w.requester.name,
            <Badge key="w" style={NO_SHRINK} variant="light" color={w.waitingMs >= 24 * 3600_000 ? 'red' : w.waitingMs >= 4 * 3600_000 ? 'orange' : 'teal'}>
              {durationLabel(w.waitingMs)}
            </Badge>,
          ]}
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <CardTable
          title="In review now"
          caption="Held replies, oldest first"
          empty="No reply is waiting for review."
          columns={[{ label: 'Ticket' }, { label: 'Author' }, { label: 'Waiting', align: 'right' }]}
          rows={data.inReview}
          rowKey={(r) => r.reviewId}
          cells={(r) => [<TicketLink key="t" id={r.ticketId} subject={r.ticketSubject} />, r.author.name, durationLabel(r.waitingMs)]}
        />
        <CardTable
          title="Consults overdue"
          caption="Open consults past their due time, most overdue first"
          empty="No consult is past its due time."
          columns={[{ label: 'Question' }, { label: 'Asked of' }, { label: 'Overdue', align: 'right' }]}
          rows={data.consultsOverdue}
          rowKey={(c) => c.consultId}
          cells={(c) => [
            <RouterAnchor key="q" size="sm" to="/consults/$consultId" params={{ consultId: String(c.consultId) }} lineClamp={2}>
              {c.question}
            </RouterAnchor>,
            c.assignee?.name ?? c.team?.name ?? '—',
            <Badge key="o" style={NO_SHRINK} variant="light" color="red">
              {durationLabel(c.overdueMs)}
            </Badge>,
          ]}
        />
        <CardTable
          title="On shift now"
          caption="People with a shift running now"
          empty="Nobody is on a rotation shift right now."
          columns={[{ label: 'Person' }, { label: 'Until', align: 'right' }]}
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
          ]}
        />
      </SimpleGrid>
    </Stack>
  )
}
