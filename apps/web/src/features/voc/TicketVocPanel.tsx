import type { TicketDto } from '@allhands/contract'
import { ActionIcon, Button, Group, Kbd, Loader, Stack, Text, Title, Tooltip } from '@mantine/core'
import { IconSpeakerphone, IconX } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, showError, useCurrentUser } from '../../lib/queries.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { LinkToItemDialog, selectedConversationText } from './LinkToItemDialog.tsx'
import { VocStatusBadge } from './VocStatus.tsx'
import { refreshVoc, useVocLive, vocApi, vocKeys } from './voc.api.ts'

/** The ticket's voice-of-customer items, and "Link to item" (shortcut v) quoting the selected text. */
export function TicketVocPanel({ ticket }: { ticket: TicketDto }) {
  useVocLive()
  const user = useCurrentUser()
  const [linking, setLinking] = useState<{ quote: string } | null>(null)
  const list = useQuery({ queryKey: vocKeys.ticket(ticket.id), queryFn: () => vocApi.forTicket(ticket.id) })
  const unlink = useMutation({ mutationFn: vocApi.unlink, onSuccess: () => void refreshVoc(), onError: showError })
  // The selection is read on mouse down: by the click, focus (and in some browsers the selection) has moved.
  const pressed = useRef<string | null>(null)
  const open = () => {
    setLinking({ quote: pressed.current ?? selectedConversationText() })
    pressed.current = null
  }
  useShortcuts({ v: open })
  const items = list.data?.items ?? []
  return (
    <section aria-label="Voice of customer">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h6">
          Voice of customer
        </Title>
        <Tooltip
          label={
            <>
              Link to item <Kbd size="xs">v</Kbd>
            </>
          }
        >
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconSpeakerphone size={14} aria-hidden />}
            onMouseDown={() => {
              pressed.current = selectedConversationText()
            }}
            onClick={open}
            aria-keyshortcuts="v"
          >
            Link to item
          </Button>
        </Tooltip>
      </Group>
      {list.isPending ? (
        <Loader size="xs" aria-label="Loading voice-of-customer items" />
      ) : items.length === 0 ? (
        <Text size="xs" c="dimmed">
          Is this a pain point or a feature request? Link it so product hears it, in the customer's words.
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((l) => (
            <li key={l.linkId}>
              <Group gap={6} justify="space-between" wrap="nowrap">
                <RouterAnchor to="/voc/$itemId" params={{ itemId: String(l.item.id) }} size="sm" truncate="end" style={{ minWidth: 0 }}>
                  {l.item.title}
                </RouterAnchor>
                <Group gap={4} wrap="nowrap">
                  <VocStatusBadge status={l.item.status} />
                  {l.canUnlink && (
                    <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Unlink from ${l.item.title}`} onClick={() => unlink.mutate(l.linkId)}>
                      <IconX size={12} aria-hidden />
                    </ActionIcon>
                  )}
                </Group>
              </Group>
              {l.quote && (
                <Text size="xs" c="dimmed" lineClamp={2} fs="italic">
                  “{l.quote}”
                </Text>
              )}
            </li>
          ))}
        </Stack>
      )}
      {linking && (
        <LinkToItemDialog
          target={{ ticketId: ticket.id }}
          initialQuote={linking.quote}
          canCreate={isStaff(user.role)}
          linkedItemIds={items.map((l) => l.item.id)}
          onClose={() => setLinking(null)}
        />
      )}
    </section>
  )
}
