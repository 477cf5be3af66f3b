/** Reports: per-cycle facts, daily rollups kept in step through the report queue, and the report API. */
export { reportsRoutes } from './reports.routes.ts'
export { drainReportQueueJob } from './jobs/drain-report-queue.ts'
export { drainAll, drainReportQueue, rebuildReports } from './reports.engine.ts'
export { countWaiting } from './reports.queries.ts'
