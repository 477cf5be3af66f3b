import { Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { ConsultStatusBadge } from './ConsultThread.tsx'
import { consultKeys, consultsApi, useConsultsLive } from './consults.api.ts'

/** Home: questions waiting for me (asked of me or not yet taken in my teams), overdue first. */
export function ConsultsHomeCard() {
  useConsultsLive()
  const query = { mine: 'assigned' as const, status: 'open' as const, limit: 5 }
  const assigned = useQuery({ queryKey: consultKeys.list(query), queryFn: () => consultsApi.list(query) })
  const teamQuery = { mine: 'team' as const, status: 'open' as const, limit: 20 }
  const team = useQuery({ queryKey: consultKeys.list(teamQuery), queryFn: () => consultsApi.list(teamQuery) })
  const untaken = (team.data?.items ?? []).filter((c) => !c.assignee)
  const items = [...(assigned.data?.items ?? []), ...untaken].sort((a, b) => a.dueAt - b.dueAt).slice(0, 5)
  return (
    <Card withBorder component="section" aria-label="Consults waiting for you">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Consults waiting for you
        </Title>
        {items.some((c) => c.overdue) && <Badge color="red">{items.filter((c) => c.overdue).length} overdue</Badge>}
      </Group>
      {assigned.isPending || team.isPending ? (
        <Loader size="sm" aria-label="Loading consults" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No questions waiting. When support asks you or your team something, it shows up here.
        </Text>
      ) : (
        <Stack gap="xs">
          {items.map((c) => (
            <Group key={c.id} justify="space-between" wrap="nowrap">
              <RouterAnchor to="/consults/$consultId" params={{ consultId: String(c.id) }} size="sm" lineClamp={1}>
                {c.question}
              </RouterAnchor>
              <ConsultStatusBadge consult={c} />
            </Group>
          ))}
        </Stack>
      )}
      <RouterAnchor to="/consults" size="sm" mt="sm" display="block">
        All consults
      </RouterAnchor>
    </Card>
  )
}
