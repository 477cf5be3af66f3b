import type { ReportInterval, ReportSummaryDto, ReportTimeseriesDto } from '@allhands/contract'
import { BarChart, LineChart } from '@mantine/charts'
import { Card, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core'
import type { ComponentProps, ReactNode } from 'react'
import { csvUrl, useSummary, useTimeseries } from './reports.api.ts'
import { cappedCount, count, hours, percent, seconds } from './reports.format.ts'
import { AccessibleChart, EmptyState, ErrorState, ExportCsvButton, LoadingBlock, ReportCard } from './ReportParts.tsx'
import { SlaAchievementCard } from './SlaAchievementCard.tsx'
import type { SetSearch } from './ReportsPage.tsx'
import { INTERVALS, type ReportsState } from './reports.search.ts'

const INTERVAL_LABEL: Record<ReportInterval, string> = { day: 'Day', week: 'Week', month: 'Month' }

/** KPI cards for the range and the same metrics over time. */
export function OverviewTab({ state, setSearch }: { state: ReportsState; setSearch: SetSearch }) {
  const summary = useSummary(state.range)
  const tsParams = { ...state.range, interval: state.interval }
  const timeseries = useTimeseries(tsParams)
  const m = summary.data?.metrics
  const empty = m !== undefined && m.created === 0 && m.solved === 0

  return (
    <Stack>
      {summary.isError ? <ErrorState error={summary.error} /> : <KpiCards summary={summary.data} />}
      {empty && <EmptyState>No tickets were created or solved in this range — widen the dates or pick another scope.</EmptyState>}
      <Group justify="space-between" wrap="wrap">
        {summary.data ? <WaitingNow summary={summary.data} /> : <span />}
        <ExportCsvButton href={csvUrl('summary', state.range)} what="the summary" />
      </Group>
      <ReportCard
        title="Over time"
        csv={csvUrl('timeseries', tsParams)}
        actions={
          <SegmentedControl
            size="xs"
            aria-label="Interval"
            data={INTERVALS.map((i) => ({ value: i, label: INTERVAL_LABEL[i] }))}
            value={state.interval}
            onChange={(v) => setSearch({ interval: v })}
          />
        }
      >
        {timeseries.isError ? (
          <ErrorState error={timeseries.error} />
        ) : !timeseries.data ? (
          <LoadingBlock label="Loading charts" rows={3} height={120} />
        ) : timeseries.data.points.length === 0 ? (
          <EmptyState>Nothing to chart in this range — widen the dates.</EmptyState>
        ) : (
          <OverTimeCharts data={timeseries.data} />
        )}
      </ReportCard>
      {/* issue 10 sla: SLA achievement */}
      <SlaAchievementCard range={state.range} />
    </Stack>
  )
}

function KpiCards({ summary }: { summary: ReportSummaryDto | undefined }) {
  const m = summary?.metrics
  const cards: { label: string; value: string; hint: string; detail?: string }[] = m
    ? [
        { label: 'Created', value: count(m.created), hint: 'Tickets opened in the range' },
        {
          label: 'Solved',
          value: count(m.solved),
          hint: 'Solve cycles ended in the range',
          detail: `${m.repliesPerSolve?.toFixed(1) ?? '—'} replies per solve`,
        },
        {
          label: 'First response (median)',
          value: seconds(m.firstResponse.medianSeconds),
          hint: 'Time from a cycle opening to the first reply',
          detail: `average ${seconds(m.firstResponse.avgSeconds)}`,
        },
        {
          label: 'Resolution (median)',
          value: seconds(m.resolution.medianSeconds),
          hint: 'Time from a cycle opening to its solve',
          detail: `average ${seconds(m.resolution.avgSeconds)}`,
        },
        {
          label: 'CSAT',
          value: percent(m.csat.rate),
          hint: 'Good ratings out of all ratings, for cycles solved in the range',
          detail: `${count(m.csat.denominator)} ratings · ${percent(m.csatResponse.rate)} response rate`,
        },
        {
          label: 'Reopen rate',
          value: percent(m.reopen.rate, 1),
          hint: 'Solved cycles the customer reopened',
          detail: `${count(m.reopen.numerator)} of ${count(m.reopen.denominator)}`,
        },
      ]
    : []
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="report-kpis">
      {!m
        ? ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => <Skeleton key={k} h={92} aria-label="Loading" />)
        : cards.map((c) => (
            <Card key={c.label} withBorder padding="sm" component="article" aria-label={`${c.label}: ${c.value}`}>
              <Tooltip label={c.hint} withArrow>
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  {c.label}
                </Text>
              </Tooltip>
              <Text size="xl" fw={700}>
                {c.value}
              </Text>
              {c.detail && (
                <Text size="xs" c="dimmed">
                  {c.detail}
                </Text>
              )}
            </Card>
          ))}
    </SimpleGrid>
  )
}

function WaitingNow({ summary }: { summary: ReportSummaryDto }) {
  return (
    <Group gap="lg" aria-label="Waiting right now">
      <Text size="sm">
        <b>{count(summary.backlog)}</b> unsolved now
      </Text>
      {summary.waiting.map((w) => (
        <Text size="sm" key={w.hours}>
          <b>{cappedCount(w.count, summary.waitingCap)}</b> waiting &gt; {w.hours} h
        </Text>
      ))}
    </Group>
  )
}

function OverTimeCharts({ data }: { data: ReportTimeseriesDto }) {
  const rows = data.points.map((p) => ({
    period: data.interval === 'month' ? p.start.slice(0, 7) : p.start.slice(5),
    created: p.metrics.created,
    solved: p.metrics.solved,
    backlog: p.backlog,
    firstResponse: hours(p.metrics.firstResponse.medianSeconds),
    resolution: hours(p.metrics.resolution.medianSeconds),
    csat: p.metrics.csat.rate === null ? null : Math.round(p.metrics.csat.rate * 1000) / 10,
    reopen: p.metrics.reopen.rate === null ? null : Math.round(p.metrics.reopen.rate * 1000) / 10,
  }))
  const total = (k: 'created' | 'solved') => rows.reduce((a, r) => a + r[k], 0)
  const show = (v: number | null, unit: string) => (v === null ? '—' : `${v}${unit}`)
  const caption = (what: string) => `${what} per ${data.interval} from ${data.from} to ${data.to}`
  const base = { h: 220, data: rows, dataKey: 'period', withLegend: true }
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="lg">
      <ChartBlock
        title="Created and solved"
        summary={`Bar chart: ${count(total('created'))} tickets created and ${count(total('solved'))} solved over ${rows.length} ${data.interval}s`}
        data={{
          caption: caption('Tickets created, solved and unsolved'),
          columns: ['Period', 'Created', 'Solved', 'Unsolved at end'],
          rows: rows.map((r) => [r.period, r.created, r.solved, r.backlog]),
        }}
      >
        <BarChart
          {...base}
          series={[
            { name: 'created', label: 'Created', color: 'indigo.6' },
            { name: 'solved', label: 'Solved', color: 'teal.6' },
          ]}
        />
      </ChartBlock>
      <ChartBlock
        title="Response times (median, hours)"
        summary={`Line chart of median first response and resolution times per ${data.interval}`}
        data={{
          caption: caption('Median first response and resolution in hours'),
          columns: ['Period', 'First response (h)', 'Resolution (h)'],
          rows: rows.map((r) => [r.period, show(r.firstResponse, ''), show(r.resolution, '')]),
        }}
      >
        <LineChart
          {...base}
          connectNulls
          unit=" h"
          series={[
            { name: 'firstResponse', label: 'First response', color: 'blue.6' },
            { name: 'resolution', label: 'Resolution', color: 'orange.6' },
          ]}
        />
      </ChartBlock>
      <ChartBlock
        title="CSAT and reopen rate (%)"
        summary={`Line chart of CSAT and reopen rate per ${data.interval}`}
        data={{
          caption: caption('CSAT and reopen rate in percent'),
          columns: ['Period', 'CSAT %', 'Reopen %'],
          rows: rows.map((r) => [r.period, show(r.csat, ' %'), show(r.reopen, ' %')]),
        }}
      >
        <LineChart
          {...base}
          connectNulls
          unit=" %"
          yAxisProps={{ domain: [0, 100] }}
          series={[
            { name: 'csat', label: 'CSAT', color: 'green.6' },
            { name: 'reopen', label: 'Reopened', color: 'red.6' },
          ]}
        />
      </ChartBlock>
    </SimpleGrid>
  )
}

/** A titled chart with its accessible summary and data table. */
function ChartBlock({ title, children, ...chart }: { title: string; children: ReactNode } & Omit<ComponentProps<typeof AccessibleChart>, 'children'>) {
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      <AccessibleChart {...chart}>{children}</AccessibleChart>
    </div>
  )
}
