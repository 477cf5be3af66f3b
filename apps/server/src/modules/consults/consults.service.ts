import type { ConsultDetailDto, ConsultDto, ConsultListQuery, ConsultSettingsDto, ConsultStatus, CreateConsultInput, PageOf } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import {
  canAdminister,
  canAskConsult,
  canAssignConsult,
  canPostInConsult,
  canResolveConsult,
  canTakeConsult,
  canViewConsult,
  isConsultee,
} from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { markForReports } from '../../platform/report-queue.ts'
import type { MessageContent } from '../tickets/messages.service.ts'
import { contentFromBody } from '../tickets/messages.service.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { teamIdsOf } from '../users/users.queries.ts'
import { consultEvents } from './consults.events.ts'
import { notifyAboutConsult } from './consults.notify.ts'
import {
  type ConsultRow,
  findConsultRow,
  involvedUserIds,
  listConsultMessages,
  onCallUserId,
  presentConsults,
  RANK,
  scopeOf,
  teamMemberIds,
} from './consults.queries.ts'

const HOUR = 3600_000
const DUE_SETTING = 'consultDefaultDueHours'
export const DEFAULT_DUE_HOURS = 24

export async function getConsultSettings(db: Executor): Promise<ConsultSettingsDto> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DUE_SETTING).executeTakeFirst()
  const hours = row ? Number(JSON.parse(row.value)) : DEFAULT_DUE_HOURS
  return { defaultDueHours: Number.isInteger(hours) && hours > 0 ? hours : DEFAULT_DUE_HOURS }
}

/** Admins set how long experts have to answer when the asker does not say. Audited. */
export async function updateConsultSettings(ctx: Ctx, actor: Actor, input: ConsultSettingsDto): Promise<ConsultSettingsDto> {
  if (!canAdminister(actor)) throw forbidden('change consult settings')
  await ctx.db.transaction().execute(async (trx) => {
    const before = await getConsultSettings(trx)
    const value = JSON.stringify(input.defaultDueHours)
    await trx
      .insertInto('settings')
      .values({ key: DUE_SETTING, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'consults.settings_changed',
      targetType: 'settings',
      targetId: null,
      data: { from: before, to: input },
    })
  })
  return getConsultSettings(ctx.db)
}

const ticketOf = (c: ConsultRow) => ({ id: c.id, ticketId: c.ticketId, ticketSubject: c.ticketSubject, ticket: scopeOf(c).ticket })
const quote = (s: string, max = 140) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

async function emitChanged(trx: Executor, emit: (e: DomainEvent) => void, id: number): Promise<void> {
  const c = await findConsultRow(trx, id)
  if (!c) return
  for (const e of consultEvents({ id: c.id, ticketId: c.ticketId, status: c.status }, await involvedUserIds(trx, c))) emit(e)
}

/**
 * Asks a team or a person a question about a ticket. A team's question goes to whoever is on its on-call
 * rotation now, or else to every member; the people asked get a notification and an email they can answer.
 */
export async function createConsult(ctx: Ctx, actor: Actor, ticketId: number, input: CreateConsultInput): Promise<ConsultDto> {
  if ((input.teamId === undefined) === (input.userId === undefined)) throw badRequest('Ask either a team (teamId) or a person (userId)')
  const question = input.question.trim()
  if (!question) throw badRequest('The question is empty')
  const id = await inTransaction(ctx, async (trx, emit) => {
    const ticket = await findTicketRow(trx, ticketId)
    if (!ticket) throw notFound('Ticket', ticketId)
    if (!canAskConsult(actor, ticket)) throw forbidden('ask a consult on this ticket', 'you cannot see this ticket')
    if (ticket.mergedIntoId) throw unprocessable(`Ticket ${ticketId} was merged into #${ticket.mergedIntoId}`)
    const t = now()
    let teamName: string | null = null
    let assigneeId: number | null = null
    if (input.teamId !== undefined) {
      const team = await trx.selectFrom('teams').select(['id', 'name']).where('id', '=', input.teamId).executeTakeFirst()
      if (!team) throw unprocessable(`Team ${input.teamId} does not exist`)
      teamName = team.name
      assigneeId = await onCallUserId(trx, team.id, t)
    } else {
      const user = await trx.selectFrom('users').select(['id', 'isActive']).where('id', '=', input.userId!).executeTakeFirst()
      if (!user?.isActive) throw unprocessable(`User ${input.userId} does not exist or is deactivated`)
      if (user.id === actor.id) throw unprocessable('You cannot consult yourself')
      assigneeId = user.id
    }
    const hours = input.dueInHours ?? (await getConsultSettings(trx)).defaultDueHours
    const row = await trx
      .insertInto('consults')
      .values({
        ticketId,
        askedById: actor.id,
        teamId: input.teamId ?? null,
        assigneeId,
        question,
        status: 'open',
        sortRank: RANK.open,
        dueAt: t + hours * HOUR,
        answeredAt: null,
        resolvedAt: null,
        resolvedById: null,
        messageCount: 0,
        lastMessageAt: null,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const consult = (await findConsultRow(trx, row.id))!
    const recipients = assigneeId !== null ? [assigneeId] : await teamMemberIds(trx, input.teamId!)
    const whom = teamName ? `${teamName}${assigneeId !== null ? ' (you are on call)' : ''}` : 'you'
    await notifyAboutConsult(trx, ctx, emit, recipients, {
      consult: ticketOf(consult),
      actorId: actor.id,
      title: `${actor.name} asks ${teamName ?? 'you'} about #${ticketId} ${ticket.subject}: ${quote(question, 80)}`,
      email: {
        subject: `[Consult #${row.id}] Ticket #${ticketId}: ${ticket.subject}`,
        text: [
          `${actor.name} asks ${whom} about ticket #${ticketId} "${ticket.subject}":`,
          '',
          question,
          '',
          `Please answer by ${new Date(t + hours * HOUR).toUTCString()}.`,
          'Reply to this email to answer: your reply goes to the consult thread only, never to the customer.',
        ].join('\n'),
        key: 'asked',
      },
    })
    await emitChanged(trx, emit, row.id)
    return row.id
  })
  return (await presentConsults(ctx.db, actor, [id], now()))[0]!
}

/** A consult the actor may see; otherwise 404, so its existence does not leak. */
async function getVisibleConsult(db: Executor, actor: Actor, id: number): Promise<ConsultRow> {
  const c = await findConsultRow(db, id)
  if (!c || !canViewConsult(actor, scopeOf(c))) throw notFound('Consult', id)
  return c
}

export async function getConsultDetail(ctx: Ctx, actor: Actor, id: number): Promise<ConsultDetailDto> {
  await getVisibleConsult(ctx.db, actor, id)
  const [consult] = await presentConsults(ctx.db, actor, [id], now())
  return { consult: consult!, messages: await listConsultMessages(ctx.db, id) }
}

/** Consults on one ticket, for the people who can see the ticket (its side panel). */
export async function listTicketConsults(ctx: Ctx, actor: Actor, ticketId: number): Promise<ConsultDto[]> {
  await getVisibleTicket(ctx.db, actor, ticketId)
  const rows = await ctx.db
    .selectFrom('consults')
    .select('id')
    .where('ticketId', '=', ticketId)
    .orderBy('sortRank')
    .orderBy('dueAt')
    .orderBy('id')
    .limit(200)
    .execute()
  return presentConsults(
    ctx.db,
    actor,
    rows.map((r) => r.id),
    now(),
  )
}

/**
 * Consults the actor may see, waiting ones first and, among those, the most overdue first; keyset-paginated
 * on (rank, due time, id). Contributors see those they asked, were asked, or whose ticket they can see.
 */
export async function listConsults(ctx: Ctx, actor: Actor, query: ConsultListQuery): Promise<PageOf<ConsultDto>> {
  const limit = query.limit ?? 50
  const t = now()
  let q = ctx.db.selectFrom('consults as c').innerJoin('tickets as t', 't.id', 'c.ticketId').select(['c.id', 'c.sortRank', 'c.dueAt'])
  const teamIds = actor.teamIds
  if (actor.role === 'contributor') {
    q = q.where((eb) =>
      eb.or([
        eb('c.askedById', '=', actor.id),
        eb('c.assigneeId', '=', actor.id),
        eb('t.assigneeId', '=', actor.id),
        ...(teamIds.length ? [eb('c.teamId', 'in', teamIds), eb('t.teamId', 'in', teamIds)] : []),
      ]),
    )
  }
  if (query.mine === 'assigned') q = q.where('c.assigneeId', '=', actor.id)
  if (query.mine === 'asked') q = q.where('c.askedById', '=', actor.id)
  if (query.mine === 'team') q = teamIds.length ? q.where('c.teamId', 'in', teamIds) : q.where(({ lit }) => lit(false))
  if (query.team !== undefined) q = q.where('c.teamId', '=', query.team)
  if (query.ticket !== undefined) q = q.where('c.ticketId', '=', query.ticket)
  if (query.status === 'unresolved') q = q.where('c.sortRank', '<', RANK.resolved)
  else if (query.status) q = q.where('c.sortRank', '=', RANK[query.status])
  if (query.overdue) q = q.where('c.sortRank', '=', RANK.open).where('c.dueAt', '<=', t)
  const after = decodeCursor(query.cursor, 3)
  if (after) {
    const [rank, due, id] = after.map(Number) as [number, number, number]
    q = q.where((eb) =>
      eb.or([
        eb('c.sortRank', '>', rank),
        eb.and([eb('c.sortRank', '=', rank), eb('c.dueAt', '>', due)]),
        eb.and([eb('c.sortRank', '=', rank), eb('c.dueAt', '=', due), eb('c.id', '>', id)]),
      ]),
    )
  }
  const rows = await q
    .orderBy('c.sortRank')
    .orderBy('c.dueAt')
    .orderBy('c.id')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const items = (
    await presentConsults(
      ctx.db,
      actor,
      page.map((r) => r.id),
      t,
    )
  ).filter((c) => c.canViewTicket || c.isAsker || c.isConsultee)
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.sortRank, last.dueAt, last.id]) : null }
}

/**
 * Adds a message to a consult's thread. One by a person asked is an answer: it marks the consult answered
 * (and, on a team consult nobody had taken, makes its author the assignee); anyone else's is a follow-up
 * that opens it again. Shared by the app and answers by email.
 */
export async function addConsultMessage(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  consult: ConsultRow,
  author: Pick<Actor, 'id' | 'name' | 'teamIds'>,
  content: MessageContent,
  via: { kind: 'app' } | { kind: 'email'; inboundEmailId: number },
): Promise<number> {
  const t = now()
  const isAnswer = author.id !== consult.askedById && isConsultee(author, scopeOf(consult))
  const status: ConsultStatus = isAnswer ? 'answered' : 'open'
  const row = await trx
    .insertInto('consultMessages')
    .values({
      consultId: consult.id,
      authorId: author.id,
      html: content.html,
      text: content.text,
      isAnswer: isAnswer ? 1 : 0,
      via: via.kind,
      inboundEmailId: via.kind === 'email' ? via.inboundEmailId : null,
      createdAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (isAnswer) await markForReports(trx, [consult.ticketId])
  const assigneeId = isAnswer && consult.assigneeId === null ? author.id : consult.assigneeId
  await trx
    .updateTable('consults')
    .set((eb) => ({
      status,
      sortRank: RANK[status],
      assigneeId,
      messageCount: eb('messageCount', '+', 1),
      lastMessageAt: t,
      updatedAt: t,
      ...(isAnswer && consult.answeredAt === null ? { answeredAt: t } : {}),
    }))
    .where('id', '=', consult.id)
    .execute()
  const consultees = assigneeId !== null ? [assigneeId] : consult.teamId !== null ? await teamMemberIds(trx, consult.teamId) : []
  const recipients = isAnswer ? [consult.askedById] : [...consultees, consult.askedById]
  await notifyAboutConsult(trx, ctx, emit, recipients, {
    consult: ticketOf(consult),
    actorId: author.id,
    title: `${author.name} ${isAnswer ? 'answered' : 'followed up on'} the consult about #${consult.ticketId}: ${quote(content.text, 80)}`,
    // People asked get follow-ups by email too, so they can answer from their mail client again.
    ...(isAnswer
      ? {}
      : {
          email: {
            subject: `Re: [Consult #${consult.id}] Ticket #${consult.ticketId}: ${consult.ticketSubject}`,
            text: `${author.name} follows up on the consult about ticket #${consult.ticketId}:\n\n${content.text}\n\nReply to this email to answer.`,
            key: `message-${row.id}`,
          },
        }),
  })
  await emitChanged(trx, emit, consult.id)
  return row.id
}

/** POST /consults/:id/messages: an answer or a follow-up from the app. */
export async function postConsultMessage(ctx: Ctx, actor: Actor, id: number, body: string): Promise<ConsultDetailDto> {
  const content = contentFromBody(body)
  if (!content.text.trim()) throw badRequest('The message is empty')
  await inTransaction(ctx, async (trx, emit) => {
    const consult = await getVisibleConsult(trx, actor, id)
    if (consult.status === 'resolved') throw conflict(`Consult ${id} is resolved; ask a new question instead`)
    if (!canPostInConsult(actor, scopeOf(consult))) throw forbidden('write in this consult')
    await addConsultMessage(trx, ctx, emit, consult, actor, content, { kind: 'app' })
  })
  return getConsultDetail(ctx, actor, id)
}

export async function resolveConsult(ctx: Ctx, actor: Actor, id: number): Promise<ConsultDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const consult = await getVisibleConsult(trx, actor, id)
    if (consult.status === 'resolved') throw conflict(`Consult ${id} is already resolved`)
    if (!canResolveConsult(actor, scopeOf(consult))) throw forbidden('resolve this consult')
    const t = now()
    const done = await trx
      .updateTable('consults')
      .set({ status: 'resolved', sortRank: RANK.resolved, resolvedAt: t, resolvedById: actor.id, updatedAt: t })
      .where('id', '=', id)
      .where('status', '!=', 'resolved')
      .executeTakeFirst()
    if (!Number(done.numUpdatedRows)) throw conflict(`Consult ${id} is already resolved`)
    await emitChanged(trx, emit, id)
  })
  return (await presentConsults(ctx.db, actor, [id], now()))[0]!
}

/** Hands a consult to one person; for a team's consult, a member of that team. */
export async function assignConsult(ctx: Ctx, actor: Actor, id: number, userId: number): Promise<ConsultDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const consult = await getVisibleConsult(trx, actor, id)
    if (consult.status === 'resolved') throw conflict(`Consult ${id} is resolved`)
    if (!canAssignConsult(actor, scopeOf(consult))) throw forbidden('assign this consult')
    const user = await trx.selectFrom('users').select(['id', 'isActive']).where('id', '=', userId).executeTakeFirst()
    if (!user) throw unprocessable(`User ${userId} does not exist`)
    const teams = (await teamIdsOf(trx, [userId])).get(userId) ?? []
    if (!canTakeConsult({ isActive: !!user.isActive, teamIds: teams }, consult))
      throw unprocessable(consult.teamId !== null ? 'Only an active member of the team asked can take this consult' : `User ${userId} is deactivated`)
    if (userId === consult.askedById) throw unprocessable('The asker cannot answer their own consult')
    if (consult.assigneeId === userId) return
    await trx.updateTable('consults').set({ assigneeId: userId, updatedAt: now() }).where('id', '=', id).execute()
    await notifyAboutConsult(trx, ctx, emit, [userId], {
      consult: ticketOf(consult),
      actorId: actor.id,
      title: `${actor.name} handed you the consult about #${consult.ticketId}: ${quote(consult.question, 80)}`,
      email: {
        subject: `[Consult #${consult.id}] Ticket #${consult.ticketId}: ${consult.ticketSubject}`,
        text: `${actor.name} handed you a question about ticket #${consult.ticketId} "${consult.ticketSubject}":\n\n${consult.question}\n\nReply to this email to answer: your reply goes to the consult thread only, never to the customer.`,
        key: `assigned-${now()}`,
      },
    })
    await emitChanged(trx, emit, id)
  })
  return (await presentConsults(ctx.db, actor, [id], now()))[0]!
}
