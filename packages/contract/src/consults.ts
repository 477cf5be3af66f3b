import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'

/**
 * Expert consults: an internal side thread from a ticket to a team or a person. `open` waits for the
 * experts, `answered` waits for the asker (a follow-up makes it open again), `resolved` is done.
 */
export const CONSULT_STATUSES = ['open', 'answered', 'resolved'] as const
export type ConsultStatus = (typeof CONSULT_STATUSES)[number]

const Person = Type.Object({ id: Id, name: Type.String() })
const TeamRef = Type.Object({ id: Id, name: Type.String() })

export const ConsultDto = Type.Object({
  id: Id,
  /** Number and subject of the ticket the question is about; its conversation needs the right to see the ticket. */
  ticket: Type.Object({ id: Id, number: Id, subject: Type.String() }),
  canViewTicket: Type.Boolean(),
  askedBy: Person,
  team: Nullable(TeamRef),
  assignee: Nullable(Person),
  question: Type.String(),
  status: Type.Enum(CONSULT_STATUSES),
  dueAt: Timestamp,
  /** Waiting for the experts past its due time. */
  overdue: Type.Boolean(),
  messageCount: Type.Integer({ minimum: 0 }),
  lastMessageAt: Nullable(Timestamp),
  answeredAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  /** How the signed-in person is involved: asked it, or is one of the people asked. */
  isAsker: Type.Boolean(),
  isConsultee: Type.Boolean(),
})
export type ConsultDto = Static<typeof ConsultDto>

export const ConsultMessageDto = Type.Object({
  id: Id,
  consultId: Id,
  author: Person,
  html: Type.String(),
  text: Type.String(),
  /** Written by one of the people asked (an answer), not by the asker or a colleague following up. */
  isAnswer: Type.Boolean(),
  via: Type.Enum(['app', 'email']),
  createdAt: Timestamp,
})
export type ConsultMessageDto = Static<typeof ConsultMessageDto>

export const ConsultDetailDto = Type.Object({ consult: ConsultDto, messages: Type.Array(ConsultMessageDto) })
export type ConsultDetailDto = Static<typeof ConsultDetailDto>

/** Ask a team or a person (exactly one of them). */
export const CreateConsultInput = Type.Object({
  teamId: Type.Optional(Id),
  userId: Type.Optional(Id),
  question: Type.String({ minLength: 1, maxLength: 5000 }),
  dueInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
})
export type CreateConsultInput = Static<typeof CreateConsultInput>

export const ConsultMessageInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20000 }) })
export type ConsultMessageInput = Static<typeof ConsultMessageInput>

export const AssignConsultInput = Type.Object({ userId: Id })
export type AssignConsultInput = Static<typeof AssignConsultInput>

export const CONSULT_SCOPES = ['assigned', 'team', 'asked'] as const
export const ConsultListQuery = Type.Object({
  /** assigned: asked of me; team: asked of one of my teams; asked: asked by me. */
  mine: Type.Optional(Type.Enum(CONSULT_SCOPES)),
  team: Type.Optional(Id),
  ticket: Type.Optional(Id),
  /** A status, or `unresolved` (open and answered). */
  status: Type.Optional(Type.Enum([...CONSULT_STATUSES, 'unresolved'])),
  overdue: Type.Optional(Type.Boolean()),
  ...CursorQuery,
})
export type ConsultListQuery = Static<typeof ConsultListQuery>

export const ConsultSettingsDto = Type.Object({ defaultDueHours: Type.Integer({ minimum: 1, maximum: 720 }) })
export type ConsultSettingsDto = Static<typeof ConsultSettingsDto>

/** Someone who has answered consults: who they are and what about (labels only, never ticket content). */
export const ExpertDto = Type.Object({
  user: Type.Object({ id: Id, name: Type.String(), role: Type.String() }),
  teams: Type.Array(TeamRef),
  answeredCount: Type.Integer({ minimum: 0 }),
  /** Answered consults that match the query (all of them without a query). */
  matchedCount: Type.Integer({ minimum: 0 }),
  score: Type.Number(),
  topics: Type.Array(Type.String()),
  lastAnsweredAt: Nullable(Timestamp),
})
export type ExpertDto = Static<typeof ExpertDto>

export const ExpertiseQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
export type ExpertiseQuery = Static<typeof ExpertiseQuery>
