import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core'
import { IconBell } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { relativeTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'

export function NotificationsBell() {
  const [opened, setOpened] = useState(false)
  const navigate = useNavigate()
  const list = useQuery({ queryKey: keys.notifications, queryFn: api.notifications })
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.notifications })
  const read = useMutation({ mutationFn: api.readNotification, onSuccess: refresh })
  const readAll = useMutation({ mutationFn: api.readAllNotifications, onSuccess: refresh })
  const unread = list.data?.unreadCount ?? 0
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withinPortal>
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} disabled={!unread} color="red" offset={4}>
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={`Notifications, ${unread} unread`}
            data-testid="notifications-bell"
          >
            <IconBell size={18} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" p="sm">
          <Text fw={600}>Notifications</Text>
          <Button size="compact-xs" variant="subtle" disabled={!unread} onClick={() => readAll.mutate()}>
            Mark all read
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={0} aria-live="polite">
            {list.data?.items.length === 0 && (
              <Text c="dimmed" size="sm" p="sm">
                You are all caught up. Mentions and assignments will show up here.
              </Text>
            )}
            {list.data?.items.map((n) => (
              <UnstyledButton
                key={n.id}
                p="sm"
                style={{ borderTop: '1px solid var(--mantine-color-default-border)', background: n.readAt ? undefined : 'var(--mantine-color-indigo-light)' }}
                onClick={() => {
                  if (!n.readAt) read.mutate(n.id)
                  setOpened(false)
                  if (n.ticketId) void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(n.ticketId) } })
                }}
              >
                <Text size="sm" fw={n.readAt ? 400 : 600}>
                  {n.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {relativeTime(n.createdAt)}
                  {n.readAt ? '' : ' · unread'}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  )
}
