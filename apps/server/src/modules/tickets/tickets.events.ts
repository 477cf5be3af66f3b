import type { DomainEvent } from '../../platform/realtime.ts'

/** Ticket-scoped realtime events: delivered to the ticket's room and to every inbox list allowed to see it. */
export const ticketEvent = (
  name: 'ticket.created' | 'ticket.updated' | 'ticket.merged' | 'message.created' | 'chat.changed',
  ticket: { id: number; teamId: number | null; assigneeId?: number | null },
  payload: Record<string, unknown> = {},
): DomainEvent => ({
  name,
  ticket: { id: ticket.id, teamId: ticket.teamId, assigneeId: ticket.assigneeId ?? null },
  payload: { ticketId: ticket.id, ...payload },
})

export const notificationEvent = (userId: number, notificationId: number): DomainEvent => ({
  name: 'notification.created',
  userId,
  payload: { notificationId },
})
