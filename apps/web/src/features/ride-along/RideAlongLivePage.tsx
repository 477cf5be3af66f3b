import type { MirrorTicket, RideAlongActivityPayload, RideAlongDraftPayload, RideAlongSentPayload } from '@allhands/contract'
import { Alert, Badge, Button, Card, Center, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { IconEyeOff, IconPencil, IconSend } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useParams } from '@tanstack/react-router'
import { useEffect, useMemo, useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, useCurrentUser } from '../../lib/queries.ts'
import { realtime, useRealtimeConnected, useRoom } from '../../lib/realtime.ts'
import { MessageFrame, prepareMessageHtml } from '../tickets/MessageFrame.tsx'
import { endRideAlong, rideAlongApi, rideAlongKeys, rideAlongRoom } from './ride-along.api.ts'
import { SideChat } from './SideChat.tsx'

const KIND_LABEL = { reply: 'Reply', note: 'Internal note', held_reply: 'Reply held for review' } as const

/** /ride-along/:id — the follower's live view of the followed person's work, and the side chat. */
export function RideAlongLivePage() {
  const { rideAlongId } = useParams({ strict: false }) as { rideAlongId: string }
  const id = Number(rideAlongId)
  const me = useCurrentUser()
  const live = useQuery({ queryKey: rideAlongKeys.live(id), queryFn: () => rideAlongApi.live(id), enabled: Number.isInteger(id) })
  const ride = live.data?.rideAlong
  const connected = useRealtimeConnected()
  const [pushed, setPushed] = useState<{ activity: MirrorTicket[]; at: number } | null>(null)
  const [draft, setDraft] = useState<RideAlongDraftPayload | null>(null)
  const [sent, setSent] = useState<RideAlongSentPayload[]>([])
  useRoom(ride?.active ? rideAlongRoom(id) : null)

  useEffect(() => {
    const offEvent = realtime.onEvent((e) => {
      if (e.payload.rideAlongId !== id) return
      if (e.name === 'ride_along.activity') setPushed({ activity: (e.payload as unknown as RideAlongActivityPayload).activity, at: Date.now() })
      else if (e.name === 'ride_along.draft') {
        const d = e.payload as unknown as RideAlongDraftPayload
        setDraft((old) => (old && old.at > d.at ? old : d))
      } else if (e.name === 'ride_along.sent') setSent((old) => [e.payload as unknown as RideAlongSentPayload, ...old].slice(0, 20))
      else if (e.name === 'ride_along.changed') void queryClient.invalidateQueries({ queryKey: rideAlongKeys.all })
    })
    const offReconnect = realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: rideAlongKeys.live(id) }))
    return () => {
      offEvent()
      offReconnect()
    }
  }, [id])

  if (live.isPending)
    return (
      <Center p="xl">
        <Loader aria-label="Loading ride-along" />
      </Center>
    )
  if (live.isError || !ride)
    return (
      <Alert m="md" color="red" title="This ride-along cannot be shown">
        {live.error instanceof Error ? live.error.message : 'It does not exist or is not yours.'}
      </Alert>
    )

  const iFollow = ride.follower.id === me.id
  const other = iFollow ? ride.followed : ride.follower
  // Whichever is newer: the last snapshot fetched or the last change pushed.
  const now = pushed && pushed.at > live.dataUpdatedAt ? pushed.activity : live.data.activity

  return (
    <Stack p="md" maw={1200}>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h3">
            {iFollow ? `Riding along with ${ride.followed.name}` : `${ride.follower.name} rides along with you`}
          </Title>
          <Text size="sm" c="dimmed">
            Started {relativeTime(ride.startedAt)}
            {ride.active ? '' : ` · ended ${ride.endedAt ? relativeTime(ride.endedAt) : ''}${ride.endedBy ? ` by ${ride.endedBy.name}` : ''}`}
          </Text>
        </div>
        <Group gap="xs">
          {ride.active ? (
            <>
              <Badge color={connected ? 'green' : 'gray'} variant="dot">
                {connected ? 'Live' : 'Reconnecting…'}
              </Badge>
              <Button color="red" variant="light" onClick={() => void endRideAlong(id)}>
                End ride-along
              </Button>
            </>
          ) : (
            <Badge color="gray">Ended</Badge>
          )}
        </Group>
      </Group>

      <Grid>
        {iFollow && ride.active && (
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  Where {ride.followed.name} is now
                </Title>
                <CurrentTickets activity={now} name={ride.followed.name} />
              </Card>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  <Group gap={6}>
                    <IconPencil size={16} aria-hidden /> Draft as they type
                  </Group>
                </Title>
                <DraftPreview draft={draft} />
              </Card>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  <Group gap={6}>
                    <IconSend size={16} aria-hidden /> What they sent
                  </Group>
                </Title>
                <SentList sent={sent} />
              </Card>
            </Stack>
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: iFollow && ride.active ? 5 : 8 }}>
          <Card withBorder>
            <Title order={2} size="h5" mb="xs">
              Side chat with {other.name}
            </Title>
            <SideChat rideAlongId={id} active={ride.active} otherName={other.name} />
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

function TicketLabel({ t }: { t: { visible: boolean; ticketId: number | null; subject: string | null } }) {
  if (!t.visible || t.ticketId === null)
    return (
      <Group gap={6} c="dimmed">
        <IconEyeOff size={14} aria-hidden />
        <Text size="sm" c="dimmed">
          Working on a ticket you cannot see
        </Text>
      </Group>
    )
  return (
    <RouterAnchor size="sm" to="/tickets/$ticketId" params={{ ticketId: String(t.ticketId) }}>
      #{t.ticketId} {t.subject}
    </RouterAnchor>
  )
}

function CurrentTickets({ activity, name }: { activity: MirrorTicket[]; name: string }) {
  if (!activity.length)
    return (
      <Text size="sm" c="dimmed">
        {name} has no ticket open right now.
      </Text>
    )
  return (
    <Stack gap={6} aria-live="polite" data-testid="ride-along-activity">
      {activity.map((t, i) => (
        <Group key={t.ticketId ?? `hidden-${i}`} justify="space-between">
          <TicketLabel t={t} />
          {t.typing && (
            <Badge size="sm" color="orange" variant="light">
              typing…
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  )
}

function DraftPreview({ draft }: { draft: RideAlongDraftPayload | null }) {
  if (!draft)
    return (
      <Text size="sm" c="dimmed">
        Nothing typed yet. Drafts appear here as they are written.
      </Text>
    )
  return (
    <Stack gap="xs" data-testid="ride-along-draft">
      <Group justify="space-between">
        <TicketLabel t={draft} />
        <Badge size="sm" variant="light" color={draft.mode === 'note' ? 'yellow' : 'indigo'}>
          {draft.mode === 'note' ? 'Internal note' : 'Reply'}
        </Badge>
      </Group>
      {draft.visible &&
        (draft.html.trim() ? (
          <SafeFrame html={draft.html} title="Draft being written" />
        ) : (
          <Text size="sm" c="dimmed">
            The composer is empty.
          </Text>
        ))}
    </Stack>
  )
}

function SentList({ sent }: { sent: RideAlongSentPayload[] }) {
  if (!sent.length)
    return (
      <Text size="sm" c="dimmed">
        Nothing sent since you joined.
      </Text>
    )
  return (
    <Stack gap="sm" data-testid="ride-along-sent">
      {sent.map((m) => (
        <Stack key={`${m.at}-${m.ticketId}-${m.kind}`} gap={4}>
          <Group justify="space-between">
            <TicketLabel t={m} />
            <Group gap={6}>
              <Badge size="sm" variant="light" color={m.kind === 'note' ? 'yellow' : m.kind === 'held_reply' ? 'orange' : 'green'}>
                {KIND_LABEL[m.kind]}
              </Badge>
              <Text size="xs" c="dimmed">
                {relativeTime(m.at)}
              </Text>
            </Group>
          </Group>
          {m.visible && <SafeFrame html={m.html} title={`${KIND_LABEL[m.kind]} sent`} />}
        </Stack>
      ))}
    </Stack>
  )
}

/** Server-sanitized HTML in the same sandboxed frame as the conversation, remote images blocked. */
function SafeFrame({ html, title }: { html: string; title: string }) {
  const body = useMemo(() => prepareMessageHtml(html, window.location.origin).body, [html])
  return <MessageFrame body={body} title={title} />
}
