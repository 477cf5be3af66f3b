import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { RiskLevelSchema } from './participation.ts'
import { UserRef } from './people.ts'
import { OnShiftDto, ReviewInQueueDto } from './ride-alongs.ts'
import { TicketStatusSchema } from './tickets.ts'

/**
 * Live dashboard (`GET /api/v1/reports/live`): the state of support right now, for agents and admins.
 * Counts are capped so they stay cheap at a million tickets: a count equal to `countCap + 1` means "more than countCap".
 */
export const LiveStatusCountDto = Type.Object({
  status: TicketStatusSchema,
  count: Type.Integer({ minimum: 0 }),
})
export type LiveStatusCountDto = Static<typeof LiveStatusCountDto>

export const LiveWaitingTicketDto = Type.Object({
  ticketId: Id,
  subject: Type.String(),
  status: TicketStatusSchema,
  riskLevel: RiskLevelSchema,
  requester: UserRef,
  assignee: Nullable(UserRef),
  /** When the customer's last message arrived. */
  waitingSince: Timestamp,
  waitingMs: Type.Integer({ minimum: 0 }),
})
export type LiveWaitingTicketDto = Static<typeof LiveWaitingTicketDto>

export const LiveOverdueConsultDto = Type.Object({
  consultId: Id,
  ticketId: Id,
  ticketSubject: Type.String(),
  question: Type.String({ description: 'the first 200 characters of the question' }),
  askedBy: UserRef,
  team: Nullable(UserRef),
  assignee: Nullable(UserRef),
  dueAt: Timestamp,
  overdueMs: Type.Integer({ minimum: 0 }),
})
export type LiveOverdueConsultDto = Static<typeof LiveOverdueConsultDto>

export const LiveDashboardDto = Type.Object({
  generatedAt: Timestamp,
  /** Counts above this are reported as countCap + 1 ("10,000+"). */
  countCap: Type.Integer({ minimum: 1 }),
  /** Unsolved tickets by status (new, open, pending, on hold). */
  openByStatus: Type.Array(LiveStatusCountDto),
  /** The customers waiting longest for an answer (their message is the last one), oldest first. */
  waiting: Type.Array(LiveWaitingTicketDto),
  /** Customers waiting, counted up to waitingCap + 1. */
  waitingTotal: Type.Integer({ minimum: 0 }),
  waitingCap: Type.Integer({ minimum: 1 }),
  /** Held replies waiting for a reviewer, oldest first. */
  inReview: Type.Array(ReviewInQueueDto),
  /** Open consults past their due time, most overdue first. */
  consultsOverdue: Type.Array(LiveOverdueConsultDto),
  /** People with a shift running now. */
  onShift: Type.Array(OnShiftDto),
})
export type LiveDashboardDto = Static<typeof LiveDashboardDto>
