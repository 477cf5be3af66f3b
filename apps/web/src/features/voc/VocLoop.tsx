import type { VocItemDto, VocNotificationDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core'
import { IconSend } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { showError } from '../../lib/queries.ts'
import { NOTIFICATION_COLOR, NOTIFICATION_LABEL, refreshVoc, vocApi } from './voc.api.ts'

const editable = (n: VocNotificationDto) => n.status === 'prepared' || n.status === 'failed'

/**
 * Close the loop: the replies prepared for every customer of a shipped item. Each goes out as a normal
 * reply on the customer's ticket, sent by the person clicking Send, so their review rules apply.
 */
export function VocLoop({ item, notifications }: { item: VocItemDto; notifications: VocNotificationDto[] }) {
  const waiting = notifications.filter(editable)
  const sendAll = useMutation({ mutationFn: () => vocApi.sendAll(item.id), onSuccess: () => void refreshVoc(), onError: showError })
  return (
    <Paper withBorder p="md" component="section" aria-label="Close the loop">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} size="h5">
            Close the loop
          </Title>
          <Text size="xs" c="dimmed">
            One reply per customer, on their most recent linked ticket. Edit before sending if you like.
          </Text>
        </div>
        {waiting.length > 0 && (
          <Button leftSection={<IconSend size={14} aria-hidden />} loading={sendAll.isPending} onClick={() => sendAll.mutate()}>
            Send all
          </Button>
        )}
      </Group>
      {notifications.length === 0 ? (
        <Text size="sm" c="dimmed">
          No customers are linked to this item, so there is nobody to tell yet.
        </Text>
      ) : (
        <Stack gap="sm">
          {notifications.map((n) => (
            <NotificationRow key={n.id} notification={n} />
          ))}
        </Stack>
      )}
    </Paper>
  )
}

function NotificationRow({ notification: n }: { notification: VocNotificationDto }) {
  const [body, setBody] = useState(n.body)
  const dirty = body !== n.body
  const save = useMutation({ mutationFn: () => vocApi.editNotification(n.id, body), onSuccess: () => void refreshVoc(), onError: showError })
  const send = useMutation({
    mutationFn: async () => {
      if (dirty) await vocApi.editNotification(n.id, body)
      return vocApi.send(n.id)
    },
    onSuccess: () => void refreshVoc(),
    onError: showError,
  })
  return (
    <Paper withBorder p="sm" radius="sm" component="article" aria-label={`Reply to ${n.contact.name}`}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(n.contact.id) }} size="sm" fw={600}>
            {n.contact.name}
          </RouterAnchor>
          <Text size="sm" c="dimmed">
            on
          </Text>
          <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(n.ticket.id) }} size="sm" truncate="end">
            #{n.ticket.number} {n.ticket.subject}
          </RouterAnchor>
        </Group>
        <Badge color={NOTIFICATION_COLOR[n.status]} variant="light" style={{ flexShrink: 0 }}>
          {NOTIFICATION_LABEL[n.status]}
        </Badge>
      </Group>
      {editable(n) ? (
        <Textarea
          aria-label={`Reply to ${n.contact.name}`}
          autosize
          minRows={3}
          maxRows={12}
          maxLength={20000}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {n.body}
        </Text>
      )}
      {n.status === 'failed' && n.error && (
        <Alert color="red" mt="xs" p="xs">
          Not sent: {n.error}
        </Alert>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {n.status === 'sent' && n.sentAt ? `Sent by ${n.sentBy?.name ?? 'someone'} ${relativeTime(n.sentAt)}` : ''}
          {n.status === 'held' && n.sentAt ? `Held for review (sent by ${n.sentBy?.name ?? 'someone'} ${relativeTime(n.sentAt)})` : ''}
        </Text>
        {editable(n) && (
          <Group gap="xs">
            {dirty && (
              <Button size="compact-sm" variant="default" loading={save.isPending} onClick={() => save.mutate()}>
                Save
              </Button>
            )}
            <Button size="compact-sm" loading={send.isPending} disabled={!body.trim()} onClick={() => send.mutate()}>
              Send
            </Button>
          </Group>
        )}
      </Group>
    </Paper>
  )
}
