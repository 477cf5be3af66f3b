import type { Role, TicketStatus } from '@allhands/contract'
import type { Actor } from '../../../platform/actor.ts'
import { now } from '../../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { isClearedToHold, queueRefusal } from '../../../platform/policy.ts'
import { UNSOLVED } from '../../tickets/tickets.queries.ts'
import { currentShift } from '../../users/users.queries.ts'
import { getQueueSettings } from '../queue.settings.ts'
import { assignFromQueue, chatInboxIds, OFFERABLE_STATUSES } from '../queue.service.ts'

type Payload = { minute?: number; ticketId?: number }
const MINUTE = 60_000
const BATCH = 200

/**
 * Auto-assignment: gives waiting tickets round-robin to people on shift who qualify for them (clearance,
 * certification) and hold fewer open tickets than the cap; whoever was assigned least recently goes
 * first. Runs every minute (each run queues the next, one job per minute by idempotency key) and when
 * a ticket is created.
 */
export const autoAssignTicketsJob: JobDefinition<Payload> = {
  name: 'auto-assign-tickets',
  label: 'Auto-assign queued tickets',
  maxAttempts: 3,
  keepDoneMs: 3_600_000,
  async handle(ctx, payload) {
    try {
      await autoAssignTickets(ctx, payload.ticketId)
    } finally {
      if (payload.minute !== undefined) await scheduleAutoAssign(ctx.db)
    }
  },
}

/** Queues the next minute's run (once per minute however many processes ask). */
export async function scheduleAutoAssign(db: Executor): Promise<void> {
  const minute = Math.floor(now() / MINUTE) + 1
  await enqueueJob(db, autoAssignTicketsJob, { minute }, { runAt: minute * MINUTE, idempotencyKey: `auto-assign-tickets:${minute}` })
}

/** Queues a run for a new ticket when auto-assignment is on (called in the ticket's transaction). */
export async function triggerAutoAssign(db: Executor, ticketId: number): Promise<void> {
  const settings = await getQueueSettings(db)
  if (settings.autoAssign) await enqueueJob(db, autoAssignTicketsJob, { ticketId }, { idempotencyKey: `auto-assign-ticket:${ticketId}` })
}

type Candidate = Pick<Actor, 'id' | 'name' | 'role' | 'clearance' | 'certifiedCategoryIds' | 'trustLevel' | 'onShiftUntil'> & {
  open: number
  lastAssignedAt: number
}

/** People on shift now, with their open load and when the queue last gave them a ticket. */
async function onShiftCandidates(db: Executor, at: number): Promise<Candidate[]> {
  const shiftUsers = await db
    .selectFrom('shifts')
    .innerJoin('users', 'users.id', 'shifts.userId')
    .select(['users.id', 'users.name', 'users.role', 'users.clearance', 'users.trustLevel'])
    .distinct()
    .where('users.isActive', '=', 1)
    .where('shifts.endsAt', '>', at)
    .where((eb) => eb(eb.fn.coalesce('shifts.startedAt', 'shifts.startsAt'), '<=', at))
    .where((eb) => eb.or([eb('shifts.endedAt', 'is', null), eb('shifts.endedAt', '>', at)]))
    .execute()
  if (!shiftUsers.length) return []
  const ids = shiftUsers.map((u) => u.id)
  const [certs, open, last] = await Promise.all([
    db.selectFrom('certifications').select(['userId', 'categoryId']).where('userId', 'in', ids).execute(),
    db
      .selectFrom('tickets')
      .select(['assigneeId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assigneeId', 'in', ids)
      .where('status', 'in', UNSOLVED)
      .groupBy('assigneeId')
      .execute(),
    db
      .selectFrom('queueAssignments')
      .select(['userId', (eb) => eb.fn.max('assignedAt').as('at')])
      .where('userId', 'in', ids)
      .groupBy('userId')
      .execute(),
  ])
  const candidates: Candidate[] = []
  for (const u of shiftUsers) {
    const shift = await currentShift(db, u.id, at)
    candidates.push({
      id: u.id,
      name: u.name,
      role: u.role as Role,
      clearance: u.clearance as Actor['clearance'],
      trustLevel: u.trustLevel as Actor['trustLevel'],
      certifiedCategoryIds: certs.filter((c) => c.userId === u.id).map((c) => c.categoryId),
      onShiftUntil: shift?.until ?? null,
      open: Number(open.find((o) => o.assigneeId === u.id)?.n ?? 0),
      lastAssignedAt: Number(last.find((l) => l.userId === u.id)?.at ?? 0),
    })
  }
  return candidates.filter((c) => c.onShiftUntil !== null && queueRefusal(c) === null)
}

/** One pass of auto-assignment; returns how many tickets were given out. */
export async function autoAssignTickets(ctx: Ctx, onlyTicketId?: number): Promise<number> {
  const settings = await getQueueSettings(ctx.db)
  if (!settings.autoAssign) return 0
  const t = now()
  const people = (await onShiftCandidates(ctx.db, t)).filter((p) => p.open < settings.capPerPerson)
  if (!people.length) return 0
  const chats = await chatInboxIds(ctx.db)
  let q = ctx.db
    .selectFrom('tickets')
    .select(['id', 'teamId', 'status', 'riskLevel', 'categoryId'])
    .where('assigneeId', 'is', null)
    .where('status', 'in', OFFERABLE_STATUSES)
    .where('mergedIntoId', 'is', null)
    .$if(chats.length > 0, (qb) => qb.where('inboxId', 'not in', chats))
    .orderBy('createdAt')
    .orderBy('id')
    .limit(BATCH)
  if (onlyTicketId !== undefined) q = q.where('id', '=', onlyTicketId)
  const tickets = await q.execute()
  let given = 0
  for (const ticket of tickets) {
    const eligible = people
      .filter((p) => p.open < settings.capPerPerson && isClearedToHold(p, ticket))
      .sort((a, b) => a.lastAssignedAt - b.lastAssignedAt || a.id - b.id)
    const person = eligible[0]
    if (!person) continue
    const won = await inTransaction(ctx, (trx, emit) => assignFromQueue(trx, emit, { ...ticket, status: ticket.status as TicketStatus }, person, 'auto'))
    if (!won) continue
    given++
    person.open++
    person.lastAssignedAt = now() + given // strictly later than anyone assigned before, even within one millisecond
    if (!people.some((p) => p.open < settings.capPerPerson)) break
  }
  return given
}
