import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { handBackIfNotCleared } from '../queue/hand-back.ts'
import { triggerAutoAssign } from '../queue/jobs/auto-assign-tickets.ts'
import { queueEvent } from '../queue/queue.service.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { type AssessmentHints, assessLoadedTickets, assessTicket, assessTickets, type RiskTicketRow } from './risk.assess.ts'

/**
 * Called in the transaction that stores a customer message (a new ticket's first message included), with the ticket as
 * that message left it:
 * reassesses the ticket's risk; a holder who no longer qualifies gets an automatic hand-back (queued,
 * so ingest stays fast), and a brand-new unassigned ticket is offered to auto-assignment. `hints`: what the caller
 * knows and still has to write (a new ticket's message id), see AssessmentHints.
 */
export async function reassessAfterCustomerMessage(
  trx: Executor,
  ticket: RiskTicketRow,
  text: string,
  hints: Omit<AssessmentHints, 'onlyMessage'> = {},
): Promise<void> {
  // A new ticket's only message is the one just written: its text need not be read back.
  const [a] = await assessLoadedTickets(trx, [ticket], { ...hints, onlyMessage: ticket.messageCount <= 1 ? text : undefined })
  if (!a) return
  if (a.assigneeId !== null) await handBackIfNotCleared(trx, a)
  else if (a.messageCount <= 1) await triggerAutoAssign(trx, ticket.id)
}

/**
 * Tickets per reassessment transaction. Each changed ticket costs a few statements and keeps its row locked until the
 * commit: at 100 a chunk held rows for half a second at a million tickets on PostgreSQL (450 statements), and a live
 * chat on one of them waited as long.
 */
const REASSESS_CHUNK = 25

/** Reassesses tickets chunk by chunk (rule changes, SLA checks), telling open screens about changed ones. */
export async function reassessTickets(ctx: Ctx, ids: number[]): Promise<number> {
  let changed = 0
  for (let i = 0; i < ids.length; i += REASSESS_CHUNK) {
    // Between chunks, whatever waits (requests, chat) runs first.
    if (i > 0) await yieldToEventLoop()
    await inTransaction(ctx, async (trx, emit) => {
      for (const a of await assessTickets(trx, ids.slice(i, i + REASSESS_CHUNK))) {
        if (!a.changed) continue
        changed++
        emit(ticketEvent('ticket.updated', { id: a.ticketId, teamId: a.teamId, assigneeId: a.assigneeId }, { riskLevel: a.level }))
        if (a.assigneeId === null) emit(queueEvent(a.ticketId))
        else await handBackIfNotCleared(trx, a)
      }
    })
  }
  return changed
}

/** Called in the transaction of a staff edit that can change the risk (priority, category). */
export async function reassessAfterTicketChange(trx: Executor, ticketId: number): Promise<void> {
  const a = await assessTicket(trx, ticketId)
  if (a && a.assigneeId !== null) await handBackIfNotCleared(trx, a)
}
