import type { ChatConversationDto, MessageDto, TicketDto } from '@allhands/contract'
import { Badge, Button, Group, Loader, Modal, Stack, Text, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { keys, queryClient, useCurrentUser, useInboxes } from '../../lib/queries.ts'
import { CONVERSATION_COLOR, CONVERSATION_LABEL, chatApi, chatKeys, mayChat, maySupervise } from './chat.api.ts'
import { PageViewList, usePageViews } from './PageViews.tsx'
import { TransferDialog } from './TransferDialog.tsx'

/** "Live chat" in the ticket sidebar, for tickets on a chat inbox: state, visitor presence, actions, supervision. */
export function TicketChatPanel({ ticket }: { ticket: TicketDto }) {
  const inboxes = useInboxes()
  const isChat = inboxes.data?.find((i) => i.id === ticket.inboxId)?.type === 'chat'
  const chat = useQuery({
    queryKey: chatKeys.ticketChat(ticket.id),
    queryFn: () => chatApi.ticketChat(ticket.id),
    enabled: isChat,
    meta: { silent: true },
  })
  if (!isChat || chat.isError) return null
  if (!chat.data)
    return (
      <section aria-label="Live chat">
        <Loader size="xs" aria-label="Loading the live chat" />
      </section>
    )
  return <ChatPanel chat={chat.data} />
}

const setChat = (c: ChatConversationDto) => {
  queryClient.setQueryData(chatKeys.ticketChat(c.ticketId), c)
  void queryClient.invalidateQueries({ queryKey: chatKeys.conversations })
  void queryClient.invalidateQueries({ queryKey: keys.messages(c.ticketId) })
}

function ChatPanel({ chat }: { chat: ChatConversationDto }) {
  const user = useCurrentUser()
  const staff = mayChat(user.role)
  const lead = maySupervise(user.role)
  const [transferring, setTransferring] = useState(false)
  const [ending, setEnding] = useState(false)
  const messages = useQuery({ queryKey: keys.messages(chat.ticketId), queryFn: () => api.messages(chat.ticketId) })
  const accept = useMutation({ mutationFn: () => chatApi.accept(chat.ticketId), onSuccess: setChat })
  const open = chat.status !== 'ended'
  return (
    <section aria-label="Live chat" data-testid="ticket-chat-panel">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h6">
          Live chat
        </Title>
        <Badge size="sm" variant="light" color={CONVERSATION_COLOR[chat.status]} data-testid="chat-status">
          {CONVERSATION_LABEL[chat.status]}
        </Badge>
      </Group>
      <Stack gap={6}>
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            Agent:{' '}
          </Text>
          <span data-testid="chat-agent">{chat.agent?.name ?? 'nobody yet'}</span>
        </Text>
        <Group gap={6}>
          <Badge size="sm" variant="dot" color={chat.visitorOnline ? 'teal' : 'gray'}>
            {chat.visitorOnline ? 'Visitor online' : 'Visitor offline'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" fs="italic" aria-live="polite" mih={20} data-testid="visitor-typing">
          {chat.visitorTyping ? 'Visitor is typing…' : ''}
        </Text>
        <ReadReceipt chat={chat} messages={messages.data?.items} />
        {chat.status === 'ended' && chat.endedAt && (
          <Text size="xs" c="dimmed" title={fullTime(chat.endedAt)}>
            Ended {relativeTime(chat.endedAt)}
            {chat.rating !== null ? ` · rated ${chat.rating} / 5` : ''}
          </Text>
        )}
        {chat.supervisors.length > 0 && (
          <Stack gap={2} data-testid="chat-supervisors">
            {chat.supervisors.map((s) => (
              <Text key={s.user.id} size="xs" c="grape">
                {s.user.id === user.id ? 'You are' : `${s.user.name} is`} {s.mode === 'join' ? 'in this chat' : 'watching'} (since {relativeTime(s.since)})
              </Text>
            ))}
          </Stack>
        )}
        {staff && open && (
          <Group gap="xs" mt={4}>
            {chat.status === 'waiting' && (
              <Button size="xs" onClick={() => accept.mutate()} loading={accept.isPending}>
                Accept
              </Button>
            )}
            <Button size="xs" variant="default" onClick={() => setTransferring(true)}>
              Transfer
            </Button>
            <Button size="xs" variant="light" color="red" onClick={() => setEnding(true)}>
              End chat
            </Button>
          </Group>
        )}
        {lead && open && <Supervision chat={chat} meId={user.id} />}
        {staff && <VisitorPages visitorId={chat.visitorId} />}
      </Stack>
      {transferring && <TransferDialog chat={chat} onClose={() => setTransferring(false)} />}
      {ending && <EndChatDialog chat={chat} onClose={() => setEnding(false)} />}
    </section>
  )
}

/** Whether the visitor has read the newest reply (the widget reports what it displayed). */
function ReadReceipt({ chat, messages }: { chat: ChatConversationDto; messages?: MessageDto[] }) {
  const lastReply = [...(messages ?? [])].reverse().find((m) => m.direction === 'outbound' && m.kind === 'reply')
  if (!lastReply) return null
  const read = chat.visitorReadUpTo !== null && chat.visitorReadUpTo >= lastReply.id
  return (
    <Text size="xs" c={read ? 'teal' : 'dimmed'} data-testid="chat-read-receipt">
      {read ? 'Last reply seen by the visitor' : 'Last reply not seen yet'}
    </Text>
  )
}

function EndChatDialog({ chat, onClose }: { chat: ChatConversationDto; onClose: () => void }) {
  const end = useMutation({
    mutationFn: () => chatApi.end(chat.ticketId),
    onSuccess: (c) => {
      setChat(c)
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title="End this chat?">
      <Stack>
        <Text size="sm">The visitor sees that the chat has ended and may rate it. The ticket stays open until you solve it.</Text>
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Keep chatting
          </Button>
          <Button color="red" onClick={() => end.mutate()} loading={end.isPending} data-autofocus>
            End chat
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

/** Leads: watch silently, join the conversation, or stop; whisper to the agent (an internal note the visitor never sees). */
function Supervision({ chat, meId }: { chat: ChatConversationDto; meId: number }) {
  const mode = chat.supervisors.find((s) => s.user.id === meId)?.mode ?? null
  const [whisper, setWhisper] = useState('')
  const supervise = useMutation({ mutationFn: (m: 'watch' | 'join' | 'stop') => chatApi.supervise(chat.ticketId, m), onSuccess: setChat })
  const send = useMutation({
    mutationFn: () => chatApi.whisper(chat.ticketId, whisper.trim()),
    onSuccess: () => {
      setWhisper('')
      void queryClient.invalidateQueries({ queryKey: keys.messages(chat.ticketId) })
      notifications.show({ color: 'green', message: chat.agent ? `Whispered to ${chat.agent.name}` : 'Whisper saved' })
    },
  })
  return (
    <Stack gap={6} mt="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" size="xs" fw={700} c="dimmed" tt="uppercase">
        Supervision
      </Text>
      <Group gap="xs">
        {mode !== 'watch' && mode !== 'join' && (
          <Button
            size="xs"
            variant="light"
            color="grape"
            onClick={() => supervise.mutate('watch')}
            loading={supervise.isPending && supervise.variables === 'watch'}
          >
            Watch
          </Button>
        )}
        {mode !== 'join' && (
          <Button
            size="xs"
            variant="light"
            color="grape"
            onClick={() => supervise.mutate('join')}
            loading={supervise.isPending && supervise.variables === 'join'}
          >
            Join
          </Button>
        )}
        {mode && (
          <Button size="xs" variant="default" onClick={() => supervise.mutate('stop')} loading={supervise.isPending && supervise.variables === 'stop'}>
            Stop
          </Button>
        )}
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (whisper.trim()) send.mutate()
        }}
      >
        <Stack gap={4}>
          <Textarea
            label="Whisper to the agent"
            description="Never shown to the visitor; saved as an internal note."
            autosize
            minRows={2}
            maxLength={4000}
            value={whisper}
            onChange={(e) => setWhisper(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                e.preventDefault()
                if (whisper.trim()) send.mutate()
              }
            }}
          />
          <Button type="submit" size="xs" variant="light" color="grape" w="fit-content" disabled={!whisper.trim()} loading={send.isPending}>
            Whisper
          </Button>
        </Stack>
      </form>
    </Stack>
  )
}

function VisitorPages({ visitorId }: { visitorId: number }) {
  const views = usePageViews({ kind: 'visitor', id: visitorId }, 5)
  const items = views.data?.pages.flatMap((p) => p.items) ?? []
  if (views.isError) return null
  return (
    <Stack gap={4} mt="xs">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        Recent pages
      </Text>
      {views.isPending ? (
        <Loader size="xs" aria-label="Loading the visitor's pages" />
      ) : items.length === 0 ? (
        <Text size="xs" c="dimmed">
          No page views recorded.
        </Text>
      ) : (
        <>
          <PageViewList items={items} label="The visitor's recent pages, newest first" />
          {views.hasNextPage && (
            <Button size="compact-xs" variant="subtle" w="fit-content" onClick={() => void views.fetchNextPage()} loading={views.isFetchingNextPage}>
              More pages
            </Button>
          )}
        </>
      )}
    </Stack>
  )
}
