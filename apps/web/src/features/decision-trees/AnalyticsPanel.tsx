import { BarChart } from '@mantine/charts'
import { Badge, Card, Group, Loader, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { treeKeys, treesApi } from './decision-trees.api.ts'

const pct = (n: number) => `${Math.round(n * 100)}%`

/** Runs, completion, outcomes, and per node how many reached it, stopped there or went on to a ticket. */
export function AnalyticsPanel({ treeId }: { treeId: number }) {
  const [days, setDays] = useState('30')
  const stats = useQuery({ queryKey: treeKeys.analytics(treeId, Number(days)), queryFn: () => treesApi.analytics(treeId, Number(days)) })
  const a = stats.data
  return (
    <Stack>
      <Select
        label="Period"
        w={200}
        data={[
          { value: '7', label: 'Last 7 days' },
          { value: '30', label: 'Last 30 days' },
          { value: '90', label: 'Last 90 days' },
        ]}
        value={days}
        allowDeselect={false}
        onChange={(v) => v && setDays(v)}
      />
      {stats.isLoading || !a ? (
        <Loader size="sm" aria-label="Loading analytics" />
      ) : a.runs === 0 ? (
        <Text c="dimmed">No runs in this period yet. Test runs from the editor are not counted.</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 6 }}>
            {[
              ['Runs', String(a.runs)],
              ['Completed', `${a.completed} (${pct(a.completionRate)})`],
              ['Resolved', String(a.outcomes.resolved)],
              ['Led to a ticket', String(a.outcomes.ticket)],
              ['Abandoned', String(a.outcomes.abandoned)],
              ['Help center / widget / agents', `${a.channels.help_center} / ${a.channels.widget} / ${a.channels.agent}`],
            ].map(([label, value]) => (
              <Card key={label} withBorder p="sm">
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text fw={700} size="lg">
                  {value}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          <figure style={{ margin: 0 }} aria-label="Runs reaching each node, stopping there and leading to a ticket">
            <div aria-hidden="true">
              <BarChart
                h={240}
                data={a.nodes.map((n) => ({ node: n.title, Reached: n.reached, 'Dropped off': n.droppedOff, 'Led to ticket': n.ledToTicket }))}
                dataKey="node"
                withLegend
                series={[
                  { name: 'Reached', color: 'blue.6' },
                  { name: 'Dropped off', color: 'orange.6' },
                  { name: 'Led to ticket', color: 'red.6' },
                ]}
              />
            </div>
          </figure>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Node</Table.Th>
                <Table.Th ta="right">Reached</Table.Th>
                <Table.Th ta="right">Dropped off</Table.Th>
                <Table.Th ta="right">Ended here</Table.Th>
                <Table.Th ta="right">Led to ticket</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.nodes.map((n) => (
                <Table.Tr key={n.nodeId}>
                  <Table.Td>
                    <Group gap="xs">
                      {n.title}
                      {n.isDeadEnd && (
                        <Badge color="red" size="sm">
                          Dead end
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{n.reached}</Table.Td>
                  <Table.Td ta="right">{n.droppedOff}</Table.Td>
                  <Table.Td ta="right">{n.endedHere}</Table.Td>
                  <Table.Td ta="right">{n.ledToTicket}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  )
}
