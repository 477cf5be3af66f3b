import type { ReportBreakdown, ReportBreakdownDto, ReportBreakdownRow, ReportSort } from '@allhands/contract'
import { BarChart } from '@mantine/charts'
import { Box, Group, Progress, SegmentedControl, Stack, Table, Text } from '@mantine/core'
import { csvUrl, useBreakdown } from './reports.api.ts'
import { count, hours, percent, seconds } from './reports.format.ts'
import { AccessibleChart, EmptyState, ErrorState, LoadingBlock, ReportCard, SortHeader } from './ReportParts.tsx'
import type { SetSearch } from './ReportsPage.tsx'
import { BREAKDOWNS, type ReportsState } from './reports.search.ts'

const BY_LABEL: Record<ReportBreakdown, string> = { person: 'Person', team: 'Team', inbox: 'Inbox', tag: 'Tag' }
/** How many rows the table asks for; the engine says when there are more. */
const LIMIT = 100
const CHART_ROWS = 10

type Column = {
  sort: ReportSort
  label: string
  /** The number the column shows and its mini bar measures (null: no data). */
  value: (r: ReportBreakdownRow) => number | null
  format: (r: ReportBreakdownRow) => string
  chartValue: (r: ReportBreakdownRow) => number | null
  unit: string
  /** The engine sorts durations fastest first, everything else highest first. */
  ascending?: boolean
}

const COLUMNS: Column[] = [
  {
    sort: 'created',
    label: 'Created',
    value: (r) => r.metrics.created,
    format: (r) => count(r.metrics.created),
    chartValue: (r) => r.metrics.created,
    unit: '',
  },
  { sort: 'solved', label: 'Solved', value: (r) => r.metrics.solved, format: (r) => count(r.metrics.solved), chartValue: (r) => r.metrics.solved, unit: '' },
  {
    sort: 'replies',
    label: 'Replies',
    value: (r) => r.metrics.replies,
    format: (r) => count(r.metrics.replies),
    chartValue: (r) => r.metrics.replies,
    unit: '',
  },
  {
    sort: 'firstResponse',
    label: 'First response (avg)',
    ascending: true,
    value: (r) => r.metrics.firstResponse.avgSeconds,
    format: (r) => seconds(r.metrics.firstResponse.avgSeconds),
    chartValue: (r) => hours(r.metrics.firstResponse.avgSeconds),
    unit: ' h',
  },
  {
    sort: 'resolution',
    label: 'Resolution (avg)',
    ascending: true,
    value: (r) => r.metrics.resolution.avgSeconds,
    format: (r) => seconds(r.metrics.resolution.avgSeconds),
    chartValue: (r) => hours(r.metrics.resolution.avgSeconds),
    unit: ' h',
  },
  {
    sort: 'reopenRate',
    label: 'Reopen rate',
    value: (r) => r.metrics.reopen.rate,
    format: (r) => percent(r.metrics.reopen.rate, 1),
    chartValue: (r) => pct(r.metrics.reopen.rate),
    unit: ' %',
  },
  {
    sort: 'csat',
    label: 'CSAT',
    value: (r) => r.metrics.csat.rate,
    format: (r) => percent(r.metrics.csat.rate),
    chartValue: (r) => pct(r.metrics.csat.rate),
    unit: ' %',
  },
  {
    sort: 'csatRated',
    label: 'Ratings',
    value: (r) => r.metrics.csat.denominator,
    format: (r) => count(r.metrics.csat.denominator),
    chartValue: (r) => r.metrics.csat.denominator,
    unit: '',
  },
]
const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10)

/** Per person, team, inbox or tag: sortable table with a mini bar in the sorted column and a chart of the top rows. */
export function BreakdownTab({ state, setSearch }: { state: ReportsState; setSearch: SetSearch }) {
  const params = { ...state.range, by: state.by, sort: state.sort, limit: LIMIT }
  const breakdown = useBreakdown(params)
  const data = breakdown.data
  const column = COLUMNS.find((c) => c.sort === state.sort) ?? COLUMNS[1]!
  return (
    <Stack>
      <SegmentedControl
        size="xs"
        aria-label="Break down by"
        data={BREAKDOWNS.map((b) => ({ value: b, label: BY_LABEL[b] }))}
        value={state.by}
        onChange={(v) => setSearch({ by: v })}
        style={{ alignSelf: 'flex-start' }}
      />
      {breakdown.isError ? (
        <ErrorState error={breakdown.error} />
      ) : !data ? (
        <LoadingBlock label="Loading breakdown" rows={8} />
      ) : data.rows.length === 0 ? (
        <ReportCard title={`By ${BY_LABEL[state.by].toLowerCase()}`} csv={csvUrl('breakdown', params)}>
          <EmptyState>No tickets in this range — widen the dates or pick another scope.</EmptyState>
        </ReportCard>
      ) : (
        <>
          <TopChart data={data} column={column} />
          <ReportCard title={`By ${BY_LABEL[state.by].toLowerCase()}`} csv={csvUrl('breakdown', params)}>
            <BreakdownTable data={data} column={column} onSort={(sort) => setSearch({ sort })} />
            {data.truncated && (
              <Text size="xs" c="dimmed" mt="xs">
                Showing the first {data.rows.length} by {column.label.toLowerCase()}; the CSV has the same rows.
              </Text>
            )}
          </ReportCard>
        </>
      )}
    </Stack>
  )
}

function TopChart({ data, column }: { data: ReportBreakdownDto; column: Column }) {
  const rows = data.rows
    .slice(0, CHART_ROWS)
    .map((r) => ({ label: r.label, value: column.chartValue(r) }))
    .filter((r) => r.value !== null)
  if (rows.length === 0) return null
  return (
    <ReportCard title={`Top ${rows.length} by ${column.label.toLowerCase()}`}>
      <AccessibleChart
        summary={`Bar chart of ${column.label.toLowerCase()} for the first ${rows.length} ${BY_LABEL[data.by].toLowerCase()} rows`}
        data={{
          caption: `${column.label} by ${BY_LABEL[data.by].toLowerCase()}`,
          columns: [BY_LABEL[data.by], column.label],
          rows: rows.map((r) => [r.label, `${r.value}${column.unit}`]),
        }}
      >
        <BarChart
          h={Math.max(160, rows.length * 28)}
          data={rows}
          dataKey="label"
          orientation="vertical"
          unit={column.unit}
          yAxisProps={{ width: 140 }}
          series={[{ name: 'value', label: column.label, color: 'indigo.6' }]}
        />
      </AccessibleChart>
    </ReportCard>
  )
}

function BreakdownTable({ data, column, onSort }: { data: ReportBreakdownDto; column: Column; onSort: (sort: ReportSort) => void }) {
  const max = Math.max(0, ...data.rows.map((r) => column.value(r) ?? 0)) || 1
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing={6}>
        <Table.Caption>
          By {BY_LABEL[data.by].toLowerCase()}, {data.from} to {data.to}, sorted by {column.label.toLowerCase()}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{BY_LABEL[data.by]}</Table.Th>
            {COLUMNS.map((c) => (
              <SortHeader key={c.sort} label={c.label} active={c.sort === column.sort} ascending={c.ascending} onSort={() => onSort(c.sort)} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Th scope="row" fw={500}>
                {r.label}
              </Table.Th>
              {COLUMNS.map((c) => (
                <Table.Td key={c.sort} ta="right">
                  {c.sort === column.sort ? <MiniBar value={c.value(r)} max={max} text={c.format(r)} /> : c.format(r)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function MiniBar({ value, max, text }: { value: number | null; max: number; text: string }) {
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end">
      <Box w={60} aria-hidden>
        <Progress value={value === null ? 0 : Math.max(2, (value / max) * 100)} size="sm" />
      </Box>
      <Text size="sm" span>
        {text}
      </Text>
    </Group>
  )
}
