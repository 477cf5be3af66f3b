import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { SlaReportDto, SlaReportRow } from './sla.ts'

/**
 * Reports: read only from daily rollups maintained from per-solve-cycle facts (see docs/REPORTS.md).
 * Dates are UTC calendar days `YYYY-MM-DD`, both ends included. Every route also answers `format=csv`
 * with the same data as a CSV download.
 */
export const REPORT_INTERVALS = ['day', 'week', 'month'] as const
export type ReportInterval = (typeof REPORT_INTERVALS)[number]
export const REPORT_BREAKDOWNS = ['person', 'team', 'inbox', 'tag'] as const
export type ReportBreakdown = (typeof REPORT_BREAKDOWNS)[number]
/** cohort: support / contributor / expert; trust: the responders' trust levels; reviewed: reviewed vs unreviewed replies. */
export const REPORT_SPLITS = ['cohort', 'trust', 'reviewed'] as const
export type ReportSplit = (typeof REPORT_SPLITS)[number]
export const REPORT_STRATA = ['none', 'risk', 'category'] as const
export type ReportStratify = (typeof REPORT_STRATA)[number]
export const RESPONDER_COHORTS = ['support', 'contributor', 'expert'] as const
export type ResponderCohort = (typeof RESPONDER_COHORTS)[number]
export const REVIEWED_GROUPS = ['reviewed', 'unreviewed'] as const
export const REPORT_FORMATS = ['json', 'csv'] as const
export const REPORT_SORTS = ['solved', 'created', 'replies', 'firstResponse', 'resolution', 'reopenRate', 'csat', 'csatRated'] as const
export type ReportSort = (typeof REPORT_SORTS)[number]
/** Thresholds (hours) of the "waiting longer than" counts in the summary. */
export const REPORT_WAITING_HOURS = [1, 4, 24, 72] as const
/** Groups smaller than this are shown but flagged `enoughData: false`. */
export const REPORT_MIN_GROUP_SIZE = 30
/** The longest range a report may cover, in days. */
export const REPORT_MAX_RANGE_DAYS = 731

export const ReportDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'UTC day, YYYY-MM-DD' })
/** `all`, `inbox:<id>` or `team:<id>`: the tickets a report covers. */
export const ReportScope = Type.String({ pattern: '^(all|inbox:[1-9][0-9]{0,9}|team:[1-9][0-9]{0,9})$', maxLength: 20 })

/** Without `from`/`to`, the last 30 days up to today (UTC). */
const RangeQuery = {
  from: Type.Optional(ReportDate),
  to: Type.Optional(ReportDate),
  scope: Type.Optional(ReportScope),
  format: Type.Optional(Type.Enum(REPORT_FORMATS)),
}

export const ReportSummaryQuery = Type.Object(RangeQuery)
export type ReportSummaryQuery = Static<typeof ReportSummaryQuery>

export const ReportTimeseriesQuery = Type.Object({ ...RangeQuery, interval: Type.Optional(Type.Enum(REPORT_INTERVALS)) })
export type ReportTimeseriesQuery = Static<typeof ReportTimeseriesQuery>

export const ReportCohortsQuery = Type.Object({
  ...RangeQuery,
  split: Type.Optional(Type.Enum(REPORT_SPLITS)),
  stratify: Type.Optional(Type.Enum(REPORT_STRATA)),
})
export type ReportCohortsQuery = Static<typeof ReportCohortsQuery>

export const ReportBreakdownQuery = Type.Object({
  ...RangeQuery,
  /** Default: person. */
  by: Type.Optional(Type.Enum(REPORT_BREAKDOWNS)),
  sort: Type.Optional(Type.Enum(REPORT_SORTS)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export type ReportBreakdownQuery = Static<typeof ReportBreakdownQuery>

/** A proportion with its Wilson 95 % confidence interval (null rate and bounds when the denominator is 0). */
export const ReportProportion = Type.Object({
  numerator: Type.Integer({ minimum: 0 }),
  denominator: Type.Integer({ minimum: 0 }),
  rate: Nullable(Type.Number()),
  low: Nullable(Type.Number()),
  high: Nullable(Type.Number()),
})
export type ReportProportion = Static<typeof ReportProportion>

/** A duration metric: how many, mean and median (estimated from a fixed histogram) in seconds. */
export const ReportDuration = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  avgSeconds: Nullable(Type.Number()),
  medianSeconds: Nullable(Type.Number()),
})
export type ReportDuration = Static<typeof ReportDuration>

export const ReportMetrics = Type.Object({
  /** Tickets created in the range. */
  created: Type.Integer({ minimum: 0 }),
  /** Solve cycles ended (solved or closed) in the range. */
  solved: Type.Integer({ minimum: 0 }),
  /** Replies to customers in the cycles solved in the range. */
  replies: Type.Integer({ minimum: 0 }),
  /** replies / solved. */
  repliesPerSolve: Nullable(Type.Number()),
  /** Of those replies, how many went through review. */
  reviewedReplies: Type.Integer({ minimum: 0 }),
  /** First responses sent in the range (time from the cycle's opening to the first reply). */
  firstResponse: ReportDuration,
  /** Cycles solved in the range (time from opening to solve). */
  resolution: ReportDuration,
  /** Solved cycles that were reopened later / solved cycles. */
  reopen: ReportProportion,
  /** Positive ratings (score >= 4 of 5) / ratings, for cycles solved in the range. */
  csat: ReportProportion,
  /** Ratings / surveys sent. */
  csatResponse: ReportProportion,
})
export type ReportMetrics = Static<typeof ReportMetrics>

export const ReportSummaryDto = Type.Object({
  from: ReportDate,
  to: ReportDate,
  scope: ReportScope,
  metrics: ReportMetrics,
  /** Unsolved cycles now (from the rollups). */
  backlog: Type.Integer(),
  /** Unsolved cycles whose customer has waited longer than `hours` for a reply, now; counted up to `waitingCap` + 1. */
  waiting: Type.Array(Type.Object({ hours: Type.Integer({ minimum: 1 }), count: Type.Integer({ minimum: 0 }) })),
  /** A count above this means "more than this many". */
  waitingCap: Type.Integer(),
  generatedAt: Timestamp,
})
export type ReportSummaryDto = Static<typeof ReportSummaryDto>

export const ReportTimeseriesPoint = Type.Object({
  /** First day of the period (Monday for weeks, the 1st for months), clipped to `from`. */
  start: ReportDate,
  end: ReportDate,
  metrics: ReportMetrics,
  /** Unsolved cycles at the end of the period. */
  backlog: Type.Integer(),
})
export type ReportTimeseriesPoint = Static<typeof ReportTimeseriesPoint>

export const ReportTimeseriesDto = Type.Object({
  from: ReportDate,
  to: ReportDate,
  scope: ReportScope,
  interval: Type.Enum(REPORT_INTERVALS),
  points: Type.Array(ReportTimeseriesPoint),
  generatedAt: Timestamp,
})
export type ReportTimeseriesDto = Static<typeof ReportTimeseriesDto>

/** A group's proportion against the baseline group's in the same stratum (two-proportion z-test). */
export const ReportComparison = Type.Object({
  /** This group's rate minus the baseline's (null when either has no data). */
  difference: Nullable(Type.Number()),
  pValue: Nullable(Type.Number()),
  /** p < 0.05. */
  significant: Type.Boolean(),
  /** Both groups have at least REPORT_MIN_GROUP_SIZE observations. */
  enoughData: Type.Boolean(),
})
export type ReportComparison = Static<typeof ReportComparison>

export const ReportCohortRow = Type.Object({
  /** Risk level or category of the stratum; null when not stratified. `key` is `none` for tickets without a category. */
  stratum: Nullable(Type.Object({ key: Type.String(), label: Type.String() })),
  /** The group: a cohort, a trust level, or reviewed/unreviewed. */
  group: Type.String(),
  label: Type.String(),
  isBaseline: Type.Boolean(),
  /** Solve cycles in the range this group took part in. */
  n: Type.Integer({ minimum: 0 }),
  csat: ReportProportion,
  reopen: ReportProportion,
  firstResponseAvgSeconds: Nullable(Type.Number()),
  resolutionAvgSeconds: Nullable(Type.Number()),
  /** Null on the baseline row itself. */
  csatVsBaseline: Nullable(ReportComparison),
  reopenVsBaseline: Nullable(ReportComparison),
  enoughData: Type.Boolean(),
})
export type ReportCohortRow = Static<typeof ReportCohortRow>

export const ReportCohortsDto = Type.Object({
  from: ReportDate,
  to: ReportDate,
  scope: ReportScope,
  split: Type.Enum(REPORT_SPLITS),
  stratify: Type.Enum(REPORT_STRATA),
  /** The group every other group is compared with: support, agent or unreviewed. */
  baseline: Type.String(),
  minGroupSize: Type.Integer({ minimum: 1 }),
  rows: Type.Array(ReportCohortRow),
  generatedAt: Timestamp,
})
export type ReportCohortsDto = Static<typeof ReportCohortsDto>

export const ReportBreakdownRow = Type.Object({
  /** The id (person, team, inbox) or the tag; `none` for tickets without a team. */
  key: Type.String(),
  id: Nullable(Id),
  label: Type.String(),
  metrics: ReportMetrics,
})
export type ReportBreakdownRow = Static<typeof ReportBreakdownRow>

export const ReportBreakdownDto = Type.Object({
  from: ReportDate,
  to: ReportDate,
  scope: ReportScope,
  by: Type.Enum(REPORT_BREAKDOWNS),
  sort: Type.Enum(REPORT_SORTS),
  rows: Type.Array(ReportBreakdownRow),
  /** More groups exist than `limit`. */
  truncated: Type.Boolean(),
  generatedAt: Timestamp,
})
export type ReportBreakdownDto = Static<typeof ReportBreakdownDto>

/** SLA achievement over the range and scope (no CSV): clocks met vs breached, on the day the outcome happened. */
export const ReportSlaQuery = Type.Object({
  from: Type.Optional(ReportDate),
  to: Type.Optional(ReportDate),
  scope: Type.Optional(ReportScope),
})
export type ReportSlaQuery = Static<typeof ReportSlaQuery>

export const ReportSlaDto = Type.Object({
  from: ReportDate,
  to: ReportDate,
  scope: ReportScope,
  /** Per metric; `rate` is met / (met + breached), null without clocks. */
  totals: SlaReportDto.properties.totals,
  /** Per metric, priority and team. */
  rows: Type.Array(SlaReportRow),
})
export type ReportSlaDto = Static<typeof ReportSlaDto>
