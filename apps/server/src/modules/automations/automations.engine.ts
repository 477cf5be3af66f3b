import type { AutomationAction, AutomationConditions, AutomationTimeAnchor, AutomationTrigger } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { applyActions, type Origin } from './automations.actions.ts'
import { type Facts, matches, requiredStatuses } from './automations.conditions.ts'
import { type EventContext, loadFacts } from './automations.facts.ts'

/** Rule firings allowed per ticket per hour; past it automations leave the ticket alone (stops ping-pong between rules). */
export const CAP_PER_TICKET_PER_HOUR = 10
const HOUR = 3_600_000
/** Candidates one time rule looks at per scheduler run: a run stays short at any size; the cursor resumes next run. */
export const TIME_SCAN_BATCH = 500

/** The realtime room of Settings → Automations (admins only). */
export const AUTOMATIONS_ROOM = 'automations'

export type EventTrigger = Exclude<AutomationTrigger, 'time'>
export type LoadedRule = {
  id: number
  name: string
  trigger: AutomationTrigger
  schedule: { anchor: AutomationTimeAnchor; hours: number } | null
  conditions: AutomationConditions
  actions: AutomationAction[]
  scanAt: number
  scanId: number
}

/** One event for the rules: which ticket, what happened, and the rules whose changes caused it. */
export type AutomationEvent = {
  ticketId: number
  trigger: EventTrigger
  eventKey: string
  chain: number[]
  messageId?: number
  sla?: { metric: string }
}

/** The enabled rules of a trigger in run order. */
export async function enabledRules(db: Executor, trigger: AutomationTrigger): Promise<LoadedRule[]> {
  const rows = await db
    .selectFrom('automations')
    .select(['id', 'name', 'trigger', 'schedule', 'conditions', 'actions', 'scanAt', 'scanId'])
    .where('trigger', '=', trigger)
    .where('enabled', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    trigger: r.trigger as AutomationTrigger,
    schedule: readJson(r.schedule, null),
    conditions: readJson<AutomationConditions>(r.conditions, { all: [] }),
    actions: readJson<AutomationAction[]>(r.actions, []),
    scanAt: Number(r.scanAt),
    scanId: r.scanId,
  }))
}

async function firingsInLastHour(db: Executor, ticketIds: number[]): Promise<Map<number, number>> {
  if (!ticketIds.length) return new Map()
  const rows = await db
    .selectFrom('automationFirings')
    .select(['ticketId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('ticketId', 'in', ticketIds)
    .where('firedAt', '>', now() - HOUR)
    .groupBy('ticketId')
    .execute()
  return new Map(rows.map((r) => [r.ticketId, Number(r.n)]))
}

/**
 * Fires one rule on one ticket: at most once per (rule, ticket, event key), counted only when it did something
 * (a rule that matches but finds its work already done leaves no firing, so it does not use up the cap).
 */
async function fire(trx: Transaction<DB>, ctx: Ctx, emit: (e: DomainEvent) => void, rule: LoadedRule, facts: Facts, origin: Origin): Promise<boolean> {
  const t = now()
  const res = await trx
    .insertInto('automationFirings')
    .values({ automationId: rule.id, ticketId: facts.ticket.id, eventKey: origin.eventKey, firedAt: t })
    .onConflict((oc) => oc.columns(['automationId', 'ticketId', 'eventKey']).doNothing())
    .executeTakeFirst()
  if (!Number(res.numInsertedOrUpdatedRows ?? 0)) return false
  const did = await applyActions(trx, ctx, emit, rule, facts, origin)
  if (!did) {
    await trx
      .deleteFrom('automationFirings')
      .where('automationId', '=', rule.id)
      .where('ticketId', '=', facts.ticket.id)
      .where('eventKey', '=', origin.eventKey)
      .execute()
    return false
  }
  await trx
    .updateTable('automations')
    .set((eb) => ({ runCount: eb('runCount', '+', 1), lastFiredAt: t }))
    .where('id', '=', rule.id)
    .execute()
  // Settings → Automations refreshes its run counts from this (admins' `automations` room).
  emit({ name: 'automation.applied', room: AUTOMATIONS_ROOM, payload: { ruleId: rule.id, ticketId: facts.ticket.id } })
  return true
}

/** Runs the enabled rules of an event's trigger, in order, on its ticket: one transaction, facts loaded once. */
export async function runEventAutomations(ctx: Ctx, ev: AutomationEvent): Promise<{ fired: number[] }> {
  const fired: number[] = []
  await inTransaction(ctx, async (trx, emit) => {
    const rules = (await enabledRules(trx, ev.trigger)).filter((r) => !ev.chain.includes(r.id))
    if (!rules.length) return
    const context: EventContext =
      ev.trigger === 'ticket.created'
        ? { openingMessage: true }
        : ev.trigger === 'message.created'
          ? { messageId: ev.messageId ?? null }
          : ev.trigger === 'csat.rated'
            ? { csat: true }
            : ev.trigger === 'sla.warning' || ev.trigger === 'sla.breached'
              ? { sla: ev.sla ?? { metric: '' } }
              : {}
    const facts = (await loadFacts(trx, [ev.ticketId], context)).get(ev.ticketId)
    if (!facts) return
    let budget = CAP_PER_TICKET_PER_HOUR - ((await firingsInLastHour(trx, [ev.ticketId])).get(ev.ticketId) ?? 0)
    for (const rule of rules) {
      if (budget <= 0) break
      if (!matches(rule.conditions, facts)) continue
      if (await fire(trx, ctx, emit, rule, facts, { chain: [...ev.chain, rule.id], eventKey: ev.eventKey, trigger: ev.trigger })) {
        fired.push(rule.id)
        budget--
      }
    }
  })
  return { fired }
}

const ANCHOR_COLUMN = { updated: 'updatedAt', created: 'createdAt', solved: 'solvedAt' } as const

/**
 * The next batch of a time rule's candidates: tickets whose anchor time is past the delay, in (anchor, id) order after
 * the rule's cursor. Index range scans only: (status, updated_at, id) per required status, (updated_at, id),
 * (created_at, id) or (solved_at, id).
 */
export async function timeRuleCandidates(db: Executor, rule: LoadedRule, batch = TIME_SCAN_BATCH): Promise<{ id: number; anchor: number }[]> {
  if (!rule.schedule) return []
  const col = ANCHOR_COLUMN[rule.schedule.anchor]
  const cutoff = now() - rule.schedule.hours * HOUR
  // Only the `updated` anchor has an index led by status, (status, updated_at, id); for the others a status filter in
  // SQL makes the planner pick a status index and sort, so their statuses are checked with the other conditions.
  const statuses = rule.schedule.anchor === 'updated' ? requiredStatuses(rule.conditions) : null
  const query = async (status: string | null) => {
    let q = db
      .selectFrom('tickets')
      .select(['id', `${col} as anchor`])
      .where(col, '<=', cutoff)
      .where((eb) => eb(eb.refTuple(col, 'id'), '>', eb.tuple(rule.scanAt, rule.scanId)))
    if (status) q = q.where('status', '=', status)
    return (await q.orderBy(col).orderBy('id').limit(batch).execute()).map((r) => ({ id: r.id, anchor: Number(r.anchor) }))
  }
  // One range scan per status (an IN list would make the planner sort), merged: the first `batch` overall.
  if (!statuses?.length) return query(null)
  const all: { id: number; anchor: number }[] = []
  for (const status of statuses) all.push(...(await query(status)))
  return all.sort((x, y) => x.anchor - y.anchor || x.id - y.id).slice(0, batch)
}

/**
 * One pass of one time rule: the next batch of candidates, each fired at most once per anchor value. A ticket changed
 * later gets a new anchor and is looked at again.
 */
export async function scanTimeRule(ctx: Ctx, rule: LoadedRule, batch = TIME_SCAN_BATCH): Promise<{ scanned: number; fired: number }> {
  if (!rule.schedule) return { scanned: 0, fired: 0 }
  const candidates = await timeRuleCandidates(ctx.db, rule, batch)
  if (!candidates.length) return { scanned: 0, fired: 0 }
  let fired = 0
  await inTransaction(ctx, async (trx, emit) => {
    const ids = candidates.map((c) => c.id)
    const facts = await loadFacts(trx, ids, {})
    const recent = await firingsInLastHour(trx, ids)
    for (const c of candidates) {
      const f = facts.get(c.id)
      if (!f || (recent.get(c.id) ?? 0) >= CAP_PER_TICKET_PER_HOUR || !matches(rule.conditions, f)) continue
      if (await fire(trx, ctx, emit, rule, f, { chain: [rule.id], eventKey: `time:${rule.schedule!.anchor}:${c.anchor}`, trigger: 'time' })) fired++
    }
    const last = candidates[candidates.length - 1]!
    await trx.updateTable('automations').set({ scanAt: last.anchor, scanId: last.id }).where('id', '=', rule.id).execute()
  })
  return { scanned: candidates.length, fired }
}

/** Every enabled time rule, one batch each. */
export async function scanTimeRules(ctx: Ctx, batch = TIME_SCAN_BATCH): Promise<{ scanned: number; fired: number }> {
  let scanned = 0
  let fired = 0
  for (const rule of await enabledRules(ctx.db, 'time')) {
    const r = await scanTimeRule(ctx, rule, batch)
    scanned += r.scanned
    fired += r.fired
  }
  return { scanned, fired }
}
