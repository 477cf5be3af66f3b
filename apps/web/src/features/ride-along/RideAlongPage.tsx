import type { RideAlongDto, UserDto } from '@allhands/contract'
import { Badge, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconEye, IconSearch } from '@tabler/icons-react'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isAdmin, isStaff, showError, useCurrentUser, useUsers } from '../../lib/queries.ts'
import { endRideAlong, rideAlongApi, useMyRideAlongs } from './ride-along.api.ts'

const ROLE_LABEL = { owner: 'Owner', admin: 'Admin', agent: 'Agent', contributor: 'Contributor' } as const

/** /ride-along: pick a person to follow, and see the ride-alongs you are part of. */
export function RideAlongPage() {
  const me = useCurrentUser()
  const users = useUsers()
  const rides = useMyRideAlongs()
  const navigate = useNavigate()
  const [filter, setFilter] = useState('')
  const [starting, setStarting] = useState<number | null>(null)
  const items = rides.data?.items ?? []
  const following = new Map(items.filter((r) => r.active && r.follower.id === me.id).map((r) => [r.followed.id, r.id]))
  // The server decides; this list only offers who the rule allows: support agents, or anyone for admins.
  const people = (users.data ?? []).filter(
    (u) => u.isActive && u.id !== me.id && (isStaff(u.role) || isAdmin(me.role)) && u.name.toLowerCase().includes(filter.trim().toLowerCase()),
  )

  const start = async (u: UserDto) => {
    setStarting(u.id)
    try {
      const ride = await rideAlongApi.start(u.id)
      await navigate({ to: '/ride-along/$rideAlongId', params: { rideAlongId: String(ride.id) } })
    } catch (err) {
      showError(err)
    } finally {
      setStarting(null)
    }
  }

  return (
    <Stack p="md" maw={1100}>
      <div>
        <Title order={1} size="h3">
          Ride along
        </Title>
        <Text c="dimmed" size="sm">
          Follow a support agent's work live: the tickets they open, their drafts as they type and what they send, with a private side chat. They always see
          that you are riding along, and either of you can end it.
        </Text>
      </div>

      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          Your ride-alongs
        </Title>
        {rides.isPending ? (
          <Loader size="sm" aria-label="Loading ride-alongs" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            None yet. Pick someone below to start.
          </Text>
        ) : (
          <RideAlongTable rides={items} meId={me.id} />
        )}
      </Card>

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h5">
            People
          </Title>
          <TextInput
            aria-label="Filter people"
            placeholder="Filter by name"
            leftSection={<IconSearch size={14} aria-hidden />}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={240}
          />
        </Group>
        {users.isPending ? (
          <Loader size="sm" aria-label="Loading people" />
        ) : people.length === 0 ? (
          <Text size="sm" c="dimmed">
            {filter ? 'Nobody matches this filter.' : 'There is nobody you can ride along with yet.'}
          </Text>
        ) : (
          <Table striped highlightOnHover aria-label="People you can ride along with">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((u) => {
                const current = following.get(u.id)
                return (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={u.role === 'contributor' ? 'gray' : 'indigo'}>
                        {ROLE_LABEL[u.role]}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      {current ? (
                        <RouterAnchor size="sm" to="/ride-along/$rideAlongId" params={{ rideAlongId: String(current) }}>
                          Riding along: open
                        </RouterAnchor>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconEye size={14} aria-hidden />}
                          loading={starting === u.id}
                          onClick={() => void start(u)}
                          aria-label={`Ride along with ${u.name}`}
                        >
                          Ride along
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  )
}

function RideAlongTable({ rides, meId }: { rides: RideAlongDto[]; meId: number }) {
  return (
    <Table aria-label="Your ride-alongs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>With</Table.Th>
          <Table.Th>You are</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rides.map((r) => {
          const iFollow = r.follower.id === meId
          return (
            <Table.Tr key={r.id}>
              <Table.Td>{iFollow ? r.followed.name : r.follower.name}</Table.Td>
              <Table.Td>{iFollow ? 'following' : 'followed'}</Table.Td>
              <Table.Td title={new Date(r.startedAt).toLocaleString()}>{relativeTime(r.startedAt)}</Table.Td>
              <Table.Td>
                {r.active ? (
                  <Badge color="green">Live</Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    Ended {r.endedAt ? relativeTime(r.endedAt) : ''}
                    {r.endedBy ? ` by ${r.endedBy.id === meId ? 'you' : r.endedBy.name}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Group gap="xs" justify="end" wrap="nowrap">
                  <RouterAnchor size="sm" to="/ride-along/$rideAlongId" params={{ rideAlongId: String(r.id) }}>
                    {r.active && iFollow ? 'Open live view' : 'Side chat'}
                  </RouterAnchor>
                  {r.active && (
                    <Button size="compact-xs" variant="light" color="red" onClick={() => void endRideAlong(r.id)}>
                      End
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          )
        })}
      </Table.Tbody>
    </Table>
  )
}
