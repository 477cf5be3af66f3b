import type { ReportBreakdownDto, ReportCohortsDto, ReportComparison, ReportSummaryDto, ReportTimeseriesDto } from '@allhands/contract'
import { type Cell, METRIC_HEADER, metricCells, toCsv } from './reports.csv.ts'

/** Each report as CSV: the rows of its JSON, flattened. */

export const summaryCsv = (d: ReportSummaryDto) =>
  toCsv(
    ['from', 'to', 'scope', ...METRIC_HEADER, 'backlog', ...d.waiting.map((w) => `waiting_over_${w.hours}h`)],
    [[d.from, d.to, d.scope, ...metricCells(d.metrics), d.backlog, ...d.waiting.map((w) => w.count)]],
  )

export const timeseriesCsv = (d: ReportTimeseriesDto) =>
  toCsv(
    ['start', 'end', 'scope', ...METRIC_HEADER, 'backlog'],
    d.points.map((p) => [p.start, p.end, d.scope, ...metricCells(p.metrics), p.backlog]),
  )

const comparisonCells = (c: ReportComparison | null): Cell[] => (c ? [c.difference, c.pValue, c.significant, c.enoughData] : [null, null, null, null])

export const cohortsCsv = (d: ReportCohortsDto) =>
  toCsv(
    [
      'stratum',
      'group',
      'baseline',
      'n',
      'csat_rated',
      'csat_positive',
      'csat_rate',
      'csat_ci_low',
      'csat_ci_high',
      'reopened',
      'reopen_rate',
      'reopen_ci_low',
      'reopen_ci_high',
      'first_response_avg_seconds',
      'resolution_avg_seconds',
      'csat_difference',
      'csat_p_value',
      'csat_significant',
      'csat_enough_data',
      'reopen_difference',
      'reopen_p_value',
      'reopen_significant',
      'reopen_enough_data',
    ],
    d.rows.map((r) => [
      r.stratum?.label ?? '',
      r.label,
      r.isBaseline,
      r.n,
      r.csat.denominator,
      r.csat.numerator,
      r.csat.rate,
      r.csat.low,
      r.csat.high,
      r.reopen.numerator,
      r.reopen.rate,
      r.reopen.low,
      r.reopen.high,
      r.firstResponseAvgSeconds,
      r.resolutionAvgSeconds,
      ...comparisonCells(r.csatVsBaseline),
      ...comparisonCells(r.reopenVsBaseline),
    ]),
  )

export const breakdownCsv = (d: ReportBreakdownDto) =>
  toCsv(
    [d.by, 'id', ...METRIC_HEADER],
    d.rows.map((r) => [r.label, r.id, ...metricCells(r.metrics)]),
  )
