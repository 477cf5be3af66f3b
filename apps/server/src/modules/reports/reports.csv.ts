import type { ReportMetrics } from '@allhands/contract'

/**
 * CSV downloads (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled). Text cells starting with = + - @ (or a tab/CR) are prefixed with ' so a
 * spreadsheet never runs them as formulas; numbers are written as numbers.
 */
export type Cell = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const toCsv = (header: string[], rows: Cell[][]): string => `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`

/** The flat columns of a metrics object, shared by every report's CSV. */
export const METRIC_HEADER = [
  'created',
  'solved',
  'replies',
  'replies_per_solve',
  'reviewed_replies',
  'first_response_count',
  'first_response_avg_seconds',
  'first_response_median_seconds',
  'resolution_count',
  'resolution_avg_seconds',
  'resolution_median_seconds',
  'reopened',
  'reopen_rate',
  'reopen_ci_low',
  'reopen_ci_high',
  'csat_rated',
  'csat_positive',
  'csat_rate',
  'csat_ci_low',
  'csat_ci_high',
  'csat_sent',
  'csat_response_rate',
]

export const metricCells = (m: ReportMetrics): Cell[] => [
  m.created,
  m.solved,
  m.replies,
  m.repliesPerSolve,
  m.reviewedReplies,
  m.firstResponse.count,
  m.firstResponse.avgSeconds,
  m.firstResponse.medianSeconds,
  m.resolution.count,
  m.resolution.avgSeconds,
  m.resolution.medianSeconds,
  m.reopen.numerator,
  m.reopen.rate,
  m.reopen.low,
  m.reopen.high,
  m.csat.denominator,
  m.csat.numerator,
  m.csat.rate,
  m.csat.low,
  m.csat.high,
  m.csatResponse.denominator,
  m.csatResponse.rate,
]
