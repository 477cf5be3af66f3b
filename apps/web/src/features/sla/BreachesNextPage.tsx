import { Button, Center, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { IconClockCheck } from '@tabler/icons-react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useMemo } from 'react'
import { api } from '../../lib/api.ts'
import { keys, useViews } from '../../lib/queries.ts'
import { TicketTable } from '../inbox/TicketTable.tsx'
import { useSlaLiveUpdates } from './SlaTimers.tsx'

/**
 * "Breaches next": the tickets of a view whose SLA clocks run out soonest (overdue ones first), from the server's
 * `sort=sla` order. Live: warnings and breaches refresh the list.
 */
export function BreachesNextPage() {
  const { view = 'all_open' } = useSearch({ strict: false }) as { view?: string }
  const navigate = useNavigate()
  const views = useViews()
  useSlaLiveUpdates()
  const list = useInfiniteQuery({
    queryKey: [...keys.ticketLists, 'sla', view],
    queryFn: ({ pageParam }) => api.tickets({ view, sort: 'sla', cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])
  const viewOptions = (views.data ?? []).slice(0, 6).map((v) => ({ value: v.id, label: v.name }))
  return (
    <Stack gap={0} h="calc(100vh - 56px)">
      <Group justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Title order={1} size="h3">
          Breaches next
        </Title>
        {viewOptions.length > 1 && (
          <SegmentedControl
            aria-label="View"
            size="xs"
            value={view}
            data={viewOptions.some((o) => o.value === view) ? viewOptions : [...viewOptions, { value: view, label: view }]}
            onChange={(v) => void navigate({ to: '/breaches-next', search: { view: v } })}
          />
        )}
      </Group>
      <div style={{ flex: 1, overflow: 'auto' }}>
        {list.isPending ? (
          <Center p="xl">
            <Loader size="sm" aria-label="Loading tickets" />
          </Center>
        ) : tickets.length === 0 ? (
          <Center p="xl">
            <Stack align="center" gap="xs">
              <IconClockCheck size={36} aria-hidden />
              <Text c="dimmed">No ticket in this view has a running SLA clock.</Text>
            </Stack>
          </Center>
        ) : (
          <TicketTable tickets={tickets} sortedBySla onOpen={(id) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(id) } })} />
        )}
        {list.hasNextPage && (
          <Center p="md">
            <Button variant="subtle" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          </Center>
        )}
      </div>
    </Stack>
  )
}
