export { monitoringRoutes } from './monitoring.routes.ts'
export { WAITING_COUNT_CAP } from './monitoring.service.ts'
export { countWaitingTickets, listOnShiftNow, listPendingReviews, waitingTickets } from './monitoring.queries.ts'
