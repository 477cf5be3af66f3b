import type { DomainEvent } from '../../platform/realtime.ts'

/**
 * `consult.changed` to the ticket's room (people who can see the ticket) and to each involved person's
 * user room (asker, assignee, members of the team asked), who may not be able to see the ticket.
 */
export function consultEvents(consult: { id: number; ticketId: number; status: string }, userIds: number[]): DomainEvent[] {
  const payload = { consultId: consult.id, ticketId: consult.ticketId, status: consult.status }
  return [
    { name: 'consult.changed', room: `ticket:${consult.ticketId}`, payload },
    ...[...new Set(userIds)].map((userId): DomainEvent => ({ name: 'consult.changed', userId, payload })),
  ]
}
