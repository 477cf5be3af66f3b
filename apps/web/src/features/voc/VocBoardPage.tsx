import type { VocItemListQuery, VocKind, VocSort, VocStatus } from '@allhands/contract'
import { Alert, Badge, Button, Center, Grid, Group, Loader, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, useCurrentUser } from '../../lib/queries.ts'
import { VocItemDialog } from './VocItemDialog.tsx'
import { VocStatusBadge, VocStatusSelect } from './VocStatus.tsx'
import { VocSuggestions } from './VocSuggestions.tsx'
import { useVocLive, VOC_KIND_LABEL, VOC_STATUS_LABEL, VOC_STATUSES, vocApi, vocKeys, vocKindOptions } from './voc.api.ts'

const SORTS: { value: VocSort; label: string }[] = [
  { value: 'customers', label: 'Most customers' },
  { value: 'last_seen', label: 'Last seen' },
  { value: 'created', label: 'Newest' },
]

/** The voice-of-customer board: items by status with counts, title search, sorting, and the suggestions. */
export function VocBoardPage() {
  useVocLive()
  const user = useCurrentUser()
  const staff = isStaff(user.role)
  const navigate = useNavigate()
  const [status, setStatus] = useState<VocStatus | 'all'>('all')
  const [kind, setKind] = useState<VocKind | null>(null)
  const [sort, setSort] = useState<VocSort>('customers')
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search.trim(), 250)
  const [creating, setCreating] = useState(false)
  const query: VocItemListQuery = { sort, limit: 50, ...(status !== 'all' ? { status } : {}), ...(kind ? { kind } : {}), ...(q ? { q } : {}) }
  const list = useInfiniteQuery({
    queryKey: vocKeys.list(query),
    queryFn: ({ pageParam }) => vocApi.list({ ...query, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const counts = list.data?.pages[0]?.counts
  const total = counts ? Object.values(counts).reduce((s, n) => s + n, 0) : undefined
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h3">
            Voice of customer
          </Title>
          <Text size="sm" c="dimmed">
            Pain points and feature requests, backed by what customers wrote. Shipping an item prepares a reply to everyone who asked.
          </Text>
        </div>
        {staff && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New item
          </Button>
        )}
      </Group>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            <Tabs value={status} onChange={(v) => setStatus((v as VocStatus | 'all') ?? 'all')} aria-label="Filter by status">
              <Tabs.List>
                <Tabs.Tab value="all">All{total !== undefined ? ` (${total})` : ''}</Tabs.Tab>
                {VOC_STATUSES.map((s) => (
                  <Tabs.Tab key={s} value={s}>
                    {VOC_STATUS_LABEL[s]}
                    {counts ? ` (${counts[s]})` : ''}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <Group gap="sm" wrap="wrap">
              <TextInput
                aria-label="Search by title"
                placeholder="Search by title"
                leftSection={<IconSearch size={14} aria-hidden />}
                value={search}
                onChange={(e) => setSearch(e.currentTarget.value)}
                style={{ flex: 1, minWidth: 200 }}
              />
              <Select
                aria-label="Kind"
                placeholder="All kinds"
                data={vocKindOptions}
                value={kind}
                onChange={(v) => setKind(v as VocKind | null)}
                clearable
                w={170}
              />
              <Select aria-label="Sort by" data={SORTS} value={sort} onChange={(v) => v && setSort(v as VocSort)} allowDeselect={false} w={170} />
            </Group>
            {list.error ? (
              <Alert color="red" title="Cannot load the board">
                {list.error.message}
              </Alert>
            ) : list.isPending ? (
              <Center p="xl">
                <Loader aria-label="Loading items" />
              </Center>
            ) : items.length === 0 ? (
              <Text c="dimmed" p="md" ta="center">
                {q || kind || status !== 'all'
                  ? 'No items match these filters.'
                  : 'No items yet. Link a ticket from its side panel ("Link to item", shortcut v), or accept a suggestion.'}
              </Text>
            ) : (
              <Table highlightOnHover verticalSpacing="xs" aria-label="Voice-of-customer items">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Customers</Table.Th>
                    <Table.Th ta="right">Tickets</Table.Th>
                    <Table.Th>Last seen</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Td>
                        <RouterAnchor to="/voc/$itemId" params={{ itemId: String(item.id) }} fw={600}>
                          {item.title}
                        </RouterAnchor>
                        <Group gap={6} mt={2}>
                          <Badge size="xs" variant="outline" color={item.kind === 'pain_point' ? 'red' : 'indigo'}>
                            {VOC_KIND_LABEL[item.kind]}
                          </Badge>
                          {item.organizationCount > 0 && (
                            <Text size="xs" c="dimmed">
                              {item.organizationCount} organization{item.organizationCount === 1 ? '' : 's'}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{staff ? <VocStatusSelect item={item} /> : <VocStatusBadge status={item.status} />}</Table.Td>
                      <Table.Td ta="right">{item.customerCount}</Table.Td>
                      <Table.Td ta="right">{item.linkCount}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {item.lastSeenAt ? relativeTime(item.lastSeenAt) : 'never'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {list.hasNextPage && (
              <Button variant="subtle" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <VocSuggestions canManage={staff} />
        </Grid.Col>
      </Grid>
      {creating && (
        <VocItemDialog onClose={() => setCreating(false)} onSaved={(item) => void navigate({ to: '/voc/$itemId', params: { itemId: String(item.id) } })} />
      )}
    </Stack>
  )
}
