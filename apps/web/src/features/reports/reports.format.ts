import type { ReportProportion } from '@allhands/contract'
import { durationLabel } from '../monitoring/monitoring.api.ts'

/** "87 %" or "—" when there is nothing to divide. */
export const percent = (rate: number | null | undefined, digits = 0) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)} %`)

/** "87 % (80–92 %)": a proportion with its Wilson interval. */
export const proportionLabel = (p: ReportProportion) =>
  p.rate === null ? '—' : `${percent(p.rate)} (${percent(p.low)}–${percent(p.high)}, n = ${p.denominator.toLocaleString('en-US')})`

/** A duration given in seconds, "—" when unknown. */
export const seconds = (s: number | null | undefined) => (s === null || s === undefined ? '—' : durationLabel(s * 1000))

export const count = (n: number) => n.toLocaleString('en-US')

/** A capped count: "10,000+" past the cap. */
export const cappedCount = (n: number, cap: number) => (n > cap ? `${cap.toLocaleString('en-US')}+` : n.toLocaleString('en-US'))

/** Hours with one decimal, for charts (durations in seconds). */
export const hours = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round((s / 3600) * 10) / 10)
