import type { ConsultDto, ConsultMessageDto, ConsultStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import type { Executor } from '../../platform/context.ts'
import { canViewTicket, type ConsultScope, isConsultee } from '../../platform/policy.ts'

/** 0 waits for the experts, 1 waits for the asker, 2 is done: lists show waiting ones first. */
export const RANK: Record<ConsultStatus, number> = { open: 0, answered: 1, resolved: 2 }

/** A consult with what visibility needs from its ticket. */
export async function findConsultRow(db: Executor, id: number) {
  return db
    .selectFrom('consults as c')
    .innerJoin('tickets as t', 't.id', 'c.ticketId')
    .selectAll('c')
    .select([
      't.subject as ticketSubject',
      't.teamId as ticketTeamId',
      't.assigneeId as ticketAssigneeId',
      't.riskLevel as ticketRiskLevel',
      't.categoryId as ticketCategoryId',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst()
}
export type ConsultRow = NonNullable<Awaited<ReturnType<typeof findConsultRow>>>

export const scopeOf = (c: ConsultRow): ConsultScope => ({
  askedById: c.askedById,
  teamId: c.teamId,
  assigneeId: c.assigneeId,
  status: c.status,
  ticket: { teamId: c.ticketTeamId, assigneeId: c.ticketAssigneeId, riskLevel: c.ticketRiskLevel, categoryId: c.ticketCategoryId },
})

/** Active members of a team, with their teams (to check who may take a consult). */
export async function teamMemberIds(db: Executor, teamId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('teamMembers')
    .innerJoin('users', 'users.id', 'teamMembers.userId')
    .select('users.id')
    .where('teamMembers.teamId', '=', teamId)
    .where('users.isActive', '=', 1)
    .orderBy('users.id')
    .execute()
  return rows.map((r) => r.id)
}

/** Everyone a consult concerns personally: the asker, the assignee and the members of the team asked. */
export async function involvedUserIds(db: Executor, c: { askedById: number; assigneeId: number | null; teamId: number | null }): Promise<number[]> {
  const ids = [c.askedById, ...(c.assigneeId !== null ? [c.assigneeId] : []), ...(c.teamId !== null ? await teamMemberIds(db, c.teamId) : [])]
  return [...new Set(ids)]
}

/**
 * The person on the team's on-call rotation right now: a current shift (started, not ended) of an active
 * rotation whose on-call team is this one; the shift that started first wins. Null when the team has no
 * such rotation or nobody is on it.
 */
export async function onCallUserId(db: Executor, teamId: number, at: number): Promise<number | null> {
  const row = await db
    .selectFrom('shifts as s')
    .innerJoin('rotations as r', 'r.id', 's.rotationId')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select('s.userId')
    .where('r.oncallTeamId', '=', teamId)
    .where('r.isActive', '=', 1)
    .where('u.isActive', '=', 1)
    .where((eb) => eb(eb.fn.coalesce('s.startedAt', 's.startsAt'), '<=', at))
    .where('s.endsAt', '>', at)
    .where((eb) => eb.or([eb('s.endedAt', 'is', null), eb('s.endedAt', '>', at)]))
    .orderBy((eb) => eb.fn.coalesce('s.startedAt', 's.startsAt'))
    .orderBy('s.id')
    .limit(1)
    .executeTakeFirst()
  return row?.userId ?? null
}

/** Consults as DTOs for one viewer, in the order of `ids`. */
export async function presentConsults(db: Executor, actor: Actor, ids: number[], at: number): Promise<ConsultDto[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('consults as c')
    .innerJoin('tickets as t', 't.id', 'c.ticketId')
    .innerJoin('users as asker', 'asker.id', 'c.askedById')
    .leftJoin('users as assignee', 'assignee.id', 'c.assigneeId')
    .leftJoin('teams as team', 'team.id', 'c.teamId')
    .selectAll('c')
    .select([
      't.subject as ticketSubject',
      't.teamId as ticketTeamId',
      't.assigneeId as ticketAssigneeId',
      't.riskLevel as ticketRiskLevel',
      't.categoryId as ticketCategoryId',
      'asker.name as askerName',
      'assignee.name as assigneeName',
      'team.name as teamName',
    ])
    .where('c.id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    const scope = scopeOf(r)
    return [
      {
        id: r.id,
        ticket: { id: r.ticketId, number: r.ticketId, subject: r.ticketSubject },
        canViewTicket: canViewTicket(actor, scope.ticket),
        askedBy: { id: r.askedById, name: r.askerName },
        team: r.teamId !== null ? { id: r.teamId, name: r.teamName ?? '' } : null,
        assignee: r.assigneeId !== null ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
        question: r.question,
        status: r.status as ConsultStatus,
        dueAt: r.dueAt,
        overdue: r.status === 'open' && r.dueAt <= at,
        messageCount: r.messageCount,
        lastMessageAt: r.lastMessageAt,
        answeredAt: r.answeredAt,
        resolvedAt: r.resolvedAt,
        createdAt: r.createdAt,
        isAsker: r.askedById === actor.id,
        isConsultee: isConsultee(actor, scope),
      },
    ]
  })
}

export async function listConsultMessages(db: Executor, consultId: number): Promise<ConsultMessageDto[]> {
  const rows = await db
    .selectFrom('consultMessages as m')
    .innerJoin('users as u', 'u.id', 'm.authorId')
    .select(['m.id', 'm.consultId', 'm.authorId', 'u.name as authorName', 'm.html', 'm.text', 'm.isAnswer', 'm.via', 'm.createdAt'])
    .where('m.consultId', '=', consultId)
    .orderBy('m.id')
    .limit(1000)
    .execute()
  return rows.map((m) => ({
    id: m.id,
    consultId: m.consultId,
    author: { id: m.authorId, name: m.authorName },
    html: m.html,
    text: m.text,
    isAnswer: !!m.isAnswer,
    via: m.via as 'app' | 'email',
    createdAt: m.createdAt,
  }))
}
