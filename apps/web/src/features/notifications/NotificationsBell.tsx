import { ActionIcon, Anchor, Button, Group, Indicator, Loader, Popover, ScrollArea, Stack, Text, Tooltip } from '@mantine/core'
import { IconBell, IconSettings } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { NotificationItem } from './NotificationItem.tsx'
import { notificationKeys, notificationsApi } from './notifications.api.ts'
import { useOpenNotification } from './use-open-notification.ts'

/** The header bell: unread badge (live over the websocket), the latest notifications, mark all read, links on. */
export function NotificationsBell() {
  const [opened, setOpened] = useState(false)
  const navigate = useNavigate()
  const list = useQuery({ queryKey: notificationKeys.bell, queryFn: () => notificationsApi.list({ limit: 15 }) })
  const readAll = useMutation({ mutationFn: notificationsApi.readAll, onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) })
  const open = useOpenNotification(() => setOpened(false))
  const unread = list.data?.unreadCount ?? 0
  const go = (to: '/notifications' | '/settings/$section') => {
    setOpened(false)
    void (to === '/notifications' ? navigate({ to }) : navigate({ to, params: { section: 'notifications' } }))
  }
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" withinPortal trapFocus returnFocus>
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} disabled={!unread} color="red" offset={4} data-testid="notifications-badge">
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={`Notifications, ${unread} unread`}
            aria-haspopup="dialog"
            aria-expanded={opened}
            data-testid="notifications-bell"
          >
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} role="dialog" aria-label="Notifications">
        <Group justify="space-between" p="sm" wrap="nowrap">
          <Text fw={600}>Notifications</Text>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" disabled={!unread} loading={readAll.isPending} onClick={() => readAll.mutate()}>
              Mark all read
            </Button>
            <Tooltip label="Notification preferences">
              <ActionIcon variant="subtle" size="sm" aria-label="Notification preferences" onClick={() => go('/settings/$section')}>
                <IconSettings size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={0} aria-live="polite">
            {list.isPending && <Loader size="sm" m="sm" aria-label="Loading notifications" />}
            {list.data?.items.length === 0 && (
              <Text c="dimmed" size="sm" p="sm">
                You are all caught up. Mentions, assignments and replies on tickets you follow will show up here.
              </Text>
            )}
            {list.data?.items.map((n) => (
              <NotificationItem key={n.id} notification={n} onOpen={open} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
        <Group justify="center" p="xs" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <Anchor component="button" size="sm" onClick={() => go('/notifications')}>
            See all notifications
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  )
}
