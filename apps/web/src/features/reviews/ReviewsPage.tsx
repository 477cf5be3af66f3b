import type { ReviewDto, ReviewStatus } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core'
import { IconPaperclip } from '@tabler/icons-react'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { formatBytes, fullTime, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { DiffView } from './DiffView.tsx'
import { type ReviewListFilter, reviewKeys, reviewsApi } from './reviews.api.ts'
import { REVIEW_STATUS, ReviewPanel } from './ReviewPanel.tsx'
import { SlaClock } from './SlaClock.tsx'
import { useReviewsLive } from './useReviewsLive.ts'

type Tab = 'queue' | 'mine'
type StatusFilter = 'pending' | 'decided' | 'all'

/** The review queue for reviewers and "my replies in review" for authors: a list with the SLA clock and a detail panel. */
export function ReviewsPage() {
  const summary = useQuery({ queryKey: reviewKeys.summary, queryFn: reviewsApi.summary })
  const isReviewer = !!summary.data?.isReviewer
  useReviewsLive(isReviewer)
  const [tab, setTab] = useState<Tab | null>(null)
  const current: Tab = tab ?? (isReviewer ? 'queue' : 'mine')
  const [status, setStatus] = useState<StatusFilter>('pending')
  const [selected, setSelected] = useState<number | null>(null)

  const filter: ReviewListFilter = {
    ...(current === 'mine' ? { author: 'me' as const } : {}),
    ...(current === 'queue' && status === 'pending' ? { status: 'pending' as ReviewStatus } : {}),
  }
  const list = useInfiniteQuery({
    queryKey: reviewKeys.list(filter),
    queryFn: ({ pageParam }) => reviewsApi.list({ ...filter, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!summary.data && (current === 'mine' || isReviewer),
  })
  const all = list.data?.pages.flatMap((p) => p.items) ?? []
  const items = current === 'queue' && status === 'decided' ? all.filter((r) => r.status !== 'pending') : all
  // An explicit choice stays on screen after it leaves the list (a decided review shows what was sent and its diff).
  const selectedId = selected ?? items[0]?.id ?? null

  const move = (delta: number) => {
    const i = items.findIndex((r) => r.id === selectedId)
    const next = items[Math.max(0, Math.min(items.length - 1, i + delta))]
    if (next) setSelected(next.id)
  }
  useShortcuts({ j: () => move(1), k: () => move(-1) })

  if (summary.isPending)
    return (
      <Center p="xl">
        <Loader aria-label="Loading reviews" />
      </Center>
    )
  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {isReviewer ? 'Reviews' : 'My replies in review'}
        </Title>
        {isReviewer && summary.data && (
          <Group gap={4}>
            <Badge variant="light">{summary.data.queue.pending} waiting</Badge>
            {summary.data.queue.overdue > 0 && <Badge color="red">{summary.data.queue.overdue} overdue</Badge>}
          </Group>
        )}
      </Group>
      {isReviewer && (
        <Tabs
          value={current}
          onChange={(v) => {
            if (!v) return
            setTab(v as Tab)
            setSelected(null)
          }}
        >
          <Tabs.List>
            <Tabs.Tab value="queue">Review queue</Tabs.Tab>
            <Tabs.Tab value="mine">My replies</Tabs.Tab>
          </Tabs.List>
        </Tabs>
      )}
      {current === 'queue' && (
        <SegmentedControl
          w="fit-content"
          size="xs"
          aria-label="Which reviews"
          value={status}
          onChange={(v) => {
            setStatus(v as StatusFilter)
            setSelected(null)
          }}
          data={[
            { value: 'pending', label: 'Waiting' },
            { value: 'decided', label: 'Decided' },
            { value: 'all', label: 'All' },
          ]}
        />
      )}
      <Group align="start" gap="md" wrap="nowrap">
        <Stack gap={4} w={360} style={{ flexShrink: 0 }} component="ul" p={0} m={0} aria-label="Held replies">
          {list.isPending && <Loader size="sm" aria-label="Loading held replies" />}
          {!list.isPending && items.length === 0 && (
            <Text c="dimmed" size="sm" p="sm">
              {current === 'mine'
                ? 'None of your replies is held. When your replies are reviewed, they wait here until a reviewer approves or returns them.'
                : status === 'pending'
                  ? 'Nothing waits for review. Replies from people in review appear here as soon as they are written.'
                  : 'No decided reviews yet.'}
            </Text>
          )}
          {items.map((r) => (
            <ReviewListItem key={r.id} review={r} selected={r.id === selectedId} onSelect={() => setSelected(r.id)} showAuthor={current === 'queue'} />
          ))}
          {list.hasNextPage && (
            <Button variant="subtle" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              Load more
            </Button>
          )}
        </Stack>
        <div style={{ flex: 1, minWidth: 0 }}>{selectedId !== null && <ReviewDetail id={selectedId} onDecided={() => setSelected(selectedId)} />}</div>
      </Group>
    </Stack>
  )
}

function ReviewListItem({ review: r, selected, onSelect, showAuthor }: { review: ReviewDto; selected: boolean; onSelect: () => void; showAuthor: boolean }) {
  const s = REVIEW_STATUS[r.status]
  return (
    <li style={{ listStyle: 'none' }}>
      <UnstyledButton
        onClick={onSelect}
        aria-current={selected ? 'true' : undefined}
        w="100%"
        p="xs"
        data-testid="review-item"
        style={{
          borderRadius: 'var(--mantine-radius-sm)',
          background: selected ? 'var(--mantine-color-blue-light)' : undefined,
          border: '1px solid var(--mantine-color-default-border)',
        }}
      >
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={600} truncate="end">
            #{r.ticketId} {r.ticketSubject}
          </Text>
          {r.status === 'pending' ? (
            <SlaClock review={r} />
          ) : (
            <Badge size="xs" color={s.color} variant="light">
              {s.label}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" truncate="end">
          {showAuthor ? `${r.author.name} · ` : ''}
          {relativeTime(r.createdAt)} · {r.text.slice(0, 80)}
        </Text>
        {r.ticketRiskLevel !== 'low' && (
          <Badge size="xs" color={r.ticketRiskLevel === 'high' ? 'red' : 'orange'} variant="outline" mt={2}>
            {r.ticketRiskLevel} risk
          </Badge>
        )}
      </UnstyledButton>
    </li>
  )
}

function ReviewDetail({ id, onDecided }: { id: number; onDecided: () => void }) {
  const detail = useQuery({ queryKey: reviewKeys.detail(id), queryFn: () => reviewsApi.detail(id) })
  if (detail.error) return <Alert color="red">{detail.error.message}</Alert>
  if (!detail.data) return <Loader size="sm" aria-label="Loading the held reply" />
  const r = detail.data
  return (
    <Paper withBorder p="md" component="article" aria-label={`Held reply by ${r.author.name} on ticket #${r.ticketId}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="start">
          <div>
            <Title order={2} size="h5">
              <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(r.ticketId) }}>
                #{r.ticketId} {r.ticketSubject}
              </RouterAnchor>
            </Title>
            <Text size="xs" c="dimmed">
              By {r.author.name} · written {fullTime(r.createdAt)}
              {r.decidedAt ? ` · decided ${fullTime(r.decidedAt)}` : ''} · held because: {r.reason}
            </Text>
          </div>
          <SlaClock review={r} />
        </Group>
        <ReviewPanel key={r.id} review={r} shortcuts onDecided={onDecided} />
        {r.attachments.length > 0 && (
          <Group gap="xs">
            {r.attachments.map((a) => (
              <Anchor key={a.id} href={a.url} size="sm">
                <Group gap={4} wrap="nowrap">
                  <IconPaperclip size={14} aria-hidden />
                  {a.filename} ({formatBytes(a.size)})
                </Group>
              </Anchor>
            ))}
          </Group>
        )}
        {r.diff && <DiffView diff={r.diff} editRatio={r.editRatio} />}
      </Stack>
    </Paper>
  )
}
