import type { ShiftDto } from '@allhands/contract'
import { Badge, Card, Group, Loader, RingProgress, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { ATTENDANCE_LABEL, rotationKeys, rotationsApi, shiftTimeLabel } from './rotations.api.ts'
import { ShiftActions } from './ShiftActions.tsx'

function ShiftRows({ shifts, empty }: { shifts: ShiftDto[]; empty: string }) {
  if (!shifts.length)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    )
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Rotation</Table.Th>
            <Table.Th>Attendance</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shifts.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{shiftTimeLabel(s)}</Table.Td>
              <Table.Td>{s.rotation?.name ?? 'Single shift'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge size="sm" color={ATTENDANCE_LABEL[s.attendance]?.color}>
                    {ATTENDANCE_LABEL[s.attendance]?.label}
                  </Badge>
                  {s.pendingSwapId && (
                    <Badge size="sm" color="grape" variant="light">
                      Swap pending
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <ShiftActions shift={s} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** The signed-in person's shifts: now, next, history, and progress towards each rotation's yearly quota. */
export function MyShifts() {
  const mine = useQuery({ queryKey: rotationKeys.mine, queryFn: rotationsApi.mine })
  if (mine.isPending) return <Loader size="sm" aria-label="Loading your shifts" />
  if (!mine.data) return null
  const { current, upcoming, recent, quotas } = mine.data
  return (
    <Stack>
      {current && (
        <Card withBorder bg="var(--mantine-color-green-light)" aria-label="Current shift">
          <Group justify="space-between">
            <div>
              <Text fw={600}>On shift now{current.rotation ? ` · ${current.rotation.name}` : ''}</Text>
              <Text size="sm">Until {new Date(current.endsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</Text>
              {current.reviewRequired && (
                <Text size="xs" c="dimmed">
                  Your replies are reviewed before they are sent.
                </Text>
              )}
            </div>
            <ShiftActions shift={current} />
          </Group>
        </Card>
      )}
      {quotas.length > 0 && (
        <section aria-label="Quota progress">
          <Title order={3} size="h5" mb="xs">
            Quotas this year
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {quotas.map((q) => {
              const pct = Math.min(100, Math.round((q.attended / q.quota) * 100))
              return (
                <Card key={q.rotation.id} withBorder padding="sm">
                  <Group wrap="nowrap">
                    <RingProgress
                      size={72}
                      thickness={8}
                      sections={[{ value: pct, color: pct >= 100 ? 'teal' : 'blue' }]}
                      label={
                        <Text size="xs" ta="center" fw={600}>
                          {pct}%
                        </Text>
                      }
                      aria-label={`${q.attended} of ${q.quota} shifts attended`}
                    />
                    <div>
                      <Text fw={600} size="sm">
                        {q.rotation.name}
                      </Text>
                      <Text size="sm">
                        {q.attended} of {q.quota} shifts in {q.year}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {q.scheduled} scheduled this year
                      </Text>
                    </div>
                  </Group>
                </Card>
              )
            })}
          </SimpleGrid>
        </section>
      )}
      <section aria-label="Upcoming shifts">
        <Title order={3} size="h5" mb="xs">
          Upcoming
        </Title>
        <ShiftRows shifts={upcoming} empty="No upcoming shifts. When an admin enrols you in a rotation, your shifts show up here." />
      </section>
      <section aria-label="Recent shifts">
        <Title order={3} size="h5" mb="xs">
          Recent
        </Title>
        <ShiftRows shifts={recent} empty="No past shifts yet." />
      </section>
    </Stack>
  )
}
