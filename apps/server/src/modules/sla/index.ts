/** SLA policies with business hours (issue 10): calendars, policies, per-ticket clocks, the minute scan, reports. */
export { slaRoutes } from './sla.routes.ts'
export { scanSlaTimersJob } from './jobs/scan-sla-timers.ts'
export { addBusinessTime, businessTimeBetween } from './sla.calendar.ts'
export { presentTimer } from './sla.timers.ts'
export { slaAchievement } from './sla.achievement.ts'
