import type { KbArticleStatus, KbArticleSummary } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core'
import { IconExternalLink, IconPlus } from '@tabler/icons-react'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { useCurrentUser } from '../../lib/queries.ts'
import { GapsReport } from './GapsReport.tsx'
import { canPublish, kbApi, kbKeys, STATUS_LABELS } from './kb.api.ts'
import { StructureEditor } from './StructureEditor.tsx'

const STATUS_OPTIONS = [{ value: '', label: 'All statuses' }, ...Object.entries(STATUS_LABELS).map(([value, s]) => ({ value, label: s.label }))]

export function StatusBadge({ status }: { status: KbArticleStatus }) {
  const s = STATUS_LABELS[status]
  return (
    <Badge color={s.color} variant="light">
      {s.label}
    </Badge>
  )
}

function ArticleTable({ status, sectionId, empty }: { status?: KbArticleStatus; sectionId?: number; empty: string }) {
  const filter = { status, sectionId }
  const list = useInfiniteQuery({
    queryKey: kbKeys.articles(filter),
    queryFn: ({ pageParam }) => kbApi.articles({ ...filter, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  if (list.isPending) return <Loader aria-label="Loading articles" />
  if (list.error) return <Alert color="red">{list.error.message}</Alert>
  const items: KbArticleSummary[] = list.data.pages.flatMap((p) => p.items)
  if (!items.length)
    return (
      <Text c="dimmed" py="md">
        {empty}
      </Text>
    )
  return (
    <Stack gap="xs">
      <Table striped highlightOnHover aria-label="Articles">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Visibility</Table.Th>
            <Table.Th>Language</Table.Th>
            <Table.Th>Feedback</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: String(a.id) }}>
                  {a.title}
                </RouterAnchor>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={a.status} />
              </Table.Td>
              <Table.Td>{a.visibility === 'internal' ? <Badge variant="outline">Internal</Badge> : 'Public'}</Table.Td>
              <Table.Td>{a.lang}</Table.Td>
              <Table.Td>
                <Text size="sm" aria-label={`${a.helpfulCount} helpful, ${a.unhelpfulCount} not helpful`}>
                  👍 {a.helpfulCount} · 👎 {a.unhelpfulCount}
                </Text>
              </Table.Td>
              <Table.Td>{new Date(a.updatedAt).toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} w="fit-content">
          Load more
        </Button>
      )}
    </Stack>
  )
}

/** The authors' home: every article by status, the review queue, gaps found by visitors, and the category tree. */
export function KnowledgeBasePage() {
  const user = useCurrentUser()
  const publisher = canPublish(user)
  const [status, setStatus] = useState<string>('')
  const [sectionId, setSectionId] = useState<string | null>(null)
  const tree = useQuery({ queryKey: kbKeys.categories, queryFn: kbApi.categories })
  const sectionOptions = (tree.data?.items ?? []).map((c) => ({ group: c.name, items: c.sections.map((s) => ({ value: String(s.id), label: s.name })) }))
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between">
        <Title order={2}>Knowledge base</Title>
        <Group gap="xs">
          <Anchor href="/help" target="_blank" rel="noopener" size="sm">
            <Group gap={4}>
              Open help center <IconExternalLink size={14} aria-hidden />
            </Group>
          </Anchor>
          <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: 'new' }} underline="never">
            <Button component="span" leftSection={<IconPlus size={16} />}>
              New article
            </Button>
          </RouterAnchor>
        </Group>
      </Group>
      <Tabs defaultValue="articles" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="articles">Articles</Tabs.Tab>
          <Tabs.Tab value="review">Review queue</Tabs.Tab>
          {publisher && <Tabs.Tab value="gaps">Gaps</Tabs.Tab>}
          {publisher && <Tabs.Tab value="structure">Categories</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="articles" pt="md">
          <Group mb="sm">
            <Select label="Status" data={STATUS_OPTIONS} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} w={180} />
            <Select label="Section" placeholder="All sections" data={sectionOptions} value={sectionId} onChange={setSectionId} clearable w={240} />
          </Group>
          <ArticleTable
            status={(status || undefined) as KbArticleStatus | undefined}
            sectionId={sectionId ? Number(sectionId) : undefined}
            empty="No articles here yet. Write the first one with “New article”."
          />
        </Tabs.Panel>
        <Tabs.Panel value="review" pt="md">
          <Text size="sm" c="dimmed" mb="sm">
            {publisher
              ? 'Drafts submitted by contributors wait here until a publisher publishes them or sends them back.'
              : 'Your submitted drafts wait here for a publisher.'}
          </Text>
          <ArticleTable status="in_review" empty="Nothing waits for review." />
        </Tabs.Panel>
        {publisher && (
          <Tabs.Panel value="gaps" pt="md">
            <GapsReport />
          </Tabs.Panel>
        )}
        {publisher && (
          <Tabs.Panel value="structure" pt="md">
            {tree.data ? (
              <StructureEditor categories={tree.data.items} />
            ) : (
              <Center>
                <Loader aria-label="Loading categories" />
              </Center>
            )}
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  )
}
