import type { CommunitySort, CommunityTopicSummary } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Grid, Group, Loader, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconExternalLink } from '@tabler/icons-react'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { communityApi, communityKeys } from './community.api.ts'
import { ModerationQueue } from './ModerationQueue.tsx'
import { TopicPanel } from './TopicPanel.tsx'

const STATUS_OPTIONS = [
  { value: 'all', label: 'All topics' },
  { value: 'visible', label: 'Public' },
  { value: 'held', label: 'Held' },
  { value: 'hidden', label: 'Hidden' },
  { value: 'deleted', label: 'Deleted by author' },
]

/** The topic list with filters; j/k move the selection, Enter opens the selected topic beside it. */
function TopicList({ selected, onSelect }: { selected: number | null; onSelect: (id: number) => void }) {
  const [status, setStatus] = useState('all')
  const [categoryId, setCategoryId] = useState<string | null>(null)
  const [sort, setSort] = useState<CommunitySort>('latest')
  const [text, setText] = useState('')
  const [q] = useDebouncedValue(text.trim(), 300)
  const categories = useQuery({ queryKey: communityKeys.categories, queryFn: communityApi.categories })
  const filter = { status: status as 'all', categoryId: categoryId ? Number(categoryId) : undefined, sort, q: q || undefined }
  const list = useInfiniteQuery({
    queryKey: communityKeys.topics(filter),
    queryFn: ({ pageParam }) => communityApi.topics({ ...filter, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items: CommunityTopicSummary[] = list.data?.pages.flatMap((p) => p.items) ?? []
  const [cursor, setCursor] = useState(0)
  const move = (by: number) => {
    const i = Math.max(0, Math.min(items.length - 1, cursor + by))
    setCursor(i)
    const t = items[i]
    if (t) onSelect(t.id)
  }
  useShortcuts({ j: () => move(1), k: () => move(-1), enter: () => items[cursor] && onSelect(items[cursor]!.id) })
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search topics"
          placeholder="Words in the title or posts"
          description={q ? 'Best matches first; typos are corrected' : undefined}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          maxLength={200}
          w={240}
        />
        <Select label="Status" data={STATUS_OPTIONS} value={status} onChange={(v) => setStatus(v ?? 'all')} allowDeselect={false} w={150} />
        <Select
          label="Category"
          placeholder="All categories"
          data={(categories.data?.items ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
          value={categoryId}
          onChange={setCategoryId}
          clearable
          w={200}
        />
        <SegmentedControl
          aria-label="Sort topics"
          value={sort}
          onChange={(v) => setSort(v as CommunitySort)}
          data={[
            { value: 'latest', label: 'Latest' },
            { value: 'unanswered', label: 'Unanswered' },
            { value: 'top', label: 'Top' },
          ]}
        />
      </Group>
      {list.isPending ? (
        <Loader aria-label="Loading topics" />
      ) : list.error ? (
        <Alert color="red">{list.error.message}</Alert>
      ) : !items.length ? (
        <Text c="dimmed" py="md">
          {q ? `No topics match “${q}”.` : 'No topics here. Customers ask questions on the public community page.'}
        </Text>
      ) : (
        <Table highlightOnHover aria-label="Community topics">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Topic</Table.Th>
              <Table.Th>Answers</Table.Th>
              <Table.Th>Votes</Table.Th>
              <Table.Th>Active</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((t, i) => (
              <Table.Tr key={t.id} bg={t.id === selected ? 'var(--mantine-color-blue-light)' : undefined} aria-selected={t.id === selected}>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    onClick={() => {
                      setCursor(i)
                      onSelect(t.id)
                    }}
                  >
                    {t.title}
                  </Anchor>
                  <Group gap={4}>
                    <Text size="xs" c="dimmed">
                      #{t.id} · {t.author?.name ?? 'former member'}
                    </Text>
                    {t.status !== 'visible' && (
                      <Badge size="xs" color={t.status === 'held' ? 'orange' : 'gray'}>
                        {t.status === 'deleted' ? 'deleted by author' : t.status}
                      </Badge>
                    )}
                    {t.acceptedPostId && (
                      <Badge size="xs" color="green">
                        answered
                      </Badge>
                    )}
                    {t.isLocked && (
                      <Badge size="xs" variant="outline">
                        locked
                      </Badge>
                    )}
                    {t.isPinned && (
                      <Badge size="xs" variant="outline">
                        pinned
                      </Badge>
                    )}
                    {t.ticketId && (
                      <Badge size="xs" variant="outline">
                        ticket #{t.ticketId}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{t.answerCount}</Table.Td>
                <Table.Td>{t.score}</Table.Td>
                <Table.Td>{new Date(t.lastActivityAt).toLocaleDateString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} w="fit-content">
          Load more
        </Button>
      )}
    </Stack>
  )
}

/** Community desk for the support team: the moderation queue, and topics with their staff actions. */
export function CommunityPage() {
  const [selected, setSelected] = useState<number | null>(null)
  const queue = useQuery({ queryKey: communityKeys.queue, queryFn: communityApi.queue })
  const held = queue.data?.items.length ?? 0
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between">
        <Title order={2}>Community</Title>
        <Anchor href="/community" target="_blank" rel="noopener" size="sm">
          <Group gap={4}>
            Open the public community <IconExternalLink size={14} aria-hidden />
          </Group>
        </Anchor>
      </Group>
      <Tabs defaultValue="queue" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="queue" rightSection={held ? <Badge size="xs">{held}</Badge> : undefined}>
            Moderation queue
          </Tabs.Tab>
          <Tabs.Tab value="topics">Topics</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queue" pt="md">
          <ModerationQueue />
        </Tabs.Panel>
        <Tabs.Panel value="topics" pt="md">
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <TopicList selected={selected} onSelect={setSelected} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              {selected ? (
                <TopicPanel key={selected} topicId={selected} />
              ) : (
                <Text c="dimmed">Choose a topic (or press j / k) to see its posts and staff actions.</Text>
              )}
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
