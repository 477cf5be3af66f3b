import type { VocSuggestionDto } from '@allhands/contract'
import { Badge, Button, Group, Loader, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { refreshVoc, vocApi, vocKeys } from './voc.api.ts'

/** Suggested items and links from similar recent tickets: refresh on demand, accept or dismiss. */
export function VocSuggestions({ canManage }: { canManage: boolean }) {
  const list = useQuery({ queryKey: vocKeys.suggestions, queryFn: vocApi.suggestions })
  const refresh = useMutation({
    mutationFn: vocApi.refreshSuggestions,
    onSuccess: (data) => queryClient.setQueryData(vocKeys.suggestions, data),
    onError: showError,
  })
  const items = list.data?.items ?? []
  return (
    <Paper withBorder p="md" component="section" aria-label="Suggestions">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h5">
          Suggestions{items.length ? ` (${items.length})` : ''}
        </Title>
        {canManage && (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconRefresh size={14} aria-hidden />}
            loading={refresh.isPending}
            onClick={() => refresh.mutate()}
          >
            Refresh suggestions
          </Button>
        )}
      </Group>
      {refresh.isPending && <Progress value={100} animated striped size="sm" mb="xs" aria-label="Comparing recent tickets" />}
      <Text size="xs" c="dimmed" mb="sm">
        {list.data?.computedAt
          ? `Compared ${list.data.ticketsCompared} tickets of the last 30 days ${relativeTime(list.data.computedAt)}.`
          : 'Similar recent tickets are grouped daily.'}
      </Text>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading suggestions" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing to suggest right now: no group of three or more similar tickets that is not linked yet.
        </Text>
      ) : (
        <Stack gap="sm">
          {items.map((s) => (
            <SuggestionCard key={s.id} suggestion={s} canManage={canManage} />
          ))}
        </Stack>
      )}
    </Paper>
  )
}

function SuggestionCard({ suggestion: s, canManage }: { suggestion: VocSuggestionDto; canManage: boolean }) {
  const navigate = useNavigate()
  const [title, setTitle] = useState(s.title)
  const accept = useMutation({
    mutationFn: () => vocApi.accept(s.id, s.kind === 'new_item' ? { title: title.trim() || s.title } : {}),
    onSuccess: (item) => {
      void refreshVoc()
      void navigate({ to: '/voc/$itemId', params: { itemId: String(item.id) } })
    },
    onError: showError,
  })
  const dismiss = useMutation({ mutationFn: () => vocApi.dismiss(s.id), onSuccess: () => void refreshVoc(), onError: showError })
  const label = s.kind === 'new_item' ? `New item: ${s.title}` : `Link to ${s.item?.title ?? 'item'}`
  return (
    <Paper withBorder p="sm" radius="sm" component="article" aria-label={label}>
      <Group gap={6} mb={4}>
        <Badge size="xs" color={s.kind === 'new_item' ? 'violet' : 'blue'}>
          {s.kind === 'new_item' ? 'New item' : 'Link to item'}
        </Badge>
        <Text size="xs" c="dimmed">
          {s.tickets.length} tickets · similarity {Math.round(s.score * 100)}%
        </Text>
      </Group>
      {s.kind === 'new_item' && canManage ? (
        <TextInput size="xs" aria-label="Title of the new item" value={title} onChange={(e) => setTitle(e.currentTarget.value)} mb={4} />
      ) : s.item ? (
        <RouterAnchor to="/voc/$itemId" params={{ itemId: String(s.item.id) }} size="sm" fw={600}>
          {s.item.title}
        </RouterAnchor>
      ) : (
        <Text size="sm" fw={600}>
          {s.title}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Common words: {s.terms.join(', ')}
      </Text>
      <Stack gap={0} mt={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {s.tickets.slice(0, 5).map((t) => (
          <li key={t.id}>
            <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(t.id) }} size="xs" truncate="end">
              #{t.number} {t.subject}
            </RouterAnchor>
          </li>
        ))}
        {s.tickets.length > 5 && (
          <Text size="xs" c="dimmed" component="li">
            and {s.tickets.length - 5} more
          </Text>
        )}
      </Stack>
      {canManage && (
        <Group gap="xs" mt="xs" justify="flex-end">
          <Button size="compact-xs" variant="subtle" color="gray" loading={dismiss.isPending} onClick={() => dismiss.mutate()} aria-label={`Dismiss: ${label}`}>
            Dismiss
          </Button>
          <Button size="compact-xs" loading={accept.isPending} onClick={() => accept.mutate()} aria-label={`Accept: ${label}`}>
            {s.kind === 'new_item' ? 'Create item' : 'Link tickets'}
          </Button>
        </Group>
      )}
    </Paper>
  )
}
