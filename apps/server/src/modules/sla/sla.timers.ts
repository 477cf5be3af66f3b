import type { SlaMetric, TicketSlaTimer } from '@allhands/contract'
import type { Selectable, Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { Executor, TransactionalListener } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './sla.calendar.ts'
import { pickPolicy, type SlaPolicyRule, type SlaTicketFacts, targetMinutes } from './sla.policy.ts'
import { loadActivePolicies } from './sla.queries.ts'

export type TimerRow = Selectable<DB['slaTimers']>
type Policy = SlaPolicyRule & { calendar: BusinessCalendar | null }

const PAUSED_STATUSES = ['pending', 'on_hold']
const DONE_STATUSES = ['solved', 'closed']
const TICKET_EVENTS = ['ticket.created', 'ticket.updated', 'message.created', 'ticket.merged']

export const calendarOf = (t: Pick<TimerRow, 'calendar'>) => readJson<BusinessCalendar | null>(t.calendar, null)

/** Due and warning instants of a running clock: target (plus time spent paused) business time after its start. */
function schedule(t: TimerRow): Pick<TimerRow, 'dueAt' | 'warnAt'> {
  const cal = calendarOf(t)
  return {
    dueAt: addBusinessTime(cal, t.startedAt, t.targetMs + t.pausedMs),
    warnAt: t.warnedAt !== null ? t.warnAt : addBusinessTime(cal, t.startedAt, t.warnMs + t.pausedMs),
  }
}

/** Business time left on a paused clock (what it had when it stopped). */
export function remainingWhenPaused(t: TimerRow): number | null {
  if (t.pausedAt === null) return null
  return Math.max(0, t.targetMs + t.pausedMs - businessTimeBetween(calendarOf(t), t.startedAt, t.pausedAt))
}

/** How a clock reads at `at`: the colour the UI shows. */
export function timerState(t: TimerRow, at: number): TicketSlaTimer['state'] {
  if (t.achievedAt !== null) return t.breachedAt !== null ? 'achieved_late' : 'achieved'
  if (t.breachedAt !== null || (t.dueAt !== null && t.dueAt <= at)) return 'breached'
  if (t.pausedAt !== null) return 'paused'
  if (t.warnedAt !== null || (t.warnAt !== null && t.warnAt <= at)) return 'warning'
  return 'running'
}

export function presentTimer(t: TimerRow, at: number): TicketSlaTimer {
  return {
    id: t.id,
    metric: t.metric as SlaMetric,
    policyId: t.policyId,
    targetMinutes: Math.round(t.targetMs / 60_000),
    startedAt: t.startedAt,
    dueAt: t.dueAt,
    warnAt: t.warnAt,
    pausedAt: t.pausedAt,
    remainingMs: remainingWhenPaused(t),
    achievedAt: t.achievedAt,
    breachedAt: t.breachedAt,
    warnedAt: t.warnedAt,
    state: timerState(t, at),
  }
}

/** One ticket's clocks as the transaction changes them; `save` writes what changed. */
class TicketClocks {
  private readonly dirty = new Set<TimerRow>()
  constructor(
    private readonly trx: Transaction<DB>,
    readonly ticketId: number,
    readonly timers: TimerRow[],
  ) {}

  unachieved = (metric?: SlaMetric) => this.timers.filter((t) => t.achievedAt === null && (!metric || t.metric === metric))

  private change(t: TimerRow, patch: Partial<TimerRow>) {
    Object.assign(t, patch)
    this.dirty.add(t)
  }

  async start(policy: Policy, facts: SlaTicketFacts & { teamId: number | null }, metric: SlaMetric, at: number, paused: boolean) {
    const minutes = targetMinutes(policy, facts.priority, metric)
    if (minutes === null) return
    const targetMs = minutes * 60_000
    const base = {
      ticketId: this.ticketId,
      metric,
      policyId: policy.id,
      priority: facts.priority,
      teamId: facts.teamId,
      calendar: policy.calendar ? JSON.stringify(policy.calendar) : null,
      targetMs,
      warnMs: Math.round((targetMs * policy.warnPercent) / 100),
      startedAt: at,
      pausedMs: 0,
      pausedAt: paused ? at : null,
      achievedAt: null,
      breachedAt: null,
      warnedAt: null,
    }
    const timed = paused ? { dueAt: null, warnAt: null } : schedule({ ...base, id: 0, dueAt: null, warnAt: null })
    const row = await this.trx
      .insertInto('slaTimers')
      .values({ ...base, ...timed })
      .returningAll()
      .executeTakeFirstOrThrow()
    this.timers.push(row)
  }

  pause(t: TimerRow, at: number) {
    if (t.pausedAt !== null || t.achievedAt !== null || t.breachedAt !== null) return
    this.change(t, { pausedAt: at, dueAt: null, warnAt: null })
  }

  resume(t: TimerRow, at: number) {
    if (t.pausedAt === null) return
    const pausedMs = t.pausedMs + businessTimeBetween(calendarOf(t), t.pausedAt, at)
    this.change(t, { pausedMs, pausedAt: null })
    this.change(t, schedule(t))
  }

  achieve(t: TimerRow, at: number) {
    if (t.achievedAt !== null) return
    if (t.pausedAt !== null) this.resume(t, at)
    this.change(t, { achievedAt: at })
  }

  /** A solved ticket came back: its resolution clock runs on, the solved stretch counted as paused. */
  reopen(t: TimerRow, at: number) {
    if (t.achievedAt === null) return
    const pausedMs = t.pausedMs + businessTimeBetween(calendarOf(t), t.achievedAt, at)
    this.change(t, { pausedMs, achievedAt: null, pausedAt: null })
    this.change(t, schedule(t))
  }

  /** The ticket's priority or what picks its policy changed: running clocks take the new target. */
  retarget(t: TimerRow, policy: Policy, priority: string) {
    if (t.achievedAt !== null || (t.policyId === policy.id && t.priority === priority)) return
    const minutes = targetMinutes(policy, priority, t.metric as SlaMetric)
    if (minutes === null) return
    const targetMs = minutes * 60_000
    const calendar = policy.calendar ? JSON.stringify(policy.calendar) : null
    this.change(t, { policyId: policy.id, priority, calendar, targetMs, warnMs: Math.round((targetMs * policy.warnPercent) / 100) })
    if (t.pausedAt === null) this.change(t, schedule(t))
  }

  async save() {
    for (const t of this.dirty) {
      const { id, ...rest } = t
      await this.trx.updateTable('slaTimers').set(rest).where('id', '=', id).execute()
    }
    await writeNextDue(this.trx, this.ticketId, this.timers)
  }
}

/** Keeps the ticket's soonest running due time (the "breaches next" order) in step with its clocks. */
async function writeNextDue(db: Executor, ticketId: number, timers: TimerRow[]) {
  const dues = timers.filter((t) => t.achievedAt === null && t.dueAt !== null).map((t) => t.dueAt as number)
  if (!dues.length) {
    await db.deleteFrom('slaTicketDue').where('ticketId', '=', ticketId).execute()
    return
  }
  const dueAt = Math.min(...dues)
  await db
    .insertInto('slaTicketDue')
    .values({ ticketId, dueAt })
    .onConflict((oc) => oc.column('ticketId').doUpdateSet({ dueAt }))
    .execute()
}

/**
 * Keeps each touched ticket's SLA clocks in step with it, inside the transaction that changed it: a new ticket starts
 * first response and resolution; an agent's public reply meets the response clocks; a customer message starts next
 * response; pending / on hold pauses resolution and reopening resumes it; solving meets every clock. Priority, team,
 * inbox or tag changes move running clocks to the policy that now matches.
 */
export const maintainSlaTimers: TransactionalListener = async (ctx, trx, events, tx) => {
  const touched = new Map<number, { messages: ('customer' | 'reply')[] }>()
  const created = new Set<number>()
  for (const e of events) {
    if (!e.ticket || !TICKET_EVENTS.includes(e.name)) continue
    if (e.name === 'ticket.created') created.add(e.ticket.id)
    const entry = touched.get(e.ticket.id) ?? { messages: [] }
    touched.set(e.ticket.id, entry)
    const kind = e.payload.kind
    if (e.name === 'message.created' && (kind === 'customer' || kind === 'reply')) entry.messages.push(kind)
  }
  if (!touched.size) return
  const ids = [...touched.keys()]
  const policies = await loadActivePolicies(ctx, trx)
  // Without policies only running clocks can change (the common case of a workspace without SLAs: nothing to do), and
  // a ticket created in this transaction has none yet.
  if (!policies.length && ids.every((id) => created.has(id))) return
  const timers = await trx.selectFrom('slaTimers').selectAll().where('ticketId', 'in', ids).orderBy('id').execute()
  if (!policies.length && !timers.length) return
  const tickets = await trx
    .selectFrom('tickets')
    .select(['id', 'status', 'priority', 'inboxId', 'teamId', 'organizationId', 'createdAt', 'firstResponseAt'])
    .where('id', 'in', ids)
    .execute()
  // Created in this transaction: an import that writes tickets with past creation times starts no (long overdue) clocks.
  const isNew = (t: (typeof tickets)[number]) => t.createdAt >= tx.startedAt
  const relevant = tickets.filter((t) => isNew(t) || timers.some((r) => r.ticketId === t.id))
  if (!relevant.length) return
  const tags = await trx
    .selectFrom('ticketTags')
    .select(['ticketId', 'tag'])
    .where(
      'ticketId',
      'in',
      relevant.map((t) => t.id),
    )
    .execute()
  const at = now()
  for (const t of relevant) {
    const clocks = new TicketClocks(
      trx,
      t.id,
      timers.filter((r) => r.ticketId === t.id),
    )
    const facts = { ...t, tags: tags.filter((g) => g.ticketId === t.id).map((g) => g.tag) }
    const policy = pickPolicy(policies, facts)
    const paused = PAUSED_STATUSES.includes(t.status)
    if (!clocks.timers.length) {
      if (!policy) continue
      if (t.firstResponseAt === null) await clocks.start(policy, facts, 'first_response', t.createdAt, false)
      await clocks.start(policy, facts, 'resolution', t.createdAt, paused)
    } else if (policy) for (const r of clocks.unachieved()) clocks.retarget(r, policy, t.priority)
    for (const kind of touched.get(t.id)?.messages ?? []) {
      if (kind === 'reply') for (const r of [...clocks.unachieved('first_response'), ...clocks.unachieved('next_response')]) clocks.achieve(r, at)
      else if (!isNew(t) && policy && !clocks.unachieved('first_response').length && !clocks.unachieved('next_response').length)
        await clocks.start(policy, facts, 'next_response', at, false)
    }
    if (DONE_STATUSES.includes(t.status)) for (const r of clocks.unachieved()) clocks.achieve(r, at)
    else
      for (const r of clocks.timers.filter((x) => x.metric === 'resolution')) {
        if (r.achievedAt !== null) clocks.reopen(r, at)
        if (paused) clocks.pause(r, at)
        else clocks.resume(r, at)
      }
    await clocks.save()
  }
}
