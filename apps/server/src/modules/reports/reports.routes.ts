import {
  ReportBreakdownDto,
  ReportBreakdownQuery,
  ReportCohortsDto,
  ReportCohortsQuery,
  ReportSlaDto,
  ReportSlaQuery,
  ReportSummaryDto,
  ReportSummaryQuery,
  ReportTimeseriesDto,
  ReportTimeseriesQuery,
} from '@allhands/contract'
import type { FastifyReply } from 'fastify'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { scheduleReportDrain } from './jobs/drain-report-queue.ts'
import { breakdownCsv, cohortsCsv, summaryCsv, timeseriesCsv } from './reports.export.ts'
import { REPORTS_ROOM } from './reports.engine.ts'
import { canViewReports } from './reports.policy.ts'
import { getBreakdown, getCohorts, getSlaAchievement, getSummary, getTimeseries } from './reports.service.ts'

/** The `reports` room tells open report pages to refetch after the rollups changed; staff only. */
const reportsRoomGuard: RoomGuard = (_ctx, actor, room) => (room === REPORTS_ROOM ? canViewReports(actor) : undefined)

const CSV_NOTE = ' With `format=csv`, the same data as a CSV download (text/csv).'

function sendCsv(reply: FastifyReply, name: string, dto: { from: string; to: string }, csv: string) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="allhands-${name}-${dto.from}-${dto.to}.csv"`).send(csv)
}

/** /reports: summary, time series, cohort comparison and breakdowns, read from the daily rollups. */
export async function reportsRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(reportsRoomGuard)
  // The drain job queues its own next run every five seconds; this starts the chain.
  app.addHook('onReady', async () => {
    await scheduleReportDrain(ctx.db)
  })
  const tags = ['reports']
  app.get(
    '/reports/summary',
    {
      schema: {
        tags,
        description: `Totals over a date range (UTC days, both included) and scope: created, solved, first response and resolution (average, median), replies per solve, reopen rate and CSAT with Wilson 95 % intervals, the backlog now and how many customers have waited longer than 1/4/24/72 hours.${CSV_NOTE}`,
        querystring: ReportSummaryQuery,
        response: { 200: ReportSummaryDto },
      },
    },
    async (req, reply) => {
      const dto = await getSummary(ctx, actorOf(req), req.query)
      return req.query.format === 'csv' ? sendCsv(reply, 'summary', dto, summaryCsv(dto)) : dto
    },
  )
  app.get(
    '/reports/timeseries',
    {
      schema: {
        tags,
        description: `The same metrics per day, ISO week or calendar month, with the backlog at the end of each period.${CSV_NOTE}`,
        querystring: ReportTimeseriesQuery,
        response: { 200: ReportTimeseriesDto },
      },
    },
    async (req, reply) => {
      const dto = await getTimeseries(ctx, actorOf(req), req.query)
      return req.query.format === 'csv' ? sendCsv(reply, 'timeseries', dto, timeseriesCsv(dto)) : dto
    },
  )
  app.get(
    '/reports/cohorts',
    {
      schema: {
        tags,
        description: `Outcomes by responder cohort (support team, rotation contributors, consulted experts), trust level or reviewed/unreviewed replies, optionally within each risk level or category, each compared with the baseline group of its stratum (difference, two-proportion z-test, significance at p < 0.05, enough data).${CSV_NOTE}`,
        querystring: ReportCohortsQuery,
        response: { 200: ReportCohortsDto },
      },
    },
    async (req, reply) => {
      const dto = await getCohorts(ctx, actorOf(req), req.query)
      return req.query.format === 'csv' ? sendCsv(reply, 'cohorts', dto, cohortsCsv(dto)) : dto
    },
  )
  app.get(
    '/reports/breakdown',
    {
      schema: {
        tags,
        description: `The metrics per person (the cycles they replied in, reviewed or were consulted on; their own replies), team, inbox or tag, sorted and limited.${CSV_NOTE}`,
        querystring: ReportBreakdownQuery,
        response: { 200: ReportBreakdownDto },
      },
    },
    async (req, reply) => {
      const dto = await getBreakdown(ctx, actorOf(req), req.query)
      return req.query.format === 'csv' ? sendCsv(reply, 'breakdown', dto, breakdownCsv(dto)) : dto
    },
  )
  app.get(
    '/reports/sla',
    {
      schema: {
        tags,
        description:
          'SLA achievement in the range and scope: clocks met vs breached per metric, then per priority and team. A clock counts on the day its outcome happened; a team scope narrows by the clock’s team, an inbox scope by its ticket’s inbox.',
        querystring: ReportSlaQuery,
        response: { 200: ReportSlaDto },
      },
    },
    async (req) => getSlaAchievement(ctx, actorOf(req), req.query),
  )
}
