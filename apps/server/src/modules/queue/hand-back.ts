import type { HandBackInput, Role, TicketDto } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { enqueueJob, type JobDefinition } from '../../platform/jobs.ts'
import { canHandBack, isClearedToHold, riskRank } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { addEventMessage, contentFromBody, insertMessage, notify, postMessage } from '../tickets/messages.service.ts'
import { notificationEvent, ticketEvent } from '../tickets/tickets.events.ts'
import { findTicketRow, presentTickets, type TicketRow } from '../tickets/tickets.queries.ts'
import { queueEvent } from './queue.service.ts'

/** Returns a ticket to support: the assignee (or staff) in one click, with a note saying why. */
export async function handBackTicket(ctx: Ctx, actor: Actor, ticketId: number, input: HandBackInput): Promise<TicketDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const ticket = await findTicketRow(trx, ticketId)
    if (!ticket) throw notFound('Ticket', ticketId)
    if (!canHandBack(actor, ticket)) throw forbidden('hand this ticket back', 'only its assignee or support staff can')
    if (ticket.assigneeId === null) throw conflict('This ticket is not assigned to anyone')
    await handBack(trx, ctx, emit, { ticket, by: actor, reason: input.note.trim() })
  })
  return (await presentTickets(ctx.db, [ticketId]))[0]!
}

/**
 * Unassigns the ticket, writes the reason as an internal note (by the person, or by Allhands when
 * automatic) plus a system event, and tells support: admins, and the agents of the ticket's team (all
 * agents when it has none). After an automatic hand-back the former holder is told too.
 */
export async function handBack(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  h: { ticket: TicketRow; by: Actor | null; reason: string },
): Promise<boolean> {
  const { ticket, by } = h
  const holderId = ticket.assigneeId
  if (holderId === null) return false
  const res = await trx
    .updateTable('tickets')
    .set({ assigneeId: null, updatedAt: now() })
    .where('id', '=', ticket.id)
    .where('assigneeId', '=', holderId)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  const holder = await trx.selectFrom('users').select(['id', 'name']).where('id', '=', holderId).executeTakeFirst()
  const holderName = holder?.name ?? 'Former user'
  const unassigned = { ...ticket, assigneeId: null }
  if (by) {
    const content = contentFromBody(`Handed back to support: ${h.reason}`, 'text')
    await postMessage(trx, ctx, emit, { ticket: unassigned, author: by, kind: 'note', content, mayChangeStatus: false })
  } else {
    const content = contentFromBody(`Handed back to support automatically (was with ${holderName}): ${h.reason}`, 'text')
    const note = await insertMessage(trx, { ticketId: ticket.id, kind: 'note', content, uploaderId: null })
    emit(ticketEvent('message.created', unassigned, { messageId: note.id, kind: 'note' }))
  }
  await addEventMessage(trx, ticket.id, by?.id ?? null, { type: 'handed_back', from: holderId, fromName: holderName, reason: h.reason, automatic: !by })
  const title = by
    ? `${by.name} handed back #${ticket.id}: ${ticket.subject} — ${h.reason}`
    : `#${ticket.id} was handed back automatically from ${holderName}: ${h.reason}`
  const recipients = new Set(await supportRecipients(trx, ticket.teamId))
  if (!by) recipients.add(holderId)
  recipients.delete(by?.id ?? -1)
  for (const userId of recipients) {
    const n = await notify(trx, { userId, kind: 'handed_back', ticketId: ticket.id, actorId: by?.id ?? null, title: title.slice(0, 500) })
    emit(notificationEvent(userId, n))
  }
  emit(ticketEvent('ticket.updated', unassigned, { previousAssigneeId: holderId }))
  emit(queueEvent(ticket.id))
  return true
}

/** Active admins and owners, plus the agents of the team (every agent when the ticket has no team). */
async function supportRecipients(db: Executor, teamId: number | null): Promise<number[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('isActive', '=', 1)
    .where((eb) => {
      const admins = eb('role', 'in', ['owner', 'admin'] satisfies Role[])
      const agents =
        teamId === null
          ? eb('role', '=', 'agent')
          : eb.and([eb('role', '=', 'agent'), eb('id', 'in', eb.selectFrom('teamMembers').select('userId').where('teamId', '=', teamId))])
      return eb.or([admins, agents])
    })
    .execute()
  return rows.map((r) => r.id)
}

type HandBackJob = { ticketId: number; userId: number; reason: string }

/** Automatic hand-back after a reassessment: runs after the message's transaction, re-checks, then hands back. */
export const handBackTicketJob: JobDefinition<HandBackJob> = {
  name: 'hand-back-ticket',
  label: 'Hand a ticket back to support',
  maxAttempts: 5,
  async handle(ctx, p) {
    await inTransaction(ctx, async (trx, emit) => {
      const ticket = await findTicketRow(trx, p.ticketId)
      // Already handed back, reassigned, or the holder is cleared again: nothing to do.
      if (!ticket || ticket.assigneeId !== p.userId) return
      const holder = await loadHolder(trx, p.userId)
      if (holder && isClearedToHold(holder, ticket)) return
      await handBack(trx, ctx, emit, { ticket, by: null, reason: p.reason })
    })
  },
}

type Holder = { id: number; name: string; role: Role; clearance: Actor['clearance']; certifiedCategoryIds: number[]; isActive: boolean }

async function loadHolder(db: Executor, userId: number): Promise<Holder | undefined> {
  const user = await db.selectFrom('users').select(['id', 'name', 'role', 'clearance', 'isActive']).where('id', '=', userId).executeTakeFirst()
  if (!user) return undefined
  const certs = await db.selectFrom('certifications').select('categoryId').where('userId', '=', userId).execute()
  return {
    id: user.id,
    name: user.name,
    role: user.role as Role,
    clearance: user.clearance as Actor['clearance'],
    certifiedCategoryIds: certs.map((c) => c.categoryId),
    isActive: !!user.isActive,
  }
}

function holderRefusal(holder: Holder | undefined, t: { riskLevel: string; categoryId: number | null }): string | null {
  if (!holder) return 'The assignee no longer exists'
  if (riskRank(t.riskLevel) > riskRank(holder.clearance)) return `Risk rose to ${t.riskLevel}, above ${holder.name}'s clearance (${holder.clearance})`
  if (!isClearedToHold(holder, t)) return `${holder.name} is not certified for this ticket's category`
  return null
}

/**
 * After a reassessment: when the ticket's holder no longer qualifies (risk above their clearance, or not
 * certified for its category), queue an automatic hand-back. Cheap when nothing restricts the ticket.
 */
export async function handBackIfNotCleared(
  db: Executor,
  a: { ticketId: number; assigneeId: number | null; level: string; categoryId: number | null; reasons: { detail: string }[] },
): Promise<void> {
  if (a.assigneeId === null || (riskRank(a.level) === 0 && a.categoryId === null)) return
  const holder = await loadHolder(db, a.assigneeId)
  const ticket = { riskLevel: a.level, categoryId: a.categoryId }
  if (holder && isClearedToHold(holder, ticket)) return
  const why = holderRefusal(holder, ticket) ?? 'The assignee no longer qualifies for this ticket'
  const detail = a.reasons
    .filter((r) => r.detail)
    .map((r) => r.detail)
    .slice(0, 3)
    .join('; ')
  await enqueueJob(
    db,
    handBackTicketJob,
    { ticketId: a.ticketId, userId: a.assigneeId, reason: detail ? `${why} (${detail})` : why },
    { idempotencyKey: `hand-back:${a.ticketId}:${a.assigneeId}:${now()}` },
  )
}
