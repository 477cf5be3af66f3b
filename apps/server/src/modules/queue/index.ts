/** The rotation queue: offered tickets, claims, auto-assignment and hand-back to support. */
export { queueRoutes } from './queue.routes.ts'
export { QUEUE_ROOM, queueEvent } from './queue.service.ts'
export { handBackIfNotCleared, handBackTicketJob } from './hand-back.ts'
export { autoAssignTicketsJob, triggerAutoAssign } from './jobs/auto-assign-tickets.ts'
