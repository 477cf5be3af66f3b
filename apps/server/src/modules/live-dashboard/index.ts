/** Live dashboard: the state of support right now, shown on the Reports page's Live tab. */
export { liveDashboardRoutes } from './live-dashboard.routes.ts'
export { liveDashboard } from './live-dashboard.service.ts'
