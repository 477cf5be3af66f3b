import { Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { RouterAnchor } from '../../lib/links.tsx'
import { useCurrentUser } from '../../lib/queries.ts'
import { useMyRideAlongs } from './ride-along.api.ts'

/** Home: the ride-alongs I am part of right now, or an invitation to learn by following an agent. */
export function RideAlongHomeCard() {
  const me = useCurrentUser()
  const rides = useMyRideAlongs()
  const active = (rides.data?.items ?? []).filter((r) => r.active)
  return (
    <Card withBorder component="section" aria-label="Ride along">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Ride along
        </Title>
        {active.length > 0 && <Badge color="green">{active.length} live</Badge>}
      </Group>
      {rides.isPending ? (
        <Loader size="sm" aria-label="Loading ride-alongs" />
      ) : active.length === 0 ? (
        <Text size="sm" c="dimmed">
          Learn by following a support agent's work live — the tickets they open, their drafts, what they send — with a private side chat.
        </Text>
      ) : (
        <Stack gap="xs">
          {active.map((r) => (
            <RouterAnchor key={r.id} to="/ride-along/$rideAlongId" params={{ rideAlongId: String(r.id) }} size="sm">
              {r.follower.id === me.id ? `You are riding along with ${r.followed.name}` : `${r.follower.name} rides along with you`}
            </RouterAnchor>
          ))}
        </Stack>
      )}
      <RouterAnchor to="/ride-along" size="sm" mt="sm" display="block">
        Choose someone to ride along with
      </RouterAnchor>
    </Card>
  )
}
