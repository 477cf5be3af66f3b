import { LiveDashboardDto } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { liveDashboard } from './live-dashboard.service.ts'

/** GET /reports/live: the live dashboard (agents, admins, owners). */
export async function liveDashboardRoutes(app: App) {
  app.get(
    '/reports/live',
    {
      schema: {
        tags: ['reports'],
        description:
          'Support right now: unsolved tickets by status (capped counts), customers waiting longest, replies in review, overdue consults, people on shift.',
        response: { 200: LiveDashboardDto },
      },
    },
    async (req) => liveDashboard(app.ctx, actorOf(req)),
  )
}
