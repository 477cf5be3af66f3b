import { Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { VocStatusBadge } from './VocStatus.tsx'
import { NOTIFICATION_COLOR, NOTIFICATION_LABEL, useVocLive, vocApi, vocKeys } from './voc.api.ts'

/** On a contact's page: the voice-of-customer items they raised and the close-the-loop replies for them. */
export function ContactVocPanel({ contactId }: { contactId: number }) {
  useVocLive()
  const data = useQuery({ queryKey: vocKeys.contact(contactId), queryFn: () => vocApi.forContact(contactId) })
  const items = data.data?.items ?? []
  const notifications = data.data?.notifications ?? []
  return (
    <Paper withBorder p="md" mt="md" component="section" aria-label="Voice of customer">
      <Title order={2} size="h5" mb="xs">
        Voice of customer
      </Title>
      {data.isPending ? (
        <Loader size="sm" aria-label="Loading voice-of-customer items" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          This customer's tickets are not linked to any pain point or feature request.
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map(({ item, links }) => (
            <Group key={item.id} component="li" justify="space-between" wrap="nowrap">
              <RouterAnchor to="/voc/$itemId" params={{ itemId: String(item.id) }} size="sm" truncate="end">
                {item.title}
              </RouterAnchor>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {links} ticket{links === 1 ? '' : 's'}
                </Text>
                <VocStatusBadge status={item.status} />
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      {notifications.length > 0 && (
        <>
          <Title order={3} size="h6" mt="md" mb="xs">
            Told when shipped
          </Title>
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {notifications.map((n) => (
              <Group key={n.id} component="li" justify="space-between" wrap="nowrap">
                <Text size="sm" truncate="end">
                  {n.itemTitle} ·{' '}
                  <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(n.ticket.id) }} size="sm">
                    #{n.ticket.number}
                  </RouterAnchor>
                </Text>
                <Group gap={6} wrap="nowrap">
                  {n.sentAt && (
                    <Text size="xs" c="dimmed">
                      {relativeTime(n.sentAt)}
                    </Text>
                  )}
                  <Badge size="sm" variant="light" color={NOTIFICATION_COLOR[n.status]}>
                    {NOTIFICATION_LABEL[n.status]}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
        </>
      )}
    </Paper>
  )
}
