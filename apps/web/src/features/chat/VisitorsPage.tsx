import type { LiveVisitorDto } from '@allhands/contract'
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Drawer,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconListDetails, IconMessagePlus } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { type MouseEvent, useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isAdmin, useCurrentUser, useInboxes, useMe } from '../../lib/queries.ts'
import { CONVERSATION_COLOR, CONVERSATION_LABEL, chatApi, chatKeys, countryName, elapsed, languageName, mayChat, useNow, useVisitorsLive } from './chat.api.ts'
import { PageLink, PageViewList, usePageViews } from './PageViews.tsx'

const INVITE_LABEL = { sent: 'Invited', accepted: 'Accepted invite', dismissed: 'Dismissed invite' } as const
const INVITE_COLOR = { sent: 'blue', accepted: 'teal', dismissed: 'gray' } as const

/** /visitors: who is on the site right now, updated live from the `visitors` room; invite them to chat. */
export function VisitorsPage() {
  const user = useCurrentUser()
  if (!mayChat(user.role))
    return (
      <Alert m="md" color="gray" title="Visitor monitoring is for the support team">
        Ask an administrator if you should see who is on the site.
      </Alert>
    )
  return <Visitors />
}

function Visitors() {
  useVisitorsLive()
  // Events are applied to the cache while the page is open; coming back to it starts from a fresh list.
  const visitors = useQuery({
    queryKey: chatKeys.visitors,
    queryFn: chatApi.visitors,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: 'always',
    meta: { silent: true },
  })
  const inboxes = useInboxes()
  const chatInboxes = (inboxes.data ?? []).filter((i) => i.type === 'chat')
  const [inboxFilter, setInboxFilter] = useState<string | null>(null)
  const [inviting, setInviting] = useState<LiveVisitorDto | null>(null)
  const [openId, setOpenId] = useState<number | null>(null)
  const all = visitors.data?.items ?? []
  const items = inboxFilter ? all.filter((v) => v.inboxId === Number(inboxFilter)) : all
  const open = all.find((v) => v.id === openId) ?? null
  return (
    <Stack p="md" maw={1500}>
      <Group justify="space-between" align="end">
        <div>
          <Group gap="xs">
            <Title order={1} size="h3">
              Visitors
            </Title>
            {visitors.data && (
              <Badge variant="light" size="lg" data-testid="visitor-count" aria-label={`${items.length} visitors on the site`}>
                {items.length}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            People on your site right now, live. Click a row for the pages of their visit.
          </Text>
        </div>
        {chatInboxes.length > 1 && (
          <Select
            label="Site"
            placeholder="All chat inboxes"
            clearable
            w={220}
            data={chatInboxes.map((i) => ({ value: String(i.id), label: i.name }))}
            value={inboxFilter}
            onChange={setInboxFilter}
          />
        )}
      </Group>
      {visitors.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading visitors" />
        </Center>
      ) : visitors.isError ? (
        <Alert color="red" title="The visitor list is not available">
          {visitors.error.message}
        </Alert>
      ) : items.length === 0 ? (
        <EmptyState hasChatInbox={chatInboxes.length > 0} loadingInboxes={inboxes.isPending} />
      ) : (
        <Card withBorder p={0}>
          <Table.ScrollContainer minWidth={1100}>
            <Table verticalSpacing="xs" highlightOnHover aria-label="Visitors on the site" data-testid="visitors-table">
              <VisuallyHidden component="caption">Visitors on the site now; the list updates live.</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Visitor</Table.Th>
                  <Table.Th scope="col">Current page</Table.Th>
                  <Table.Th scope="col">Time on site / page</Table.Th>
                  <Table.Th scope="col">Location</Table.Th>
                  <Table.Th scope="col">Chat</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((v) => (
                  <VisitorRow key={v.id} visitor={v} onOpen={() => setOpenId(v.id)} onInvite={() => setInviting(v)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {inviting && <InviteDialog visitor={inviting} onClose={() => setInviting(null)} />}
      <VisitDrawer visitor={open} onClose={() => setOpenId(null)} />
    </Stack>
  )
}

// Clicks on the row's own links and buttons do their own thing; anywhere else opens the visit.
const fromControl = (e: MouseEvent) => e.target instanceof Element && !!e.target.closest('a,button,input,textarea')

function VisitorRow({ visitor: v, onOpen, onInvite }: { visitor: LiveVisitorDto; onOpen: () => void; onInvite: () => void }) {
  const now = useNow()
  const chatting = v.chat && v.chat.status !== 'ended'
  return (
    <Table.Tr data-visitor-id={v.id} style={{ cursor: 'pointer' }} onClick={(e) => !fromControl(e) && onOpen()}>
      <Table.Td>
        <Stack gap={2}>
          {v.contact ? (
            <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(v.contact.id) }} size="sm" fw={600}>
              {v.contact.name}
            </RouterAnchor>
          ) : (
            <Text size="sm" fw={600}>
              {v.name}
            </Text>
          )}
          {v.claimedEmail && !v.verified && (
            <Group gap={4} wrap="nowrap">
              <Text size="xs" c="dimmed" truncate="end" maw={180}>
                {v.claimedEmail}
              </Text>
              <Tooltip label="The visitor typed this address; their site did not sign it, so it is not linked to a contact.">
                <Badge size="xs" color="orange" variant="light" tabIndex={0} style={{ flexShrink: 0 }}>
                  unverified
                </Badge>
              </Tooltip>
            </Group>
          )}
          <Group gap={4}>
            <Badge size="xs" variant="light" color={v.returning ? 'grape' : 'cyan'}>
              {v.returning ? 'Returning' : 'New'}
            </Badge>
            {v.returning && (
              <Text size="xs" c="dimmed">
                visit {v.visitCount}
              </Text>
            )}
            {v.verified && (
              <Badge size="xs" variant="light" color="teal">
                verified
              </Badge>
            )}
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td maw={360}>
        <Stack gap={2}>
          <PageLink url={v.page.url} title={v.page.title} />
          <Text size="xs" c="dimmed" truncate="end" title={v.page.url}>
            {v.page.url}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" title={v.referrer || undefined}>
            {v.referrer ? `from ${v.referrer}` : 'direct visit'}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" aria-label={`On site for ${elapsed(now - v.onSiteSince)}`}>
          {elapsed(now - v.onSiteSince)}
        </Text>
        <Text size="xs" c="dimmed" aria-label={`On this page for ${elapsed(now - v.onPageSince)}`}>
          this page {elapsed(now - v.onPageSince)}
        </Text>
        <Text size="xs" c="dimmed">
          {v.pagesThisVisit} page{v.pagesThisVisit === 1 ? '' : 's'} this visit
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{countryName(v.country) || 'Unknown country'}</Text>
        <Text size="xs" c="dimmed">
          {v.timezone || 'time zone unknown'}
        </Text>
        <Text size="xs" c="dimmed">
          {languageName(v.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          {v.chat ? (
            <Group gap={4} wrap="nowrap">
              <Badge size="sm" variant="light" color={CONVERSATION_COLOR[v.chat.status]} style={{ flexShrink: 0 }}>
                {CONVERSATION_LABEL[v.chat.status]}
              </Badge>
              <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(v.chat.ticketId) }} size="sm">
                #{v.chat.ticketId}
              </RouterAnchor>
              {v.chat.agent && (
                <Text size="xs" c="dimmed" truncate="end">
                  {v.chat.agent.name}
                </Text>
              )}
            </Group>
          ) : (
            <Text size="xs" c="dimmed">
              Not chatting
            </Text>
          )}
          {v.invite && (
            <Badge size="xs" variant="outline" color={INVITE_COLOR[v.invite.status]} title={relativeTime(v.invite.at)} data-testid="invite-status">
              {INVITE_LABEL[v.invite.status]}
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="end">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconMessagePlus size={14} aria-hidden />}
            onClick={onInvite}
            disabled={!!chatting}
            aria-label={`Invite ${v.contact?.name ?? v.name} to chat`}
          >
            Invite to chat
          </Button>
          <Tooltip label="Pages of this visit">
            <ActionIcon variant="subtle" onClick={onOpen} aria-label={`Pages viewed by ${v.contact?.name ?? v.name}`}>
              <IconListDetails size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}

function EmptyState({ hasChatInbox, loadingInboxes }: { hasChatInbox: boolean; loadingInboxes: boolean }) {
  const user = useCurrentUser()
  const admin = isAdmin(user.role)
  if (loadingInboxes) return null
  return (
    <Card withBorder p="xl" data-testid="visitors-empty">
      <Stack align="center" gap="xs" ta="center">
        <Title order={2} size="h4">
          No one is on your site right now
        </Title>
        {hasChatInbox ? (
          <Text size="sm" c="dimmed" maw={560}>
            Visitors appear here the moment they open a page that embeds the chat widget, and leave the list when they close it. The widget is one script tag;{' '}
            {admin ? 'copy it from' : 'an administrator finds it in'} Settings → Live chat.
          </Text>
        ) : (
          <Text size="sm" c="dimmed" maw={560}>
            There is no chat inbox yet. {admin ? 'Create one' : 'An administrator creates one'} in Settings → Live chat, then embeds its script tag on your
            site.
          </Text>
        )}
        {admin && (
          <RouterAnchor to="/settings/$section" params={{ section: 'live-chat' }}>
            Open Settings → Live chat
          </RouterAnchor>
        )}
      </Stack>
    </Card>
  )
}

function InviteDialog({ visitor, onClose }: { visitor: LiveVisitorDto; onClose: () => void }) {
  const me = useMe()
  const firstName = me.data?.user.name.split(/\s+/)[0] ?? ''
  const [message, setMessage] = useState(`Hi! I'm ${firstName} from ${me.data?.workspaceName ?? 'the team'}. Can I help you with anything?`)
  const name = visitor.contact?.name ?? visitor.name
  const invite = useMutation({
    mutationFn: () => chatApi.invite(visitor.id, message.trim()),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `Invitation sent to ${name}` })
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Invite ${name} to chat`}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (message.trim()) invite.mutate()
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            The invitation pops up beside the chat button on the page they are reading ({visitor.page.title || visitor.page.url}).
          </Text>
          <Textarea
            label="Message"
            autosize
            minRows={3}
            maxLength={500}
            required
            data-autofocus
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            description={`${message.length}/500`}
          />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending} disabled={!message.trim()}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function VisitDrawer({ visitor, onClose }: { visitor: LiveVisitorDto | null; onClose: () => void }) {
  const name = visitor ? (visitor.contact?.name ?? visitor.name) : ''
  return (
    <Drawer opened={!!visitor} onClose={onClose} position="right" size="md" title={visitor ? `Visit of ${name}` : ''}>
      {visitor && <VisitDetails visitor={visitor} />}
    </Drawer>
  )
}

function VisitDetails({ visitor: v }: { visitor: LiveVisitorDto }) {
  const views = usePageViews({ kind: 'visitor', id: v.id })
  const items = views.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {v.returning ? `Returning visitor, visit ${v.visitCount}` : 'First visit'} · {v.pagesThisVisit} page{v.pagesThisVisit === 1 ? '' : 's'} this visit ·{' '}
        {[countryName(v.country), v.timezone, languageName(v.language)].filter(Boolean).join(' · ')}
      </Text>
      {v.claimedEmail && (
        <Text size="sm">
          Says they are {v.claimedEmail} {v.verified ? '(verified)' : '(unverified)'}
        </Text>
      )}
      <Title order={3} size="h6">
        Pages viewed
      </Title>
      {views.isPending ? (
        <Loader size="sm" aria-label="Loading page views" />
      ) : views.isError ? (
        <Text size="sm" c="red">
          The pages of this visit could not be loaded.
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No page views recorded.
        </Text>
      ) : (
        <>
          <PageViewList items={items} label={`Pages viewed by ${v.contact?.name ?? v.name}, newest first`} />
          {views.hasNextPage && (
            <Button variant="default" size="xs" w="fit-content" onClick={() => void views.fetchNextPage()} loading={views.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </>
      )}
    </Stack>
  )
}
