import type { RideAlongDto } from '@allhands/contract'
import { Button, Drawer, Group, Paper, Text } from '@mantine/core'
import { IconEye, IconMessageCircle, IconX } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { useCurrentUser } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'
import { onDraftChange } from '../tickets/composer-bus.ts'
import { endRideAlong, useMyRideAlongs } from './ride-along.api.ts'
import { SideChat } from './SideChat.tsx'

/** Drafts are mirrored at most this often, and cut to fit one socket message. */
const DRAFT_THROTTLE_MS = 300
const MAX_DRAFT_CHARS = 8000

/**
 * Always on screen for the person being followed: who rides along, a side chat and an End button.
 * While someone rides along (and only then), this also mirrors the person's drafts to the server.
 */
export function RideAlongBanner() {
  const me = useCurrentUser()
  const rides = useMyRideAlongs()
  const active = rides.data?.items.filter((r) => r.active) ?? []
  const followingMe = active.filter((r) => r.followed.id === me.id)
  const iFollow = active.filter((r) => r.follower.id === me.id)
  const [chatWith, setChatWith] = useState<RideAlongDto | null>(null)

  useDraftMirror(followingMe.length > 0)

  if (!followingMe.length && !iFollow.length) return null
  return (
    <>
      {followingMe.length > 0 && (
        <Paper role="status" aria-live="polite" radius={0} px="md" py={6} bg="yellow.1" data-testid="ride-along-banner">
          <Group gap="sm" wrap="wrap">
            <IconEye size={16} aria-hidden />
            <Text size="sm" fw={600}>
              Riding along with you:
            </Text>
            {followingMe.map((r) => (
              <Group key={r.id} gap={4} wrap="nowrap">
                <Text size="sm">{r.follower.name}</Text>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  leftSection={<IconMessageCircle size={14} aria-hidden />}
                  onClick={() => setChatWith(r)}
                  aria-label={`Side chat with ${r.follower.name}`}
                >
                  Chat
                </Button>
                <Button
                  size="compact-xs"
                  variant="light"
                  color="red"
                  leftSection={<IconX size={14} aria-hidden />}
                  onClick={() => void endRideAlong(r.id)}
                  aria-label={`End ride-along with ${r.follower.name}`}
                >
                  End
                </Button>
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              They see the tickets you open, your drafts and what you send, only where they may see the ticket.
            </Text>
          </Group>
        </Paper>
      )}
      {iFollow.length > 0 && (
        <Paper radius={0} px="md" py={4} bg="indigo.0" data-testid="riding-along-notice">
          <Group gap="sm">
            <IconEye size={14} aria-hidden />
            {iFollow.map((r) => (
              <RouterAnchor key={r.id} size="sm" to="/ride-along/$rideAlongId" params={{ rideAlongId: String(r.id) }}>
                You are riding along with {r.followed.name}
              </RouterAnchor>
            ))}
          </Group>
        </Paper>
      )}
      <Drawer opened={chatWith !== null} onClose={() => setChatWith(null)} position="right" title={chatWith ? `Side chat with ${chatWith.follower.name}` : ''}>
        {chatWith && <SideChat rideAlongId={chatWith.id} active={active.some((r) => r.id === chatWith.id)} otherName={chatWith.follower.name} />}
      </Drawer>
    </>
  )
}

/** Sends the open composer's draft over the socket, throttled, while `enabled` (someone rides along). */
function useDraftMirror(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return
    let timer: ReturnType<typeof setTimeout> | null = null
    let pending: { ticketId: number; mode: 'reply' | 'note'; html: string } | null = null
    const flush = () => {
      timer = null
      if (pending) realtime.sendDraft(pending.ticketId, pending.mode, pending.html.slice(0, MAX_DRAFT_CHARS))
      pending = null
    }
    const off = onDraftChange((d) => {
      pending = { ticketId: d.ticketId, mode: d.mode, html: d.html }
      if (!timer) timer = setTimeout(flush, DRAFT_THROTTLE_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [enabled])
}
