/** Messages on the websocket at /api/v1/ws. The client subscribes to rooms; the server pushes events. */
export type ClientMessage =
  | { type: 'subscribe'; room: string }
  | { type: 'unsubscribe'; room: string }
  | { type: 'presence'; ticketId: number; state: 'viewing' | 'typing' | 'left' }
  | { type: 'ping' }
  /** A draft being written on a ticket the socket has joined; forwarded only to people riding along. */
  | { type: 'draft'; ticketId: number; mode: 'reply' | 'note'; html: string }

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
  // rotation queue: a ticket became offerable or was taken (the `queue` room; payload: ticketId only)
  'queue.changed',
  // consults: asked, answered, assigned or resolved (ticket room and the involved people's user rooms)
  'consult.changed',
  // training: a course, someone's progress or a practice grade changed (`courses` room, the learner's user room)
  'course.changed',
  'practice.changed',
  // rotations: a shift, swap or rotation changed (the `rotations` room; the people concerned's user rooms)
  'shift.changed',
  'rotation.changed',
  // ride-alongs (room `ride-along:<id>`, filtered for the follower) and their start/end (both people's user rooms)
  'ride_along.changed',
  'ride_along.activity',
  'ride_along.draft',
  'ride_along.sent',
  'ride_along.chat',
  // voice of customer: an item, its links, suggestions or close-the-loop notifications changed (`voc` room)
  'voc.changed',
  // reports: rollups were refreshed after a drain (the `reports` room; payload: tickets recomputed)
  'reports.updated',
  // live chat (issue 7): a visitor arrived, moved or left (the `visitors` room; payload {visitor} or {visitorId, left: true});
  // a chat's conversation changed: status, agent, visitor typing/read/online, supervision (ticket room; payload {ticketId});
  // someone's chat availability or load changed (the `chat-agents` room; payload {userId})
  'visitor.changed',
  'chat.changed',
  'chat.availability',
  // issue 10 webhooks: a contact was created by an agent or the API (no room: heard by transactional listeners only)
  'contact.created',
  // issue 10 sla: a ticket's SLA target is about to breach or breached (ticket room; payload {ticketId, metric, dueAt, policyId})
  'sla.warning',
  'sla.breached',
  // issue 10 automations: an automation rule acted on a ticket (ticket room; payload {ticketId, ruleId})
  'automation.applied',
  // issue 10 import: an import job progressed or finished (the `imports` room; payload {importId})
  'import.changed',
  // issue 10 export: an export was started, wrote a part, finished or failed (the `exports` room; payload {exportId, status, rowCount, totalEstimate})
  'export.changed',
] as const
export type RealtimeEventName = (typeof REALTIME_EVENTS)[number]
