import {
  REPORT_MAX_RANGE_DAYS,
  REPORT_MIN_GROUP_SIZE,
  REPORT_WAITING_HOURS,
  type ReportBreakdown,
  type ReportBreakdownDto,
  type ReportBreakdownQuery,
  type ReportCohortRow,
  type ReportCohortsDto,
  type ReportCohortsQuery,
  type ReportSlaDto,
  type ReportSlaQuery,
  type ReportInterval,
  type ReportMetrics,
  type ReportSort,
  type ReportSplit,
  type ReportStratify,
  type ReportSummaryDto,
  type ReportSummaryQuery,
  type ReportTimeseriesDto,
  type ReportTimeseriesPoint,
  type ReportTimeseriesQuery,
  RESPONDER_COHORTS,
  RISK_LEVELS,
  TRUST_LEVELS,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden, unprocessable } from '../../platform/errors.ts'
import { drainReportQueue } from './reports.engine.ts'
import { addInto, COL, compareProportions, emptyVector, metricsOf, proportion, type RollupVector } from './reports.metrics.ts'
import { canViewReports } from './reports.policy.ts'
import { backlogBefore, countWaiting, type DayRange, labelsOf, scopeTargetExists, sumByKey, totalsByDay, WAITING_CAP } from './reports.queries.ts'
import { crossDim, DAY_MS, dayOf } from './reports.rollup.ts'
import { slaAchievement } from '../sla/index.ts'

/**
 * The report use cases: validate the filters, drain a bounded batch of the queue so numbers are fresh,
 * then read rollups only (plus index-bounded counts of open cycles for "waiting longer than").
 */

const DEFAULT_RANGE_DAYS = 30
const NO_KEY = 'none'

export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

function parseDay(value: string, name: string): number {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const ms = Date.UTC(y, m - 1, d)
  const day = dayOf(ms)
  if (!Number.isFinite(ms) || isoDay(day) !== value) throw unprocessable(`${name} is not a valid date: ${value}`)
  return day
}

type ScopeRef = { key: string; kind: 'all' | 'inbox' | 'team'; id: number | null }

interface Filters extends DayRange {
  from: string
  to: string
  scope: ScopeRef
}

/** Checks dates (from <= to, at most REPORT_MAX_RANGE_DAYS) and that the scope's inbox or team exists. */
async function prepare(ctx: Ctx, actor: Actor, q: { from?: string; to?: string; scope?: string }): Promise<Filters> {
  if (!canViewReports(actor)) throw forbidden('see reports')
  const today = dayOf(now())
  const toDay = q.to ? parseDay(q.to, 'to') : today
  const fromDay = q.from ? parseDay(q.from, 'from') : toDay - (DEFAULT_RANGE_DAYS - 1)
  if (fromDay > toDay) throw unprocessable(`from (${isoDay(fromDay)}) must not be after to (${isoDay(toDay)})`)
  if (toDay - fromDay + 1 > REPORT_MAX_RANGE_DAYS) throw unprocessable(`A report covers at most ${REPORT_MAX_RANGE_DAYS} days`)
  const raw = q.scope ?? 'all'
  let scope: ScopeRef = { key: 'all', kind: 'all', id: null }
  if (raw !== 'all') {
    const [kind, id] = raw.split(':') as ['inbox' | 'team', string]
    if (!(await scopeTargetExists(ctx.db, kind, Number(id)))) throw unprocessable(`${kind === 'inbox' ? 'Inbox' : 'Team'} ${id} does not exist`)
    scope = { key: raw, kind, id: Number(id) }
  }
  await drainReportQueue(ctx)
  return { fromDay, toDay, from: isoDay(fromDay), to: isoDay(toDay), scope }
}

export async function getSummary(ctx: Ctx, actor: Actor, q: ReportSummaryQuery): Promise<ReportSummaryDto> {
  const f = await prepare(ctx, actor, q)
  const t = now()
  const [totals, backlog, waiting] = await Promise.all([
    sumByKey(ctx.db, f.scope.key, 'total', f),
    backlogBefore(ctx.db, f.scope.key, dayOf(t) + 1),
    Promise.all(REPORT_WAITING_HOURS.map(async (hours) => ({ hours, count: await countWaiting(ctx.db, f.scope, t - hours * 3_600_000) }))),
  ])
  return {
    from: f.from,
    to: f.to,
    scope: f.scope.key,
    metrics: metricsOf(totals.get('') ?? emptyVector()),
    backlog,
    waiting,
    waitingCap: WAITING_CAP,
    generatedAt: t,
  }
}

/** SLA achievement in the range (whole UTC days) and scope, read from the clocks themselves. */
export async function getSlaAchievement(ctx: Ctx, actor: Actor, q: ReportSlaQuery): Promise<ReportSlaDto> {
  const f = await prepare(ctx, actor, q)
  const achievement = await slaAchievement(ctx.db, f.fromDay * DAY_MS, (f.toDay + 1) * DAY_MS - 1, f.scope)
  return { from: f.from, to: f.to, scope: f.scope.key, ...achievement }
}

/** The first day of the period holding `day`: itself, its ISO week's Monday, or its month's 1st. */
function periodStart(day: number, interval: ReportInterval): number {
  if (interval === 'day') return day
  if (interval === 'week') return day - ((new Date(day * DAY_MS).getUTCDay() + 6) % 7)
  const d = new Date(day * DAY_MS)
  return dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
}

export async function getTimeseries(ctx: Ctx, actor: Actor, q: ReportTimeseriesQuery): Promise<ReportTimeseriesDto> {
  const f = await prepare(ctx, actor, q)
  const interval = q.interval ?? 'day'
  const [byDay, before] = await Promise.all([totalsByDay(ctx.db, f.scope.key, f), backlogBefore(ctx.db, f.scope.key, f.fromDay)])
  const points: ReportTimeseriesPoint[] = []
  let backlog = before
  let current: { start: number; end: number; v: RollupVector } | null = null
  const close = () => {
    if (current) points.push({ start: isoDay(current.start), end: isoDay(current.end), metrics: metricsOf(current.v), backlog })
  }
  for (let day = f.fromDay; day <= f.toDay; day++) {
    const start = Math.max(f.fromDay, periodStart(day, interval))
    if (!current || current.start !== start) {
      close()
      current = { start, end: day, v: emptyVector() }
    }
    current.end = day
    const v = byDay.get(day)
    if (v) {
      addInto(current.v, v)
      backlog += v[COL.backlog]!
    }
  }
  close()
  return { from: f.from, to: f.to, scope: f.scope.key, interval, points, generatedAt: now() }
}

const BASELINE: Record<ReportSplit, string> = { cohort: 'support', trust: 'agent', reviewed: 'unreviewed' }
const GROUPS: Record<ReportSplit, readonly string[]> = { cohort: RESPONDER_COHORTS, trust: [...TRUST_LEVELS].reverse(), reviewed: ['unreviewed', 'reviewed'] }
const GROUP_LABELS: Record<string, string> = {
  support: 'Support team',
  contributor: 'Rotation contributors',
  expert: 'Consulted experts',
  agent: 'Agent trust',
  trusted: 'Trusted',
  reviewed: 'Reviewed replies',
  observer: 'Observer',
  unreviewed: 'Unreviewed replies',
}
/** `reviewed` is both a trust level and a reviewed/unreviewed group. */
const groupLabel = (split: ReportSplit, group: string) => (split === 'trust' && group === 'reviewed' ? 'Reviewed trust' : (GROUP_LABELS[group] ?? group))

function cohortRow(stratum: ReportCohortRow['stratum'], split: ReportSplit, group: string, v: RollupVector, base: RollupVector | undefined): ReportCohortRow {
  const n = v[COL.solved]!
  const isBaseline = group === BASELINE[split]
  const csat = { k: v[COL.csatPositive]!, n: v[COL.csatRated]! }
  const reopen = { k: v[COL.reopened]!, n }
  const vs = (pick: (x: RollupVector) => { k: number; n: number }, mine: { k: number; n: number }) =>
    isBaseline ? null : compareProportions(mine, base ? pick(base) : { k: 0, n: 0 })
  return {
    stratum,
    group,
    label: groupLabel(split, group),
    isBaseline,
    n,
    csat: proportion(csat.k, csat.n),
    reopen: proportion(reopen.k, reopen.n),
    firstResponseAvgSeconds: metricsOf(v).firstResponse.avgSeconds,
    resolutionAvgSeconds: metricsOf(v).resolution.avgSeconds,
    csatVsBaseline: vs((x) => ({ k: x[COL.csatPositive]!, n: x[COL.csatRated]! }), csat),
    reopenVsBaseline: vs((x) => ({ k: x[COL.reopened]!, n: x[COL.solved]! }), reopen),
    enoughData: n >= REPORT_MIN_GROUP_SIZE,
  }
}

export async function getCohorts(ctx: Ctx, actor: Actor, q: ReportCohortsQuery): Promise<ReportCohortsDto> {
  const f = await prepare(ctx, actor, q)
  const split: ReportSplit = q.split ?? 'cohort'
  const stratify: ReportStratify = q.stratify ?? 'none'
  const byKey = await sumByKey(ctx.db, f.scope.key, stratify === 'none' ? split : crossDim(split, stratify), f)
  // Strata present in the data, in a stable order: risk levels low → critical, categories by name.
  const strata = new Map<string, Map<string, RollupVector>>()
  for (const [key, v] of byKey) {
    const [group, stratum] = stratify === 'none' ? [key, ''] : (key.split('|') as [string, string])
    const groups = strata.get(stratum) ?? new Map<string, RollupVector>()
    strata.set(stratum, groups)
    groups.set(group, v)
  }
  const categoryNames =
    stratify === 'category' ? await labelsOf(ctx.db, 'category', [...strata.keys()].filter((k) => k !== NO_KEY).map(Number)) : new Map<number, string>()
  const stratumLabel = (key: string) =>
    stratify === 'risk' ? key[0]!.toUpperCase() + key.slice(1) : key === NO_KEY ? 'No category' : (categoryNames.get(Number(key)) ?? `Category ${key}`)
  const order = (key: string) => (stratify === 'risk' ? String(RISK_LEVELS.indexOf(key as never)).padStart(3, '0') : stratumLabel(key).toLowerCase())
  const rows: ReportCohortRow[] = []
  for (const stratum of [...strata.keys()].sort((a, b) => order(a).localeCompare(order(b)))) {
    const groups = strata.get(stratum)!
    const base = groups.get(BASELINE[split])
    const known = GROUPS[split].filter((g) => g === BASELINE[split] || groups.has(g))
    const others = [...groups.keys()].filter((g) => !GROUPS[split].includes(g)).sort()
    for (const group of [...known, ...others])
      rows.push(cohortRow(stratify === 'none' ? null : { key: stratum, label: stratumLabel(stratum) }, split, group, groups.get(group) ?? emptyVector(), base))
  }
  return {
    from: f.from,
    to: f.to,
    scope: f.scope.key,
    split,
    stratify,
    baseline: BASELINE[split],
    minGroupSize: REPORT_MIN_GROUP_SIZE,
    rows,
    generatedAt: now(),
  }
}

/** Sort value of a row (higher first), null last. Durations sort fastest first. */
function sortValue(m: ReportMetrics, sort: ReportSort): number | null {
  switch (sort) {
    case 'solved':
    case 'created':
    case 'replies':
      return m[sort]
    case 'firstResponse':
      return m.firstResponse.avgSeconds === null ? null : -m.firstResponse.avgSeconds
    case 'resolution':
      return m.resolution.avgSeconds === null ? null : -m.resolution.avgSeconds
    case 'reopenRate':
      return m.reopen.rate
    case 'csat':
      return m.csat.rate
    case 'csatRated':
      return m.csat.denominator
  }
}

const byValueThenKey = (a: { key: string; value: number | null }, b: { key: string; value: number | null }) => {
  if (a.value === b.value) return a.key.localeCompare(b.key)
  if (a.value === null) return 1
  if (b.value === null) return -1
  return b.value - a.value
}

async function breakdownLabels(ctx: Ctx, by: ReportBreakdown, keys: string[]): Promise<Map<string, string>> {
  if (by === 'tag') return new Map(keys.map((k) => [k, k]))
  const names = await labelsOf(ctx.db, by, keys.filter((k) => k !== NO_KEY).map(Number))
  const fallback = { person: 'Person', team: 'Team', inbox: 'Inbox' }[by]
  return new Map(keys.map((k) => [k, k === NO_KEY ? 'No team' : (names.get(Number(k)) ?? `${fallback} ${k}`)]))
}

export async function getBreakdown(ctx: Ctx, actor: Actor, q: ReportBreakdownQuery): Promise<ReportBreakdownDto> {
  const f = await prepare(ctx, actor, q)
  const by: ReportBreakdown = q.by ?? 'person'
  const sort: ReportSort = q.sort ?? 'solved'
  const limit = q.limit ?? 50
  const byKey = await sumByKey(ctx.db, f.scope.key, by, f)
  const all = [...byKey]
    .map(([key, v]) => ({ key, metrics: metricsOf(v), active: v.some((x) => x !== 0) }))
    .filter((r) => r.active)
    .map((r) => ({ ...r, value: sortValue(r.metrics, sort) }))
    .sort(byValueThenKey)
  const top = all.slice(0, limit)
  const labels = await breakdownLabels(
    ctx,
    by,
    top.map((r) => r.key),
  )
  return {
    from: f.from,
    to: f.to,
    scope: f.scope.key,
    by,
    sort,
    rows: top.map((r) => ({ key: r.key, id: by !== 'tag' && r.key !== NO_KEY ? Number(r.key) : null, label: labels.get(r.key) ?? r.key, metrics: r.metrics })),
    truncated: all.length > limit,
    generatedAt: now(),
  }
}
