import type { AgentChatStatusDto, ChatConversationListItem } from '@allhands/contract'
import { Alert, Badge, Button, Card, Center, Group, Loader, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, useCurrentUser } from '../../lib/queries.ts'
import { AvailabilityDot } from './AvailabilityMenu.tsx'
import { availabilityOf, CONVERSATION_COLOR, CONVERSATION_LABEL, chatApi, chatKeys, elapsed, mayChat, useNow } from './chat.api.ts'

/** /chats: chats waiting for someone (with Accept), my active chats, the team's other live chats and who is available. Live. */
export function ChatsPage() {
  const user = useCurrentUser()
  if (!mayChat(user.role))
    return (
      <Alert m="md" color="gray" title="Live chat is for the support team">
        Chats are answered by agents; ask an administrator if you should take chats.
      </Alert>
    )
  return <Chats meId={user.id} />
}

function Chats({ meId }: { meId: number }) {
  const navigate = useNavigate()
  const waiting = useQuery({
    queryKey: chatKeys.conversationList('waiting', false),
    queryFn: () => chatApi.conversations({ status: 'waiting' }),
    meta: { silent: true },
  })
  const active = useQuery({
    queryKey: chatKeys.conversationList('active', false),
    queryFn: () => chatApi.conversations({ status: 'active' }),
    meta: { silent: true },
  })
  const agents = useQuery({ queryKey: chatKeys.agents, queryFn: chatApi.agents })
  const accept = useMutation({
    mutationFn: (ticketId: number) => chatApi.accept(ticketId),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: chatKeys.all })
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(c.ticketId) } })
    },
  })
  const mine = (active.data?.items ?? []).filter((c) => c.agent?.id === meId)
  const others = (active.data?.items ?? []).filter((c) => c.agent?.id !== meId)
  return (
    <Stack p="md" maw={1200}>
      <div>
        <Title order={1} size="h3">
          Chats
        </Title>
        <Text size="sm" c="dimmed">
          Live conversations from your site's chat widget. Each chat is also a ticket in its inbox.
        </Text>
      </div>
      <ChatTable
        title="Waiting"
        testId="chats-waiting"
        query={waiting}
        empty="No one is waiting. New chats go straight to agents who are online and have room; the rest wait here."
        action={(c) => (
          <Button
            size="xs"
            onClick={() => accept.mutate(c.ticketId)}
            loading={accept.isPending && accept.variables === c.ticketId}
            aria-label={`Accept chat with ${c.visitorName}`}
          >
            Accept
          </Button>
        )}
        since={(c) => c.startedAt}
        sinceLabel="Waiting for"
      />
      <ChatTable
        title="My active chats"
        testId="chats-mine"
        query={active}
        rows={mine}
        empty="You have no active chat. Set yourself online (top right) to receive chats."
        since={(c) => c.lastMessageAt}
        sinceLabel="Last message"
      />
      {others.length > 0 && (
        <ChatTable
          title="Other active chats"
          testId="chats-others"
          query={active}
          rows={others}
          empty=""
          since={(c) => c.lastMessageAt}
          sinceLabel="Last message"
        />
      )}
      <AgentsCard agents={agents.data?.items} loading={agents.isPending} />
    </Stack>
  )
}

function ChatTable(props: {
  title: string
  testId: string
  query: { isPending: boolean; isError: boolean; data?: { items: ChatConversationListItem[] } }
  rows?: ChatConversationListItem[]
  empty: string
  action?: (c: ChatConversationListItem) => ReactNode
  since: (c: ChatConversationListItem) => number
  sinceLabel: string
}) {
  const rows = props.rows ?? props.query.data?.items ?? []
  return (
    <Card withBorder component="section" aria-label={props.title} data-testid={props.testId}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {props.title}
        </Title>
        {!props.query.isPending && (
          <Badge variant="light" color={rows.length ? 'indigo' : 'gray'}>
            {rows.length}
          </Badge>
        )}
      </Group>
      {props.query.isPending ? (
        <Center py="md">
          <Loader size="sm" aria-label={`Loading ${props.title.toLowerCase()}`} />
        </Center>
      ) : props.query.isError ? (
        <Text size="sm" c="red">
          These chats could not be loaded.
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="sm">
          {props.empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Visitor</Table.Th>
                <Table.Th scope="col">Conversation</Table.Th>
                <Table.Th scope="col">Agent</Table.Th>
                <Table.Th scope="col">{props.sinceLabel}</Table.Th>
                {props.action && (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.ticketId} data-ticket-id={c.ticketId}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {c.visitorName}
                      </Text>
                      <Badge size="xs" variant="dot" color={c.visitorOnline ? 'teal' : 'gray'}>
                        {c.visitorOnline ? 'online' : 'left'}
                      </Badge>
                    </Group>
                    {c.visitorTyping && (
                      <Text size="xs" c="dimmed" fs="italic">
                        typing…
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td maw={420}>
                    <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(c.ticketId) }} size="sm" lineClamp={1}>
                      #{c.ticketId} {c.subject}
                    </RouterAnchor>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {c.preview}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge size="sm" variant="light" color={CONVERSATION_COLOR[c.status]}>
                        {CONVERSATION_LABEL[c.status]}
                      </Badge>
                      <Text size="sm">{c.agent?.name ?? '—'}</Text>
                    </Group>
                    {c.supervisors.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {c.supervisors.map((s) => `${s.user.name} ${s.mode === 'join' ? 'joined' : 'watching'}`).join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Since at={props.since(c)} ago={props.sinceLabel !== 'Waiting for'} />
                  </Table.Td>
                  {props.action && <Table.Td ta="right">{props.action(c)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  )
}

function Since({ at, ago }: { at: number; ago: boolean }) {
  const now = useNow()
  return (
    <Text size="sm" aria-live="off">
      {elapsed(now - at)}
      {ago ? ' ago' : ''}
    </Text>
  )
}

function AgentsCard({ agents, loading }: { agents?: AgentChatStatusDto[]; loading: boolean }) {
  const sorted = [...(agents ?? [])].sort((a, b) => rank(a.status) - rank(b.status) || a.user.name.localeCompare(b.user.name))
  return (
    <Card withBorder component="section" aria-label="Team availability">
      <Title order={2} size="h5" mb="xs">
        Team availability
      </Title>
      {loading ? (
        <Loader size="sm" aria-label="Loading team availability" />
      ) : sorted.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nobody has set a chat availability yet.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {sorted.map((a) => (
            <Group key={a.user.id} component="li" gap={8} wrap="nowrap" aria-label={`${a.user.name}: ${availabilityOf(a.status).label}`}>
              <AvailabilityDot status={a.status} />
              <Text size="sm" truncate="end" style={{ flex: 1 }}>
                {a.user.name}
              </Text>
              <Text size="xs" c="dimmed">
                {availabilityOf(a.status).label} · {a.activeChats}/{a.capacity}
              </Text>
            </Group>
          ))}
        </SimpleGrid>
      )}
    </Card>
  )
}

const rank = (s: AgentChatStatusDto['status']) => (s === 'online' ? 0 : s === 'away' ? 1 : 2)
