/** Latency samples in milliseconds → the figures we report. */
export interface Latency {
  n: number
  p50: number
  p95: number
  max: number
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (v: number) => Math.round(v * 100) / 100
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted[sorted.length - 1] ?? Number.NaN) }
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (!sorted.length) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Per-key median over runs: each run's p50 and p95 are taken separately. */
export function medianLatency(runs: Latency[]): Latency {
  return {
    n: runs.reduce((a, r) => a + r.n, 0),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    max: Math.max(...runs.map((r) => r.max)),
  }
}
