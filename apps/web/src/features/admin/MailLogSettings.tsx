import type { InboundEmailDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { type InboundEmailQuery, api, inboundEmailRawUrl } from '../../lib/api.ts'
import { formatBytes, fullTime, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, queryClient, useInboxes } from '../../lib/queries.ts'

type Filter = 'all' | 'failed' | 'suspended'

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'failed', label: 'Failed' },
  { value: 'suspended', label: 'Suspended' },
]

const EMPTY: Record<Filter, string> = {
  all: 'No mail has arrived yet. Mail sent to an email inbox’s addresses, fetched over IMAP or posted to its raw message endpoint shows up here.',
  failed: 'No failed mail: every message that arrived was processed.',
  suspended: 'Nothing suspended: no bounce or automatic reply arrived that did not belong to a ticket.',
}

const STATUS_COLOR: Record<InboundEmailDto['status'], string> = { received: 'blue', processed: 'green', failed: 'red' }
const STATUS_LABEL: Record<InboundEmailDto['status'], string> = { received: 'Received', processed: 'Processed', failed: 'Failed' }
const DISPOSITION_LABEL: Record<string, string> = {
  ticket: 'New ticket',
  reply: 'Reply on ticket',
  consult: 'Consult answer',
  duplicate: 'Duplicate',
  bounce: 'Bounce',
  'auto-reply': 'Automatic reply',
  spam: 'Spam',
  rejected: 'Rejected',
}

/** Suspended mail is machine mail (bounces, auto-replies) that matched no ticket: kept for admins, never shown as a ticket. */
const isSuspended = (m: InboundEmailDto) => (m.disposition === 'bounce' || m.disposition === 'auto-reply') && m.ticketId === null

async function loadLog(filter: Filter): Promise<InboundEmailDto[]> {
  const limit = 200
  if (filter === 'failed') return (await api.inboundEmails({ status: 'failed', limit })).items
  if (filter === 'all') return (await api.inboundEmails({ limit })).items
  const queries: InboundEmailQuery[] = [
    { disposition: 'bounce', limit },
    { disposition: 'auto-reply', limit },
  ]
  const lists = await Promise.all(queries.map((q) => api.inboundEmails(q)))
  return lists
    .flatMap((l) => l.items)
    .filter(isSuspended)
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
}

export function MailLogSettings() {
  const [filter, setFilter] = useState<Filter>('all')
  const log = useQuery({ queryKey: keys.inboundEmails(filter), queryFn: () => loadLog(filter) })
  const inboxes = useInboxes()
  const inboxName = (id: number) => inboxes.data?.find((i) => i.id === id)?.name ?? `Inbox ${id}`
  const items = log.data ?? []
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Stack gap={2}>
          <Title order={2} size="h4">
            Mail log
          </Title>
          <Text size="sm" c="dimmed">
            Every inbound email is stored as it arrived before it is processed, so failed mail can be retried and the original downloaded.
          </Text>
        </Stack>
        <Button size="xs" variant="default" onClick={() => void log.refetch()} loading={log.isFetching} aria-label="Refresh the mail log">
          Refresh
        </Button>
      </Group>
      <SegmentedControl aria-label="Filter the mail log" w="fit-content" data={FILTERS} value={filter} onChange={(v) => setFilter(v as Filter)} />
      {log.isPending ? (
        <Loader size="sm" aria-label="Loading the mail log" />
      ) : items.length === 0 ? (
        <Alert color="gray" variant="light" title="Nothing here" data-testid="mail-log-empty">
          {EMPTY[filter]}
        </Alert>
      ) : (
        <Table aria-label="Inbound mail" verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Received</Table.Th>
              <Table.Th>From / subject</Table.Th>
              <Table.Th>Inbox</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Ticket</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <MailRow key={m.id} m={m} inbox={inboxName(m.inboxId)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

function MailRow({ m, inbox }: { m: InboundEmailDto; inbox: string }) {
  const retry = useMutation({
    mutationFn: () => api.retryInboundEmail(m.id),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `Mail ${m.id} processed: ${DISPOSITION_LABEL[r.disposition] ?? r.disposition}` })
      void queryClient.invalidateQueries({ queryKey: ['inbound-emails'] })
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['inbound-emails'] }),
  })
  const subject = m.subject || '(no subject)'
  return (
    <Table.Tr data-inbound-email-id={m.id} data-status={m.status}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" title={fullTime(m.createdAt)}>
          {relativeTime(m.createdAt)}
        </Text>
        <Text size="xs" c="dimmed">
          via {m.receivedVia} · {formatBytes(m.size)}
        </Text>
      </Table.Td>
      <Table.Td style={{ maxWidth: 360 }}>
        <Text size="sm" fw={500} truncate="end">
          {m.fromAddress ?? 'Unknown sender'}
        </Text>
        <Text size="xs" c="dimmed" truncate="end" title={subject}>
          {subject}
        </Text>
        {m.status === 'failed' && m.error && (
          <Text size="xs" c="red" style={{ wordBreak: 'break-word' }}>
            {m.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{inbox}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge color={STATUS_COLOR[m.status]} variant="light">
            {STATUS_LABEL[m.status]}
          </Badge>
          {m.disposition && (
            <Badge color={isSuspended(m) ? 'orange' : 'gray'} variant="outline" tt="none">
              {DISPOSITION_LABEL[m.disposition] ?? m.disposition}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        {m.ticketId ? (
          <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(m.ticketId) }} size="sm" aria-label={`Open the ticket of mail ${m.id}`}>
            Open ticket
          </RouterAnchor>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="end">
          {m.status === 'failed' && (
            <Button size="compact-xs" color="red" variant="light" loading={retry.isPending} onClick={() => retry.mutate()} aria-label={`Retry mail ${m.id}`}>
              Retry
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="subtle"
            component="a"
            href={inboundEmailRawUrl(m.id)}
            download
            aria-label={`Download the raw message of mail ${m.id}`}
          >
            Download raw
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}
