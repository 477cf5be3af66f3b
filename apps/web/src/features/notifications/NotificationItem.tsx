import { type NotificationDto, notificationGroupOf } from '@allhands/contract'
import { Badge, Group, Text, UnstyledButton } from '@mantine/core'
import { IconAt, IconBell, IconClipboardCheck, IconMessage, IconMessageQuestion, IconUserCheck } from '@tabler/icons-react'
import { fullTime, relativeTime } from '../../lib/format.ts'

const GROUP_ICON = {
  mention: IconAt,
  assignment: IconUserCheck,
  reply: IconMessage,
  review: IconClipboardCheck,
  consult: IconMessageQuestion,
  other: IconBell,
} as const

/** One notification as a button: opens its ticket (and marks it read); unread ones stand out. */
export function NotificationItem({ notification: n, onOpen }: { notification: NotificationDto; onOpen: (n: NotificationDto) => void }) {
  const Icon = GROUP_ICON[notificationGroupOf(n.kind)]
  return (
    <UnstyledButton
      p="sm"
      w="100%"
      data-testid="notification-item"
      data-unread={n.readAt ? undefined : 'true'}
      aria-label={`${n.readAt ? '' : 'Unread: '}${n.title}`}
      style={{ borderTop: '1px solid var(--mantine-color-default-border)', background: n.readAt ? undefined : 'var(--mantine-color-indigo-light)' }}
      onClick={() => onOpen(n)}
    >
      <Group gap="sm" wrap="nowrap" align="start">
        <Icon size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={n.readAt ? 400 : 600}>
            {n.title}
          </Text>
          <Group gap={6}>
            <Text size="xs" c="dimmed" title={fullTime(n.createdAt)}>
              {relativeTime(n.createdAt)}
            </Text>
            {!n.readAt && (
              <Badge size="xs" variant="filled" color="indigo">
                Unread
              </Badge>
            )}
          </Group>
        </div>
      </Group>
    </UnstyledButton>
  )
}
