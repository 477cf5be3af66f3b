import { Alert, Card, Group, Loader, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { rotationKeys, rotationsApi } from './rotations.api.ts'

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  )
}

/** After a window: what the cohort handled, how their held replies fared, attendance, and CSAT once it exists. */
export function RotationSummary({ rotationId }: { rotationId: number }) {
  const summary = useQuery({ queryKey: rotationKeys.summary(rotationId), queryFn: () => rotationsApi.summary(rotationId) })
  if (summary.isPending) return <Loader size="sm" aria-label="Loading summary" />
  if (summary.isError) return <Alert color="red">{summary.error.message}</Alert>
  const s = summary.data
  const r = s.reviews
  const decided = Math.max(1, r.approved + r.rejected + r.pending + r.withdrawn)
  const maxTickets = Math.max(1, ...s.people.map((p) => p.ticketsHandled))
  const fmt = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }))
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {fmt(s.window.from)} – {fmt(s.window.to)} · {s.cohortSize} {s.cohortSize === 1 ? 'person' : 'people'}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="Tickets handled" value={s.ticketsHandled} />
        <Stat label="Replies held for review" value={r.held} />
        <Stat label="Replies sent directly" value={s.repliesSent} />
        <Stat label="CSAT" value={s.csat.score === null ? 'n/a' : s.csat.score.toFixed(1)} />
      </SimpleGrid>
      {s.csat.note && (
        <Text size="xs" c="dimmed">
          {s.csat.note}
        </Text>
      )}
      <section aria-label="Review outcomes">
        <Title order={3} size="h5" mb="xs">
          Review outcomes
        </Title>
        <Progress.Root size={22} aria-label="Review outcomes">
          {[
            { key: 'Approved as written', value: r.approved - r.approvedWithEdits, color: 'teal' },
            { key: 'Approved with edits', value: r.approvedWithEdits, color: 'blue' },
            { key: 'Rejected', value: r.rejected, color: 'red' },
            { key: 'Pending', value: r.pending, color: 'gray' },
            { key: 'Withdrawn', value: r.withdrawn, color: 'dark' },
          ]
            .filter((x) => x.value > 0)
            .map((x) => (
              <Progress.Section key={x.key} value={(x.value / decided) * 100} color={x.color} aria-label={`${x.key}: ${x.value}`}>
                <Progress.Label>{x.value}</Progress.Label>
              </Progress.Section>
            ))}
        </Progress.Root>
        <Group gap="md" mt={6}>
          <Text size="xs">
            Approved {r.approved} (edited {r.approvedWithEdits})
          </Text>
          <Text size="xs">Rejected {r.rejected}</Text>
          <Text size="xs">Pending {r.pending}</Text>
          <Text size="xs">Withdrawn {r.withdrawn}</Text>
        </Group>
      </section>
      <section aria-label="Attendance">
        <Title order={3} size="h5" mb="xs">
          Shifts
        </Title>
        <Text size="sm">
          {s.shifts.total} shifts · {s.shifts.attended} attended · {s.shifts.missed} never started · {s.shifts.upcoming} still to come
        </Text>
      </section>
      <section aria-label="Per person">
        <Title order={3} size="h5" mb="xs">
          Per person
        </Title>
        {s.people.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nobody had a shift in this rotation.
          </Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th w="40%">Tickets handled</Table.Th>
                <Table.Th>Held</Table.Th>
                <Table.Th>Approved</Table.Th>
                <Table.Th>Rejected</Table.Th>
                <Table.Th>Sent directly</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.people.map((p) => (
                <Table.Tr key={p.user.id}>
                  <Table.Td>{p.user.name}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={(p.ticketsHandled / maxTickets) * 100} style={{ flex: 1 }} aria-hidden />
                      <Text size="sm">{p.ticketsHandled}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{p.held}</Table.Td>
                  <Table.Td>{p.approved}</Table.Td>
                  <Table.Td>{p.rejected}</Table.Td>
                  <Table.Td>{p.repliesSent}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  )
}
