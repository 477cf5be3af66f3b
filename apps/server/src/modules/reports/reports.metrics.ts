import type { ReportComparison, ReportDuration, ReportMetrics, ReportProportion } from '@allhands/contract'
import { REPORT_MIN_GROUP_SIZE } from '@allhands/contract'

/**
 * The additive vector every rollup row holds, and the pure statistics read from it: Wilson intervals,
 * two-proportion z-tests and medians estimated from fixed histograms.
 */

/** Upper bounds (seconds) of the duration histogram buckets; one more bucket holds everything longer. */
export const DURATION_BOUNDS = [300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 345_600, 604_800] as const
export const BUCKETS = DURATION_BOUNDS.length + 1

/** Histogram columns, one per bucket (BUCKETS of them). */
export const FR_BUCKETS = ['frH0', 'frH1', 'frH2', 'frH3', 'frH4', 'frH5', 'frH6', 'frH7', 'frH8', 'frH9', 'frH10', 'frH11'] as const
export const RES_BUCKETS = ['resH0', 'resH1', 'resH2', 'resH3', 'resH4', 'resH5', 'resH6', 'resH7', 'resH8', 'resH9', 'resH10', 'resH11'] as const

/** Every additive column of report_rollups (camelCase), in a fixed order: the index into a RollupVector. */
export const ROLLUP_COLUMNS = [
  'created',
  'opened',
  'solved',
  'replies',
  'reviewedReplies',
  'reopened',
  'backlog',
  'csatSent',
  'csatRated',
  'csatPositive',
  'frCount',
  'frSum',
  ...FR_BUCKETS,
  'resCount',
  'resSum',
  ...RES_BUCKETS,
] as const
export type RollupColumn = (typeof ROLLUP_COLUMNS)[number]
export const COL = Object.fromEntries(ROLLUP_COLUMNS.map((c, i) => [c, i])) as Record<RollupColumn, number>
export type RollupVector = Float64Array

export const emptyVector = (): RollupVector => new Float64Array(ROLLUP_COLUMNS.length)

/** A vector from a row of sums (missing or null columns count as 0). */
export function vectorOf(row: Partial<Record<RollupColumn, unknown>> | undefined): RollupVector {
  const v = emptyVector()
  if (row) for (let i = 0; i < ROLLUP_COLUMNS.length; i++) v[i] = Number(row[ROLLUP_COLUMNS[i]!] ?? 0)
  return v
}

export function addInto(target: RollupVector, source: RollupVector, sign = 1): void {
  for (let i = 0; i < target.length; i++) target[i]! += sign * source[i]!
}

export const bucketOf = (seconds: number): number => {
  for (let i = 0; i < DURATION_BOUNDS.length; i++) if (seconds <= DURATION_BOUNDS[i]!) return i
  return DURATION_BOUNDS.length
}

/**
 * The median estimated from a histogram: the bucket holding the middle observation, interpolated
 * linearly inside it (the open last bucket answers its lower bound).
 */
export function histogramMedian(counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0)
  if (total <= 0) return null
  const half = total / 2
  let seen = 0
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    if (c > 0 && seen + c >= half) {
      const low = i === 0 ? 0 : DURATION_BOUNDS[i - 1]!
      if (i >= DURATION_BOUNDS.length) return low
      return Math.round(low + ((half - seen) / c) * (DURATION_BOUNDS[i]! - low))
    }
    seen += c
  }
  return null
}

const Z95 = 1.959963984540054

/** Wilson score interval (95 %) for k successes out of n. */
export function wilson(k: number, n: number): { rate: number | null; low: number | null; high: number | null } {
  if (n <= 0) return { rate: null, low: null, high: null }
  const p = k / n
  const z2 = Z95 * Z95
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const margin = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return { rate: p, low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) }
}

export const proportion = (k: number, n: number): ReportProportion => ({ numerator: k, denominator: n, ...wilson(k, n) })

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/**
 * Two-proportion z-test (pooled), two-sided: is group a's rate different from baseline b's?
 * `enoughData` needs both groups at REPORT_MIN_GROUP_SIZE observations or more.
 */
export function compareProportions(a: { k: number; n: number }, b: { k: number; n: number }, minN = REPORT_MIN_GROUP_SIZE): ReportComparison {
  const enoughData = a.n >= minN && b.n >= minN
  if (a.n <= 0 || b.n <= 0) return { difference: null, pValue: null, significant: false, enoughData }
  const pa = a.k / a.n
  const pb = b.k / b.n
  const pooled = (a.k + b.k) / (a.n + b.n)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
  const pValue = se === 0 ? (pa === pb ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(pa - pb) / se))
  return { difference: pa - pb, pValue, significant: pValue < 0.05, enoughData }
}

const avg = (sum: number, count: number) => (count > 0 ? sum / count : null)

function duration(v: RollupVector, metric: 'fr' | 'res'): ReportDuration {
  const count = v[COL[`${metric}Count`]]!
  const buckets = (metric === 'fr' ? FR_BUCKETS : RES_BUCKETS).map((c) => v[COL[c]]!)
  return { count, avgSeconds: avg(v[COL[`${metric}Sum`]]!, count), medianSeconds: histogramMedian(buckets) }
}

/** The API metrics of a summed vector. */
export function metricsOf(v: RollupVector): ReportMetrics {
  const solved = v[COL.solved]!
  const replies = v[COL.replies]!
  return {
    created: v[COL.created]!,
    solved,
    replies,
    repliesPerSolve: avg(replies, solved),
    reviewedReplies: v[COL.reviewedReplies]!,
    firstResponse: duration(v, 'fr'),
    resolution: duration(v, 'res'),
    reopen: proportion(v[COL.reopened]!, solved),
    csat: proportion(v[COL.csatPositive]!, v[COL.csatRated]!),
    csatResponse: proportion(v[COL.csatRated]!, v[COL.csatSent]!),
  }
}
