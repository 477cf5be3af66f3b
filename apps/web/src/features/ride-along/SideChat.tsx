import { Button, Group, Loader, Paper, ScrollArea, Stack, Text, Textarea } from '@mantine/core'
import { IconSend } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { showError, useCurrentUser } from '../../lib/queries.ts'
import { useRoom } from '../../lib/realtime.ts'
import { rideAlongApi, rideAlongRoom, useSideChat } from './ride-along.api.ts'

/**
 * The private side chat of a ride-along: only its two people see it, never the customer, never the
 * ticket. Enter sends, Shift+Enter starts a new line. Read-only once the ride-along has ended.
 */
export function SideChat({ rideAlongId, active, otherName }: { rideAlongId: number; active: boolean; otherName: string }) {
  const me = useCurrentUser()
  useRoom(active ? rideAlongRoom(rideAlongId) : null)
  const chat = useSideChat(rideAlongId)
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const viewport = useRef<HTMLDivElement>(null)
  const count = chat.data?.items.length ?? 0

  useEffect(() => {
    if (count) viewport.current?.scrollTo({ top: viewport.current.scrollHeight })
  }, [count])

  const send = async () => {
    const body = text.trim()
    if (!body || sending) return
    setSending(true)
    try {
      await rideAlongApi.say(rideAlongId, body)
      setText('')
    } catch (err) {
      showError(err)
    } finally {
      setSending(false)
    }
  }

  return (
    <Stack gap="xs" aria-label={`Side chat with ${otherName}`} role="region">
      <Text size="xs" c="dimmed">
        Private between you and {otherName}. Never shown to the customer or in the ticket.
      </Text>
      <ScrollArea.Autosize mah={320} viewportRef={viewport}>
        {chat.isPending ? (
          <Group justify="center" p="md">
            <Loader size="sm" aria-label="Loading side chat" />
          </Group>
        ) : count === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            No messages yet. Ask a question any time.
          </Text>
        ) : (
          <Stack gap={6} role="log" aria-live="polite" aria-label="Side chat messages" data-testid="side-chat-log">
            {chat.data?.items.map((m) => {
              const mine = m.author.id === me.id
              return (
                <Paper key={m.id} p="xs" radius="md" bg={mine ? 'indigo.0' : 'gray.0'} ml={mine ? 'xl' : 0} mr={mine ? 0 : 'xl'}>
                  <Group justify="space-between" gap="xs">
                    <Text size="xs" fw={600}>
                      {mine ? 'You' : m.author.name}
                    </Text>
                    <Text size="xs" c="dimmed" title={new Date(m.createdAt).toLocaleString()}>
                      {relativeTime(m.createdAt)}
                    </Text>
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {m.body}
                  </Text>
                </Paper>
              )
            })}
          </Stack>
        )}
      </ScrollArea.Autosize>
      {active ? (
        <Group align="end" gap="xs" wrap="nowrap">
          <Textarea
            style={{ flex: 1 }}
            label="Message"
            placeholder={`Write to ${otherName}…`}
            description="Enter sends · Shift+Enter for a new line"
            autosize
            minRows={1}
            maxRows={5}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault()
                void send()
              }
            }}
            data-testid="side-chat-input"
          />
          <Button onClick={() => void send()} loading={sending} disabled={!text.trim()} leftSection={<IconSend size={16} aria-hidden />}>
            Send
          </Button>
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          This ride-along has ended; the side chat is read-only.
        </Text>
      )}
    </Stack>
  )
}
