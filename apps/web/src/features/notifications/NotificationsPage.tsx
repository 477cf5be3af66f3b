import { NOTIFICATION_GROUP_LABELS, NOTIFICATION_GROUPS, type NotificationGroup } from '@allhands/contract'
import { Alert, Button, Card, Group, Loader, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core'
import { IconSettings } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { NotificationItem } from './NotificationItem.tsx'
import { notificationKeys, notificationsApi } from './notifications.api.ts'
import { useOpenNotification } from './use-open-notification.ts'

const GROUP_OPTIONS = [{ value: '', label: 'All kinds' }, ...NOTIFICATION_GROUPS.map((g) => ({ value: g, label: NOTIFICATION_GROUP_LABELS[g] }))]

/** Every notification of the signed-in person, newest first, filtered by unread and kind, loaded page by page. */
export function NotificationsPage() {
  const [unread, setUnread] = useState(false)
  const [group, setGroup] = useState<NotificationGroup | null>(null)
  const list = useInfiniteQuery({
    queryKey: notificationKeys.page(unread, group),
    queryFn: ({ pageParam }) => notificationsApi.list({ unread, ...(group ? { group } : {}), ...(pageParam ? { cursor: pageParam } : {}), limit: 50 }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const readAll = useMutation({ mutationFn: notificationsApi.readAll, onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) })
  const open = useOpenNotification()
  const navigate = useNavigate()
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const unreadCount = list.data?.pages[0]?.unreadCount ?? 0
  return (
    <Stack p="md" maw={820} gap="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          Notifications
        </Title>
        <Group gap="xs">
          <Button variant="default" size="sm" disabled={!unreadCount} loading={readAll.isPending} onClick={() => readAll.mutate()}>
            Mark all read{unreadCount ? ` (${unreadCount})` : ''}
          </Button>
          <Button
            variant="subtle"
            size="sm"
            leftSection={<IconSettings size={16} aria-hidden />}
            onClick={() => void navigate({ to: '/settings/$section', params: { section: 'notifications' } })}
          >
            Preferences
          </Button>
        </Group>
      </Group>
      <Group gap="sm" role="group" aria-label="Filters">
        <SegmentedControl
          aria-label="Show"
          value={unread ? 'unread' : 'all'}
          onChange={(v) => setUnread(v === 'unread')}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: 'Unread' },
          ]}
        />
        <Select
          aria-label="Kind"
          data={GROUP_OPTIONS}
          value={group ?? ''}
          onChange={(v) => setGroup((v || null) as NotificationGroup | null)}
          allowDeselect={false}
          w={280}
        />
      </Group>
      {list.isError && <Alert color="red">Notifications could not be loaded: {list.error.message}</Alert>}
      <Card withBorder p={0}>
        {list.isPending && <Loader size="sm" m="md" aria-label="Loading notifications" />}
        {!list.isPending && !items.length && (
          <Text c="dimmed" p="md">
            {unread || group
              ? 'Nothing matches these filters.'
              : 'No notifications yet. Mentions, assignments, replies on tickets you follow, review requests and consults will show up here.'}
          </Text>
        )}
        <Stack gap={0} aria-live="polite" data-testid="notifications-list">
          {items.map((n) => (
            <NotificationItem key={n.id} notification={n} onOpen={open} />
          ))}
        </Stack>
      </Card>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} w="fit-content">
          Load more
        </Button>
      )}
    </Stack>
  )
}
