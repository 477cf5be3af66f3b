import type { ReportCohortRow, ReportCohortsDto, ReportComparison, ReportProportion, ReportSplit, ReportStratify } from '@allhands/contract'
import { BarChart } from '@mantine/charts'
import { Badge, Box, Group, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core'
import { csvUrl, useCohorts } from './reports.api.ts'
import { count, percent, seconds } from './reports.format.ts'
import { AccessibleChart, NO_SHRINK, EmptyState, ErrorState, LoadingBlock, ReportCard } from './ReportParts.tsx'
import type { SetSearch } from './ReportsPage.tsx'
import { type ReportsState, SPLITS, STRATA } from './reports.search.ts'

const SPLIT_LABEL: Record<ReportSplit, string> = { cohort: 'Responder cohort', trust: 'Trust level', reviewed: 'Reviewed replies' }
const STRATUM_LABEL: Record<ReportStratify, string> = { none: 'No strata', risk: 'Within risk level', category: 'Within category' }
const GROUP_COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6']

/** Are customers better or worse off when the whole company answers? Each group against the baseline, within each stratum. */
export function CohortsTab({ state, setSearch }: { state: ReportsState; setSearch: SetSearch }) {
  const params = { ...state.range, split: state.split, stratify: state.stratify }
  const cohorts = useCohorts(params)
  const data = cohorts.data
  const hasData = !!data && data.rows.some((r) => r.n > 0)
  return (
    <Stack>
      <Group gap="md" wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label="Split by"
          data={SPLITS.map((s) => ({ value: s, label: SPLIT_LABEL[s] }))}
          value={state.split}
          onChange={(v) => setSearch({ split: v })}
        />
        <SegmentedControl
          size="xs"
          aria-label="Compare within"
          data={STRATA.map((s) => ({ value: s, label: STRATUM_LABEL[s] }))}
          value={state.stratify}
          onChange={(v) => setSearch({ stratify: v })}
        />
      </Group>
      {cohorts.isError ? (
        <ErrorState error={cohorts.error} />
      ) : !data ? (
        <LoadingBlock label="Loading cohorts" rows={6} />
      ) : !hasData ? (
        <ReportCard title="Cohorts" csv={csvUrl('cohorts', params)}>
          <EmptyState>No solved tickets in this range — widen the dates.</EmptyState>
        </ReportCard>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            Each group is compared with <b>{groupLabel(data, data.baseline)}</b> {data.stratify === 'none' ? 'overall' : 'within the same stratum'}{' '}
            (two-proportion test, p &lt; 0.05). Groups with fewer than {data.minGroupSize} solved tickets are marked “not enough data”. Bars show the 95 %
            Wilson interval.
          </Text>
          <CohortsChart data={data} />
          {strata(data).map((s) => (
            <ReportCard key={s.key} title={s.label ? `Cohorts — ${s.label}` : 'Cohorts'} csv={csvUrl('cohorts', params)}>
              <CohortTable rows={s.rows} caption={`${SPLIT_LABEL[data.split]} from ${data.from} to ${data.to}${s.label ? `, ${s.label}` : ''}`} />
            </ReportCard>
          ))}
        </>
      )}
    </Stack>
  )
}

const groupLabel = (data: ReportCohortsDto, group: string) => data.rows.find((r) => r.group === group)?.label ?? group

/** Rows grouped by stratum, in the order the engine sent them. */
function strata(data: ReportCohortsDto): { key: string; label: string | null; rows: ReportCohortRow[] }[] {
  const out = new Map<string, { key: string; label: string | null; rows: ReportCohortRow[] }>()
  for (const r of data.rows) {
    const key = r.stratum?.key ?? 'all'
    const entry = out.get(key) ?? { key, label: r.stratum?.label ?? null, rows: [] }
    entry.rows.push(r)
    out.set(key, entry)
  }
  return [...out.values()]
}

function CohortsChart({ data }: { data: ReportCohortsDto }) {
  const groups = [...new Map(data.rows.map((r) => [r.group, r.label])).entries()]
  const byStratum = strata(data)
  const rows = byStratum.map((s) => ({
    stratum: s.label ?? 'All tickets',
    ...Object.fromEntries(s.rows.map((r) => [r.group, r.csat.rate === null ? null : Math.round(r.csat.rate * 1000) / 10])),
  }))
  return (
    <ReportCard title="CSAT by group">
      <AccessibleChart
        summary={`Bar chart of CSAT per ${SPLIT_LABEL[data.split].toLowerCase()}${data.stratify === 'none' ? '' : `, ${STRATUM_LABEL[data.stratify].toLowerCase()}`}`}
        data={{
          caption: `CSAT % per group from ${data.from} to ${data.to}`,
          columns: ['Stratum', ...groups.map(([, label]) => label)],
          rows: rows.map((r) => [r.stratum, ...groups.map(([g]) => ((r as Record<string, unknown>)[g] ?? '—') as string | number)]),
        }}
      >
        <BarChart
          h={240}
          data={rows}
          dataKey="stratum"
          unit=" %"
          withLegend
          yAxisProps={{ domain: [0, 100] }}
          series={groups.map(([name, label], i) => ({ name, label, color: GROUP_COLORS[i % GROUP_COLORS.length]! }))}
        />
      </AccessibleChart>
    </ReportCard>
  )
}

function CohortTable({ rows, caption }: { rows: ReportCohortRow[]; caption: string }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" striped>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col" ta="right">
              Solved (n)
            </Table.Th>
            <Table.Th scope="col">CSAT with 95 % interval</Table.Th>
            <Table.Th scope="col">vs baseline</Table.Th>
            <Table.Th scope="col" ta="right">
              Reopen rate
            </Table.Th>
            <Table.Th scope="col">vs baseline</Table.Th>
            <Table.Th scope="col" ta="right">
              First response (avg)
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Resolution (avg)
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.group} data-testid={`cohort-row-${r.group}`}>
              <Table.Th scope="row" fw={500}>
                <Group gap={6} wrap="nowrap">
                  {r.label}
                  {r.isBaseline && (
                    <Badge style={NO_SHRINK} size="xs" variant="outline">
                      baseline
                    </Badge>
                  )}
                </Group>
              </Table.Th>
              <Table.Td ta="right">{count(r.n)}</Table.Td>
              <Table.Td>
                <IntervalBar p={r.csat} what="CSAT" />
              </Table.Td>
              <Table.Td>
                <Significance cmp={r.csatVsBaseline} baseline={r.isBaseline} enoughData={r.enoughData} higherIsBetter />
              </Table.Td>
              <Table.Td ta="right">
                <Tooltip label={`95 % interval ${percent(r.reopen.low, 1)}–${percent(r.reopen.high, 1)}`} disabled={r.reopen.rate === null}>
                  <span>{percent(r.reopen.rate, 1)}</span>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Significance cmp={r.reopenVsBaseline} baseline={r.isBaseline} enoughData={r.enoughData} higherIsBetter={false} />
              </Table.Td>
              <Table.Td ta="right">{seconds(r.firstResponseAvgSeconds)}</Table.Td>
              <Table.Td ta="right">{seconds(r.resolutionAvgSeconds)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** The rate as a dot on a 0–100 % track with the interval as a bar with whiskers. */
function IntervalBar({ p, what }: { p: ReportProportion; what: string }) {
  if (p.rate === null || p.low === null || p.high === null)
    return (
      <Text size="sm" c="dimmed">
        no ratings
      </Text>
    )
  const label = `${what} ${percent(p.rate)}, 95 % interval ${percent(p.low)} to ${percent(p.high)}, ${count(p.numerator)} of ${count(p.denominator)}`
  return (
    <Group gap="xs" wrap="nowrap" role="img" aria-label={label}>
      <Text size="sm" w={48} ta="right" fw={600}>
        {percent(p.rate)}
      </Text>
      <Tooltip label={label}>
        <Box pos="relative" h={14} w={140} style={{ background: 'var(--mantine-color-gray-1)', borderRadius: 3 }}>
          <Box
            pos="absolute"
            top={3}
            h={8}
            left={`${p.low * 100}%`}
            w={`${Math.max(0.5, (p.high - p.low) * 100)}%`}
            style={{
              background: 'var(--mantine-color-indigo-2)',
              borderLeft: '2px solid var(--mantine-color-indigo-7)',
              borderRight: '2px solid var(--mantine-color-indigo-7)',
            }}
          />
          <Box pos="absolute" top={1} h={12} w={3} left={`calc(${p.rate * 100}% - 1px)`} style={{ background: 'var(--mantine-color-indigo-9)' }} />
        </Box>
      </Tooltip>
      <Text size="xs" c="dimmed">
        n={count(p.denominator)}
      </Text>
    </Group>
  )
}

function Significance({
  cmp,
  baseline,
  enoughData,
  higherIsBetter,
}: {
  cmp: ReportComparison | null
  baseline: boolean
  enoughData: boolean
  higherIsBetter: boolean
}) {
  if (baseline)
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    )
  if (!cmp || !enoughData || !cmp.enoughData || cmp.difference === null)
    return (
      <Badge style={NO_SHRINK} size="sm" color="gray" variant="light">
        not enough data
      </Badge>
    )
  const diff = `${cmp.difference > 0 ? '+' : ''}${(cmp.difference * 100).toFixed(1)} pts`
  const tip = `Difference ${diff}; p = ${cmp.pValue === null ? '—' : cmp.pValue < 0.001 ? '< 0.001' : cmp.pValue.toFixed(3)}`
  const better = higherIsBetter ? cmp.difference > 0 : cmp.difference < 0
  return (
    <Tooltip label={tip}>
      <Badge
        style={NO_SHRINK}
        size="sm"
        variant={cmp.significant ? 'filled' : 'light'}
        color={cmp.significant ? (better ? 'teal' : 'red') : 'gray'}
        aria-label={`${cmp.significant ? 'significant' : 'not significant'}: ${tip}`}
      >
        {cmp.significant ? `significant ${diff}` : 'not significant'}
      </Badge>
    </Tooltip>
  )
}
