import {
  type QueueClaimDto,
  type QueueDto,
  type QueueTicketDto,
  RISK_LEVELS,
  type Priority,
  type RiskLevel,
  type TicketDto,
  type TicketStatus,
} from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { canTakeFromQueue, queueRefusal, riskRank } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { addEventMessage, notify } from '../tickets/messages.service.ts'
import { notificationEvent, ticketEvent } from '../tickets/tickets.events.ts'
import { presentTickets } from '../tickets/tickets.queries.ts'

/** The room people on shift join to see the queue change live; events carry only a ticket id. */
export const QUEUE_ROOM = 'queue'
export const queueEvent = (ticketId: number): DomainEvent => ({ name: 'queue.changed', room: QUEUE_ROOM, payload: { ticketId } })

/** Tickets waiting for someone: unassigned and new or open. */
export const OFFERABLE_STATUSES: TicketStatus[] = ['new', 'open']

type Holder = Pick<Actor, 'role' | 'clearance' | 'certifiedCategoryIds'>

/** Live chats go to people available for chat (chat routing), never through the queue: these inboxes are left out. */
const chatInboxes = (db: Executor) => db.selectFrom('inboxes').select('id').where('type', '=', 'chat')
export const chatInboxIds = async (db: Executor): Promise<number[]> => (await chatInboxes(db).execute()).map((r) => r.id)

/** Unassigned waiting tickets this person qualifies for, oldest first (read through the tickets_queue index). */
export function offerableTickets(db: Executor, holder: Holder, limit: number, excludedInboxIds: number[]) {
  const levels = RISK_LEVELS.filter((l) => riskRank(l) <= riskRank(holder.clearance))
  let q = db
    .selectFrom('tickets')
    .select(['id', 'subject', 'status', 'priority', 'riskLevel', 'categoryId', 'preview', 'createdAt', 'lastMessageAt', 'teamId', 'assigneeId'])
    .where('assigneeId', 'is', null)
    .where('status', 'in', OFFERABLE_STATUSES)
    .where('mergedIntoId', 'is', null)
    .where('riskLevel', 'in', levels)
  if (excludedInboxIds.length) q = q.where('inboxId', 'not in', excludedInboxIds)
  if (holder.role === 'contributor') {
    const certified = holder.certifiedCategoryIds
    q = q.where((eb) => (certified.length ? eb.or([eb('categoryId', 'is', null), eb('categoryId', 'in', certified)]) : eb('categoryId', 'is', null)))
  }
  return q.orderBy('createdAt').orderBy('id').limit(limit)
}

/** What the queue offers the signed-in person; off shift (contributors) or as an observer, nothing and why. */
export async function listQueue(ctx: Ctx, actor: Actor, limit = 50): Promise<QueueDto> {
  const refusal = queueRefusal(actor)
  if (refusal) return { eligible: false, reason: refusal, onShiftUntil: actor.onShiftUntil, items: [] }
  const rows = await offerableTickets(ctx.db, actor, limit, await chatInboxIds(ctx.db)).execute()
  const items: QueueTicketDto[] = rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    status: r.status as TicketStatus,
    priority: r.priority as Priority,
    riskLevel: r.riskLevel as RiskLevel,
    categoryId: r.categoryId,
    preview: r.preview,
    createdAt: r.createdAt,
    lastMessageAt: r.lastMessageAt,
  }))
  const reason = items.length
    ? null
    : actor.role === 'contributor'
      ? `Nothing waiting within your clearance (${actor.clearance} risk) and certified categories`
      : `Nothing unassigned waiting within your clearance (${actor.clearance} risk)`
  return { eligible: true, reason, onShiftUntil: actor.onShiftUntil, items }
}

/**
 * Gives an unassigned waiting ticket to a person, atomically: the update only applies while nobody holds
 * the ticket, so two people claiming at once never both get it. Returns false when someone was faster.
 */
export async function assignFromQueue(
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  ticket: { id: number; teamId: number | null; status: string },
  user: { id: number; name: string },
  source: 'claim' | 'auto',
): Promise<boolean> {
  const t = now()
  const res = await trx
    .updateTable('tickets')
    .set({ assigneeId: user.id, updatedAt: t })
    .where('id', '=', ticket.id)
    .where('assigneeId', 'is', null)
    .where('status', 'in', OFFERABLE_STATUSES)
    .where('inboxId', 'not in', chatInboxes(trx))
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  if (ticket.status === 'new') await trx.updateTable('tickets').set({ status: 'open' }).where('id', '=', ticket.id).where('status', '=', 'new').execute()
  await trx.insertInto('queueAssignments').values({ ticketId: ticket.id, userId: user.id, source, assignedAt: t }).execute()
  await addEventMessage(trx, ticket.id, source === 'claim' ? user.id : null, {
    type: 'assigned',
    from: null,
    to: user.id,
    toName: user.name,
    via: source === 'claim' ? 'queue' : 'auto_assign',
  })
  if (source === 'auto') {
    const subject = await trx.selectFrom('tickets').select('subject').where('id', '=', ticket.id).executeTakeFirstOrThrow()
    const n = await notify(trx, {
      userId: user.id,
      kind: 'assigned',
      ticketId: ticket.id,
      actorId: null,
      title: `The rotation queue gave you #${ticket.id}: ${subject.subject}`,
    })
    emit(notificationEvent(user.id, n))
  }
  emit(ticketEvent('ticket.updated', { id: ticket.id, teamId: ticket.teamId, assigneeId: user.id }))
  emit(queueEvent(ticket.id))
  return true
}

/** Takes the oldest ticket the queue offers; when someone else takes it first, tries the next ones. */
export async function claimNext(ctx: Ctx, actor: Actor): Promise<QueueClaimDto> {
  const refusal = queueRefusal(actor)
  if (refusal) throw forbidden('take tickets from the queue', refusal)
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidates = await offerableTickets(ctx.db, actor, 5, await chatInboxIds(ctx.db)).execute()
    if (!candidates.length) return { ticket: null, reason: (await listQueue(ctx, actor, 1)).reason }
    for (const c of candidates) {
      const won = await inTransaction(ctx, (trx, emit) => assignFromQueue(trx, emit, c, actor, 'claim'))
      if (won) return { ticket: await presentClaimed(ctx, c.id), reason: null }
    }
  }
  return { ticket: null, reason: 'Others took the waiting tickets first; try again' }
}

/** Takes one chosen ticket from the queue, with the same checks as the queue applies. */
export async function claimTicket(ctx: Ctx, actor: Actor, ticketId: number): Promise<TicketDto> {
  const refusal = queueRefusal(actor)
  if (refusal) throw forbidden('take tickets from the queue', refusal)
  const won = await inTransaction(ctx, async (trx, emit) => {
    const ticket = await trx
      .selectFrom('tickets')
      .select(['id', 'teamId', 'status', 'assigneeId', 'riskLevel', 'categoryId', 'mergedIntoId'])
      .where('id', '=', ticketId)
      .executeTakeFirst()
    if (!ticket) throw notFound('Ticket', ticketId)
    if (
      await chatInboxes(trx)
        .where('id', '=', (eb) => eb.selectFrom('tickets').select('inboxId').where('id', '=', ticketId))
        .executeTakeFirst()
    )
      throw conflict('Live chats go to people available for chat, not through the queue')
    if (ticket.assigneeId !== null) throw conflict(ticket.assigneeId === actor.id ? 'You already hold this ticket' : 'Someone else already took this ticket')
    if (ticket.mergedIntoId !== null || !OFFERABLE_STATUSES.includes(ticket.status as TicketStatus)) throw conflict('This ticket is not waiting in the queue')
    if (!canTakeFromQueue(actor, ticket)) {
      const why =
        riskRank(ticket.riskLevel) > riskRank(actor.clearance)
          ? `its risk (${ticket.riskLevel}) is above your clearance (${actor.clearance})`
          : "you are not certified for this ticket's category"
      throw forbidden('take this ticket', why)
    }
    return assignFromQueue(trx, emit, ticket, actor, 'claim')
  })
  if (!won) throw conflict('Someone else already took this ticket')
  return presentClaimed(ctx, ticketId)
}

async function presentClaimed(ctx: Ctx, ticketId: number): Promise<TicketDto> {
  return (await presentTickets(ctx.db, [ticketId]))[0]!
}
