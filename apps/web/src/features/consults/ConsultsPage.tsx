import type { ConsultDto, ConsultListQuery } from '@allhands/contract'
import { Badge, Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { ConsultStatusBadge } from './ConsultThread.tsx'
import { consultKeys, consultsApi, useConsultsLive } from './consults.api.ts'

type Scope = NonNullable<ConsultListQuery['mine']>
const EMPTY: Record<Scope, string> = {
  assigned: 'Nobody is waiting for you. Questions asked of you appear here.',
  team: 'Nothing waits for your teams. Questions asked of a team you are in appear here, whoever takes them.',
  asked: 'You have not asked anything yet. Open a ticket and use "Ask an expert" in its side panel.',
}

function ConsultRow({ c }: { c: ConsultDto }) {
  const navigate = useNavigate()
  return (
    <UnstyledButton
      component="a"
      href={`/consults/${c.id}`}
      onClick={(e: React.MouseEvent) => {
        e.preventDefault()
        void navigate({ to: '/consults/$consultId', params: { consultId: String(c.id) } })
      }}
      role="listitem"
      data-testid={`consult-row-${c.id}`}
    >
      <Paper withBorder p="sm" style={c.overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
        <Group justify="space-between" wrap="nowrap" align="start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} lineClamp={2}>
              {c.question}
            </Text>
            <Text size="xs" c="dimmed" truncate="end">
              #{c.ticket.number} {c.ticket.subject} · asked by {c.askedBy.name} {relativeTime(c.createdAt)}
              {c.team ? ` · ${c.team.name}` : ''}
              {c.assignee ? ` · ${c.assignee.name}` : c.team ? ' · not taken yet' : ''}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap">
            {c.messageCount > 0 && (
              <Badge variant="default" aria-label={`${c.messageCount} messages`}>
                {c.messageCount}
              </Badge>
            )}
            <ConsultStatusBadge consult={c} />
          </Group>
        </Group>
      </Paper>
    </UnstyledButton>
  )
}

/** Consults asked of me, of my teams, and by me: waiting ones first, overdue ones at the top in red. */
export function ConsultsPage() {
  useConsultsLive()
  const [scope, setScope] = useState<Scope>('assigned')
  const [status, setStatus] = useState<'unresolved' | 'resolved'>('unresolved')
  const query: ConsultListQuery = { mine: scope, status, limit: 50 }
  const list = useInfiniteQuery({
    queryKey: consultKeys.list(query),
    queryFn: ({ pageParam }) => consultsApi.list({ ...query, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const overdue = items.filter((c) => c.overdue).length
  return (
    <Stack p="md" maw={960}>
      <Group justify="space-between" align="end">
        <Title order={1} size="h3">
          Consults
        </Title>
        <SegmentedControl
          aria-label="Status"
          size="xs"
          value={status}
          onChange={(v) => setStatus(v as 'unresolved' | 'resolved')}
          data={[
            { value: 'unresolved', label: 'Waiting' },
            { value: 'resolved', label: 'Resolved' },
          ]}
        />
      </Group>
      <Tabs value={scope} onChange={(v) => v && setScope(v as Scope)}>
        <Tabs.List>
          <Tabs.Tab value="assigned">Assigned to me</Tabs.Tab>
          <Tabs.Tab value="team">My team's</Tabs.Tab>
          <Tabs.Tab value="asked">I asked</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {overdue > 0 && (
        <Text size="sm" c="red" role="status">
          {overdue} overdue
        </Text>
      )}
      {list.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading consults" />
        </Center>
      ) : items.length === 0 ? (
        <Text c="dimmed" p="md">
          {status === 'resolved' ? 'No resolved consults here yet.' : EMPTY[scope]}
        </Text>
      ) : (
        <Stack gap="xs" role="list" aria-label="Consults">
          {items.map((c) => (
            <ConsultRow key={c.id} c={c} />
          ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} w="fit-content">
          Load more
        </Button>
      )}
    </Stack>
  )
}
