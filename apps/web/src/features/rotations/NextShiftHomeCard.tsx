import { Badge, Card, Group, Loader, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { rotationKeys, rotationsApi, shiftTimeLabel, useRotationsLive } from './rotations.api.ts'
import { ShiftActions } from './ShiftActions.tsx'

const hm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** Home: on shift now (until when, with End shift) or the next shift (with Start early when it is close). */
export function NextShiftHomeCard() {
  useRotationsLive()
  const mine = useQuery({ queryKey: rotationKeys.mine, queryFn: rotationsApi.mine })
  const current = mine.data?.current
  const next = mine.data?.next
  return (
    <Card withBorder component="section" aria-label={current ? 'Your current shift' : 'Your next shift'}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {current ? 'On shift now' : 'My next shift'}
        </Title>
        {current?.reviewRequired && <Badge color="yellow">Replies reviewed</Badge>}
      </Group>
      {mine.isPending ? (
        <Loader size="sm" aria-label="Loading your shifts" />
      ) : current ? (
        <>
          <Text size="sm" data-testid="on-shift-until">
            Until {hm(current.endsAt)}
            {current.rotation ? ` · ${current.rotation.name}` : ''}
          </Text>
          <Group mt="sm">
            <ShiftActions shift={current} />
          </Group>
        </>
      ) : next ? (
        <>
          <Text size="sm">
            {shiftTimeLabel(next)}
            {next.rotation ? ` · ${next.rotation.name}` : ''}
          </Text>
          <Group mt="sm">
            <ShiftActions shift={next} />
          </Group>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No shifts planned. When you are enrolled in a rotation, your next shift shows up here.
        </Text>
      )}
      <RouterAnchor to="/rotations" size="sm" mt="sm" display="block">
        Rotations and calendar
      </RouterAnchor>
    </Card>
  )
}
