import type {
  LiveDashboardDto,
  MeDto,
  ReportBreakdown,
  ReportBreakdownDto,
  ReportCohortsDto,
  ReportInterval,
  ReportSlaDto,
  ReportSort,
  ReportSplit,
  ReportStratify,
  ReportSummaryDto,
  ReportTimeseriesDto,
} from '@allhands/contract'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'

/** The range and scope every report request shares (UTC days, both ends included). */
export type ReportRange = { from: string; to: string; scope: string }
type Params = Record<string, string | number | undefined>

export type SummaryParams = ReportRange
export type TimeseriesParams = ReportRange & { interval: ReportInterval }
export type CohortsParams = ReportRange & { split: ReportSplit; stratify: ReportStratify }
export type BreakdownParams = ReportRange & { by: ReportBreakdown; sort: ReportSort; limit?: number }

/** The report endpoints; each also answers `format=csv` with the same rows. */
const PATHS = { summary: '/reports/summary', timeseries: '/reports/timeseries', cohorts: '/reports/cohorts', breakdown: '/reports/breakdown' } as const
export type ReportKind = keyof typeof PATHS

export const reportsApi = {
  summary: (p: SummaryParams) => request<ReportSummaryDto>('GET', PATHS.summary, undefined, p),
  timeseries: (p: TimeseriesParams) => request<ReportTimeseriesDto>('GET', PATHS.timeseries, undefined, p),
  cohorts: (p: CohortsParams) => request<ReportCohortsDto>('GET', PATHS.cohorts, undefined, p),
  breakdown: (p: BreakdownParams) => request<ReportBreakdownDto>('GET', PATHS.breakdown, undefined, p),
  live: () => request<LiveDashboardDto>('GET', '/reports/live'),
  /** SLA achievement (no CSV). */
  sla: (p: ReportRange) => request<ReportSlaDto>('GET', '/reports/sla', undefined, p),
}

/** The CSV download of the same request a table shows (the session cookie authenticates the plain GET). */
export function csvUrl(kind: ReportKind, params: Params): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  q.set('format', 'csv')
  return `/api/v1${PATHS[kind]}?${q.toString()}`
}

export const reportKeys = {
  all: ['reports'] as const,
  report: (kind: ReportKind | 'sla', params: Params) => ['reports', kind, params] as const,
  live: ['reports', 'live'] as const,
}

// Reports change only when the rollups are refreshed: keep them a minute; switching ranges keeps the last chart on screen.
const reportQuery = <T>(kind: ReportKind | 'sla', params: Params, fn: () => Promise<T>, enabled = true) => ({
  queryKey: reportKeys.report(kind, params),
  queryFn: fn,
  staleTime: 60_000,
  placeholderData: keepPreviousData,
  enabled,
})

export const useSummary = (p: SummaryParams, enabled = true) => useQuery(reportQuery('summary', p, () => reportsApi.summary(p), enabled))
export const useTimeseries = (p: TimeseriesParams) => useQuery(reportQuery('timeseries', p, () => reportsApi.timeseries(p)))
export const useCohorts = (p: CohortsParams) => useQuery(reportQuery('cohorts', p, () => reportsApi.cohorts(p)))
export const useBreakdown = (p: BreakdownParams) => useQuery(reportQuery('breakdown', p, () => reportsApi.breakdown(p)))
export const useSlaAchievement = (p: ReportRange) => useQuery(reportQuery('sla', p, () => reportsApi.sla(p)))

/** The live dashboard refreshes itself this often, and soon after anything it shows changes. */
export const LIVE_REFRESH_MS = 15_000
const LIVE_EVENTS = new Set<string>([
  'ticket.created',
  'ticket.updated',
  'message.created',
  'review.changed',
  'consult.changed',
  'shift.changed',
  'reports.updated',
])

/** Refetches the reports when the rollups are refreshed (`reports.updated`) or tickets change: one refetch per burst of events. */
export function useReportsLive() {
  useRoom('reports')
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let rollups = false
    const off = realtime.onEvent((e) => {
      if (!LIVE_EVENTS.has(e.name)) return
      rollups ||= e.name === 'reports.updated'
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        void queryClient.invalidateQueries({ queryKey: rollups ? reportKeys.all : reportKeys.live })
        rollups = false
      }, 1000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [])
}

export const useLiveDashboard = () => useQuery({ queryKey: reportKeys.live, queryFn: reportsApi.live, refetchInterval: LIVE_REFRESH_MS, staleTime: 5_000 })

/** Reports are for support staff (agents, admins, owners); the server decides, this only hides the link. */
export const mayViewReports = (me: MeDto | undefined) => !!me && me.user.role !== 'contributor'
