import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { RiskLevelSchema } from './participation.ts'
import { RoleSchema, UserRef } from './people.ts'
import { TicketStatusSchema } from './tickets.ts'

/**
 * Ride-along: one person (the follower) follows another person's work live, with a private side chat
 * between the two. The followed person always sees who rides along and either side can end it.
 */
export const RideAlongDto = Type.Object({
  id: Id,
  follower: UserRef,
  followed: UserRef,
  active: Type.Boolean(),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  endedBy: Nullable(UserRef),
})
export type RideAlongDto = Static<typeof RideAlongDto>

export const StartRideAlongInput = Type.Object({ followedUserId: Id })
export type StartRideAlongInput = Static<typeof StartRideAlongInput>

/** Side-chat text is plain text (shown as text, never as HTML). */
export const RideAlongMessageInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) })
export type RideAlongMessageInput = Static<typeof RideAlongMessageInput>

export const RideAlongMessageDto = Type.Object({
  id: Id,
  rideAlongId: Id,
  author: UserRef,
  body: Type.String(),
  createdAt: Timestamp,
})
export type RideAlongMessageDto = Static<typeof RideAlongMessageDto>

/**
 * A ticket the followed person is in, as the follower may see it: a ticket the follower cannot view
 * shows only that it exists (no id, no subject).
 */
export const MirrorTicket = Type.Object({
  visible: Type.Boolean(),
  ticketId: Nullable(Id),
  subject: Nullable(Type.String()),
  typing: Type.Boolean(),
})
export type MirrorTicket = Static<typeof MirrorTicket>

/** What the follower sees right now: the ride-along and the tickets the followed person has open. */
export const RideAlongLiveDto = Type.Object({
  rideAlong: RideAlongDto,
  activity: Type.Array(MirrorTicket),
})
export type RideAlongLiveDto = Static<typeof RideAlongLiveDto>

/** Payloads of the `ride_along.*` realtime events (room `ride-along:<id>`). */
export type RideAlongActivityPayload = { rideAlongId: number; activity: MirrorTicket[] }
export type RideAlongDraftPayload = {
  rideAlongId: number
  visible: boolean
  ticketId: number | null
  subject: string | null
  mode: 'reply' | 'note'
  /** Sanitized HTML of the draft; empty when the follower cannot see the ticket. */
  html: string
  at: number
}
export type RideAlongSentPayload = {
  rideAlongId: number
  visible: boolean
  ticketId: number | null
  subject: string | null
  kind: 'reply' | 'note' | 'held_reply'
  html: string
  at: number
}
export type RideAlongChatPayload = { rideAlongId: number; message: RideAlongMessageDto }
export type RideAlongChangedPayload = { rideAlongId: number; active: boolean }

/** Monitoring dashboard for leads: what is happening with customers right now. */
export const MonitoringQuery = Type.Object({
  windowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'live conversations: activity within this many minutes (default 30)' })),
})
export type MonitoringQuery = Static<typeof MonitoringQuery>

export const LiveConversationDto = Type.Object({
  ticketId: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  riskLevel: RiskLevelSchema,
  assignee: Nullable(UserRef),
  lastMessageAt: Timestamp,
  people: Type.Array(Type.Object({ userId: Id, name: Type.String(), typing: Type.Boolean() })),
})
export type LiveConversationDto = Static<typeof LiveConversationDto>

export const WaitingTicketDto = Type.Object({
  ticketId: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  riskLevel: RiskLevelSchema,
  assignee: Nullable(UserRef),
  waitingSince: Timestamp,
  waitingMs: Type.Integer({ minimum: 0 }),
})
export type WaitingTicketDto = Static<typeof WaitingTicketDto>

export const ReviewInQueueDto = Type.Object({
  reviewId: Id,
  ticketId: Id,
  ticketSubject: Type.String(),
  author: UserRef,
  createdAt: Timestamp,
  waitingMs: Type.Integer({ minimum: 0 }),
})
export type ReviewInQueueDto = Static<typeof ReviewInQueueDto>

export const OnShiftDto = Type.Object({
  userId: Id,
  name: Type.String(),
  role: RoleSchema,
  shiftId: Id,
  until: Timestamp,
  reviewRequired: Type.Boolean(),
})
export type OnShiftDto = Static<typeof OnShiftDto>

export const MonitoringOverviewDto = Type.Object({
  generatedAt: Timestamp,
  windowMinutes: Type.Integer(),
  liveConversations: Type.Array(LiveConversationDto),
  waiting: Type.Array(WaitingTicketDto),
  waitingTotal: Type.Integer({ minimum: 0 }),
  inReview: Type.Array(ReviewInQueueDto),
  onShift: Type.Array(OnShiftDto),
  rideAlongs: Type.Array(RideAlongDto),
})
export type MonitoringOverviewDto = Static<typeof MonitoringOverviewDto>
