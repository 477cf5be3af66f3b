import type { Priority, RiskLevel, RiskReason, TicketDto, TicketFilters, TicketSla, TicketStatus } from '@allhands/contract'
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Dialect } from '../../db/database.ts'
import type { Actor } from '../../platform/actor.ts'
import type { Executor } from '../../platform/context.ts'
import { afterCursor } from '../../platform/cursor.ts'
import { badRequest } from '../../platform/errors.ts'
import { readJson } from '../../platform/json.ts'
import { canViewTicket } from '../../platform/policy.ts'
import { now } from '../../platform/clock.ts'
import { presentTimer } from '../sla/index.ts'

export const UNSOLVED: TicketStatus[] = ['new', 'open', 'pending', 'on_hold']

export async function findTicketRow(db: Executor, id: number) {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()
}
export type TicketRow = NonNullable<Awaited<ReturnType<typeof findTicketRow>>>

/** Tickets as DTOs, in the order of `ids`, with their requester, assignee, tags and followers in four batched reads. */
export async function presentTickets(db: Executor, ids: number[]): Promise<TicketDto[]> {
  if (!ids.length) return []
  const rows = await db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute()
  const contactIds = [...new Set(rows.map((r) => r.requesterId))]
  const userIds = [...new Set(rows.map((r) => r.assigneeId).filter((v): v is number => v !== null))]
  const [contacts, emails, users, tags, followers, slaTimers] = await Promise.all([
    db.selectFrom('contacts').select(['id', 'name']).where('id', 'in', contactIds).execute(),
    db.selectFrom('contactIdentities').select(['contactId', 'value']).where('contactId', 'in', contactIds).where('kind', '=', 'email').orderBy('id').execute(),
    userIds.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
    db.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ids).orderBy('tag').execute(),
    db.selectFrom('ticketFollowers').select(['ticketId', 'userId']).where('ticketId', 'in', ids).execute(),
    // issue 10 sla: each ticket's SLA clocks (sla_timers_by_ticket)
    db.selectFrom('slaTimers').selectAll().where('ticketId', 'in', ids).orderBy('id').execute(),
  ])
  const serverNow = now()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => {
      const contact = contacts.find((c) => c.id === r.requesterId)
      const assignee = r.assigneeId === null ? undefined : users.find((u) => u.id === r.assigneeId)
      return {
        id: r.id,
        number: r.id,
        subject: r.subject,
        status: r.status as TicketStatus,
        priority: r.priority as Priority,
        inboxId: r.inboxId,
        requester: { id: r.requesterId, name: contact?.name ?? 'Unknown', email: emails.find((e) => e.contactId === r.requesterId)?.value ?? null },
        organizationId: r.organizationId,
        assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
        teamId: r.teamId,
        tags: tags.filter((t) => t.ticketId === r.id).map((t) => t.tag),
        followerIds: followers.filter((f) => f.ticketId === r.id).map((f) => f.userId),
        customFields: readJson(r.customFields, {}),
        mergedIntoId: r.mergedIntoId,
        categoryId: r.categoryId,
        riskLevel: r.riskLevel as RiskLevel,
        riskReasons: readJson<RiskReason[]>(r.riskReasons, []),
        firstResponseAt: r.firstResponseAt,
        solvedAt: r.solvedAt,
        lastMessageAt: r.lastMessageAt,
        lastMessageId: r.lastMessageId,
        messageCount: r.messageCount,
        preview: r.preview,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        ...slaOf(
          slaTimers.filter((t) => t.ticketId === r.id),
          serverNow,
        ),
      }
    })
}

/** issue 10 sla: `sla` only on tickets that have clocks, so a ticket's DTO stays the same while nothing changes. */
function slaOf(timers: Parameters<typeof presentTimer>[0][], serverNow: number): { sla?: TicketSla } {
  if (!timers.length) return {}
  const dues = timers.filter((t) => t.achievedAt === null && t.dueAt !== null).map((t) => t.dueAt as number)
  return { sla: { nextDueAt: dues.length ? Math.min(...dues) : null, timers: timers.map((t) => presentTimer(t, serverNow)) } }
}

/**
 * issue 10 sla: "breaches next": tickets with a running SLA clock, soonest (or most overdue) due time first, read in
 * order from sla_ticket_due's (due_at, ticket_id) index with the list filters applied to each ticket.
 */
export async function listTicketIdsBySla(
  db: Executor,
  dialect: Dialect,
  actor: Actor,
  filters: TicketFilters,
  page: { after: [number, number] | null; limit: number },
): Promise<{ ids: number[]; next: [number, number] | null }> {
  let q = applyTicketFilters(
    db
      .selectFrom('tickets')
      .innerJoin('slaTicketDue', 'slaTicketDue.ticketId', 'tickets.id')
      .select(['tickets.id', 'tickets.updatedAt']) as unknown as TicketQuery,
    dialect,
    actor,
    filters,
  ) as unknown as SelectQueryBuilder<DB, 'tickets' | 'slaTicketDue', { id: number; updatedAt: number }>
  if (page.after) {
    const [dueAt, id] = page.after
    q = q.where((eb) => afterCursor(eb, 'slaTicketDue.dueAt', 'slaTicketDue.ticketId', 'asc', dueAt, id))
  }
  const rows = await q
    .select('slaTicketDue.dueAt')
    .orderBy('slaTicketDue.dueAt')
    .orderBy('slaTicketDue.ticketId')
    .limit(page.limit + 1)
    .execute()
  const more = rows.length > page.limit
  const shown = rows.slice(0, page.limit)
  const last = shown[shown.length - 1]
  return { ids: shown.map((r) => r.id), next: more && last ? [Number(last.dueAt), last.id] : null }
}

const csv = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : []

function idOrKeyword(value: string, keywords: string[], what: string): number | string {
  if (keywords.includes(value)) return value
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${what} must be a number or one of ${keywords.join(', ')}`)
  return n
}

type TicketQuery = SelectQueryBuilder<DB, 'tickets', { id: number; updatedAt: number }>

/** Applies list filters and the actor's visibility to a tickets query. */
export function applyTicketFilters(q: TicketQuery, dialect: Dialect, actor: Actor, f: TicketFilters): TicketQuery {
  q = q.where('tickets.mergedIntoId', 'is', null)
  if (!canViewTicket(actor, { teamId: null })) {
    // Mirrors canViewTicket: the actor's teams, or tickets handed to them.
    q = q.where((eb) => eb.or([eb('tickets.assigneeId', '=', actor.id), ...(actor.teamIds.length ? [eb('tickets.teamId', 'in', actor.teamIds)] : [])]))
  }
  const statuses = csv(f.status)
  for (const s of statuses) if (!(['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as string[]).includes(s)) throw badRequest(`Unknown status ${s}`)
  if (statuses.length === 1) q = q.where('tickets.status', '=', statuses[0]!)
  else if (statuses.length > 1) q = q.where('tickets.status', 'in', statuses)
  const priorities = csv(f.priority)
  for (const p of priorities) if (!(['low', 'normal', 'high', 'urgent'] as string[]).includes(p)) throw badRequest(`Unknown priority ${p}`)
  if (priorities.length) q = q.where('tickets.priority', 'in', priorities)
  if (f.assignee) {
    const a = idOrKeyword(f.assignee, ['me', 'none'], 'assignee')
    q = a === 'none' ? q.where('tickets.assigneeId', 'is', null) : q.where('tickets.assigneeId', '=', a === 'me' ? actor.id : (a as number))
  }
  if (f.team) {
    const t = idOrKeyword(f.team, ['mine', 'none'], 'team')
    if (t === 'none') q = q.where('tickets.teamId', 'is', null)
    else if (t === 'mine') q = actor.teamIds.length ? q.where('tickets.teamId', 'in', actor.teamIds) : q.where(sql<boolean>`1 = 0`)
    else q = q.where('tickets.teamId', '=', t as number)
  }
  if (f.follower) {
    const u = idOrKeyword(f.follower, ['me'], 'follower')
    const userId = u === 'me' ? actor.id : (u as number)
    q = q.where((eb: ExpressionBuilder<DB, 'tickets'>) =>
      eb.exists(
        eb
          .selectFrom('ticketFollowers')
          .select('ticketFollowers.ticketId')
          .whereRef('ticketFollowers.ticketId', '=', 'tickets.id')
          .where('ticketFollowers.userId', '=', userId),
      ),
    )
  }
  if (f.inbox) q = q.where('tickets.inboxId', '=', f.inbox)
  if (f.requester) q = q.where('tickets.requesterId', '=', f.requester)
  if (f.organization) q = q.where('tickets.organizationId', '=', f.organization)
  if (f.tag) {
    const tag = f.tag
    q = q.where((eb: ExpressionBuilder<DB, 'tickets'>) =>
      eb.exists(eb.selectFrom('ticketTags').select('ticketTags.ticketId').whereRef('ticketTags.ticketId', '=', 'tickets.id').where('ticketTags.tag', '=', tag)),
    )
  }
  if (f.field) {
    const m = /^([a-z][a-z0-9_]{0,39}):(.*)$/.exec(f.field)
    if (!m) throw badRequest('field must look like key:value')
    const [, key, value] = m
    q =
      dialect === 'postgres'
        ? q.where(sql<boolean>`tickets.custom_fields ->> ${key} = ${value}`)
        : q.where(sql<boolean>`CAST(json_extract(tickets.custom_fields, ${`$.${key}`}) AS TEXT) = ${value}`)
  }
  if (f.createdFrom !== undefined) q = q.where('tickets.createdAt', '>=', f.createdFrom)
  if (f.createdTo !== undefined) q = q.where('tickets.createdAt', '<=', f.createdTo)
  if (f.updatedFrom !== undefined) q = q.where('tickets.updatedAt', '>=', f.updatedFrom)
  if (f.updatedTo !== undefined) q = q.where('tickets.updatedAt', '<=', f.updatedTo)
  return q
}

export async function tagsOf(db: Executor, ticketId: number): Promise<string[]> {
  return (await db.selectFrom('ticketTags').select('tag').where('ticketId', '=', ticketId).orderBy('tag').execute()).map((r) => r.tag)
}
