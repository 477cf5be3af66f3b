import { Progress, Table, Text } from '@mantine/core'
import { PRIORITY_LABEL } from '../../lib/format.ts'
import { useTeams } from '../../lib/queries.ts'
import { METRIC_LABEL } from '../sla/sla.api.ts'
import { EmptyState, ErrorState, LoadingBlock, ReportCard } from './ReportParts.tsx'
import { type ReportRange, useSlaAchievement } from './reports.api.ts'

const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`)

/**
 * issue 10 sla: SLA achievement in the range: clocks met vs breached per metric, then per priority and team. A clock
 * counts on the day its outcome happened (met or breached); the scope picker narrows it (a team by the clock's team,
 * an inbox by the ticket's inbox).
 */
export function SlaAchievementCard({ range }: { range: ReportRange }) {
  const report = useSlaAchievement(range)
  const teams = useTeams()
  const teamName = (id: number | null) => (id === null ? 'No team' : (teams.data?.find((t) => t.id === id)?.name ?? `Team #${id}`))
  const data = report.data
  return (
    <ReportCard title="SLA achievement">
      {report.isError ? (
        <ErrorState error={report.error} />
      ) : !data ? (
        <LoadingBlock label="Loading SLA achievement" rows={3} />
      ) : data.rows.length === 0 ? (
        <EmptyState>
          No SLA clock was met or breached in this range{range.scope === 'all' ? '' : ' and scope'}. Set up policies under Settings → SLA policies.
        </EmptyState>
      ) : (
        <>
          <Table aria-label="SLA achievement per metric" mb="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Metric</Table.Th>
                <Table.Th>Met</Table.Th>
                <Table.Th>Breached</Table.Th>
                <Table.Th w="40%">Achievement</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.totals.map((t) => (
                <Table.Tr key={t.metric}>
                  <Table.Td>{METRIC_LABEL[t.metric]}</Table.Td>
                  <Table.Td>{t.achieved}</Table.Td>
                  <Table.Td>{t.breached}</Table.Td>
                  <Table.Td>
                    <Text size="sm" span mr="xs">
                      {pct(t.rate)}
                    </Text>
                    {t.rate !== null && <Progress value={t.rate * 100} color={t.rate >= 0.9 ? 'green' : t.rate >= 0.7 ? 'orange' : 'red'} aria-hidden />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table aria-label="SLA achievement per priority and team" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Metric</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Met</Table.Th>
                <Table.Th>Breached</Table.Th>
                <Table.Th>Achievement</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((r) => (
                <Table.Tr key={`${r.metric}-${r.priority}-${r.teamId}`}>
                  <Table.Td>{METRIC_LABEL[r.metric]}</Table.Td>
                  <Table.Td>{PRIORITY_LABEL[r.priority]}</Table.Td>
                  <Table.Td>{teamName(r.teamId)}</Table.Td>
                  <Table.Td>{r.achieved}</Table.Td>
                  <Table.Td>{r.breached}</Table.Td>
                  <Table.Td>{pct(r.achieved + r.breached ? r.achieved / (r.achieved + r.breached) : null)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </ReportCard>
  )
}
