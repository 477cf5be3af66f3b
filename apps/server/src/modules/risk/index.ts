/** Safe routing: risk rules, ticket risk assessment and the jobs that keep it current. */
export { reassessAfterCustomerMessage, reassessAfterTicketChange, reassessTickets } from './risk.hooks.ts'
export { assessTicket, assessTickets } from './risk.assess.ts'
export { invalidateRiskConfig } from './risk.cache.ts'
export { riskRoutes } from './risk.routes.ts'
export { checkSlaBreachesJob } from './jobs/check-sla-breaches.ts'
export { reassessOpenTicketsJob, startReassessment } from './jobs/reassess-open-tickets.ts'
export { seedRiskDemo } from './risk.demo.ts'
export { RISK_TICKET_COLUMNS, type RiskTicketRow } from './risk.assess.ts'
