import type { ReportBreakdown, ReportInterval, ReportSort, ReportSplit, ReportStratify } from '@allhands/contract'
import type { ReportRange } from './reports.api.ts'

// Local copies of the contract enums: importing the values would pull the schema library into the bundle.
export const TABS = ['overview', 'cohorts', 'breakdown', 'live'] as const
export type ReportsTab = (typeof TABS)[number]
export const PRESETS = ['7d', '30d', '90d', 'month', 'custom'] as const
export type RangePreset = (typeof PRESETS)[number]
export const INTERVALS: readonly ReportInterval[] = ['day', 'week', 'month']
export const SPLITS: readonly ReportSplit[] = ['cohort', 'trust', 'reviewed']
export const STRATA: readonly ReportStratify[] = ['none', 'risk', 'category']
export const BREAKDOWNS: readonly ReportBreakdown[] = ['person', 'team', 'inbox', 'tag']
export const SORTS: readonly ReportSort[] = ['solved', 'created', 'replies', 'firstResponse', 'resolution', 'reopenRate', 'csat', 'csatRated']
/** The engine refuses longer ranges. */
export const MAX_RANGE_DAYS = 731

/** Everything a Reports view depends on, read from the URL so a view is linkable. */
export type ReportsState = {
  tab: ReportsTab
  preset: RangePreset
  range: ReportRange
  interval: ReportInterval
  split: ReportSplit
  stratify: ReportStratify
  by: ReportBreakdown
  sort: ReportSort
}
export type ReportsSearch = Record<string, string | undefined>

const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/

export const isoDay = (d: Date) => d.toISOString().slice(0, 10)
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`)
export const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1
const validDay = (v: string | undefined): v is string => !!v && DATE.test(v) && !Number.isNaN(dayMs(v))
const oneOf = <T extends string>(values: readonly T[], v: string | undefined, fallback: T): T => (values.includes(v as T) ? (v as T) : fallback)

/** The UTC days a preset covers, ending today. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today = new Date()): { from: string; to: string } {
  const to = isoDay(today)
  if (preset === 'month') return { from: `${to.slice(0, 8)}01`, to }
  const days = { '7d': 7, '30d': 30, '90d': 90 }[preset]
  return { from: isoDay(new Date(dayMs(to) - (days - 1) * DAY_MS)), to }
}

/** A custom range is used only when both days are valid, in order and not longer than the engine allows. */
export function customRangeError(from: string | undefined, to: string | undefined): string | null {
  if (!validDay(from) || !validDay(to)) return 'Pick both days'
  if (from > to) return 'The first day must come before the last'
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return `At most ${MAX_RANGE_DAYS} days`
  return null
}

const SCOPE = /^(all|inbox:[1-9]\d{0,9}|team:[1-9]\d{0,9})$/

/** Reads the Reports state from URL search params, falling back to defaults for anything missing or invalid. */
export function parseReportsSearch(s: ReportsSearch, today = new Date()): ReportsState {
  let preset = oneOf(PRESETS, s.range, '30d')
  let dates = preset === 'custom' ? { from: s.from ?? '', to: s.to ?? '' } : presetRange(preset, today)
  if (preset === 'custom' && customRangeError(dates.from, dates.to)) {
    preset = '30d'
    dates = presetRange(preset, today)
  }
  const days = daysBetween(dates.from, dates.to)
  return {
    tab: oneOf(TABS, s.tab, 'overview'),
    preset,
    range: { ...dates, scope: s.scope && SCOPE.test(s.scope) ? s.scope : 'all' },
    // A sensible number of points by default: days up to two months, then weeks, then months.
    interval: oneOf(INTERVALS, s.interval, days <= 62 ? 'day' : days <= 370 ? 'week' : 'month'),
    split: oneOf(SPLITS, s.split, 'cohort'),
    stratify: oneOf(STRATA, s.stratify, 'none'),
    by: oneOf(BREAKDOWNS, s.by, 'person'),
    sort: oneOf(SORTS, s.sort, 'solved'),
  }
}
