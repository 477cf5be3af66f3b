/** Messages on the websocket at /api/v1/ws. The client subscribes to rooms; the server pushes events. */
export type ClientMessage =
  | { type: 'subscribe'; room: string }
  | { type: 'unsubscribe'; room: string }
  | { type: 'presence'; ticketId: number; state: 'viewing' | 'typing' | 'left' }
  | { type: 'ping' }

export type PresenceEntry = { userId: number; name: string; typing: boolean }

export type ServerMessage =
  | { type: 'event'; name: RealtimeEventName; room: string; payload: Record<string, unknown> }
  | { type: 'presence'; ticketId: number; users: PresenceEntry[] }
  | { type: 'subscribed'; room: string }
  | { type: 'error'; message: string }
  | { type: 'pong' }

/** Rooms: `inbox` (every ticket change the user may see), `ticket:<id>`, `user:<id>` (notifications). */
export const REALTIME_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.merged',
  'message.created',
  'notification.created',
  'views.changed',
  // reviews: a held reply was created or decided (ticket room, reviewers' `reviews` room, the author's user room)
  'review.changed',
  // rotations: a shift, swap or rotation changed (the `rotations` room; the people concerned's user rooms)
  'shift.changed',
  'rotation.changed',
] as const
export type RealtimeEventName = (typeof REALTIME_EVENTS)[number]
