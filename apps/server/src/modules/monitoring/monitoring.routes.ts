import { MonitoringOverviewDto, MonitoringQuery } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { monitoringOverview } from './monitoring.service.ts'

/** GET /monitoring/overview: the leads' dashboard (admins and full agents), audited. */
export async function monitoringRoutes(app: App) {
  app.get('/monitoring/overview', { schema: { tags: ['monitoring'], querystring: MonitoringQuery, response: { 200: MonitoringOverviewDto } } }, async (req) =>
    monitoringOverview(app.ctx, actorOf(req), req.query.windowMinutes ?? 30),
  )
}
