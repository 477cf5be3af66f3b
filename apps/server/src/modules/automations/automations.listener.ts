import { randomBytes } from 'node:crypto'
import { cachedValue } from '../../platform/cache.ts'
import type { Ctx, TransactionalListener } from '../../platform/context.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import type { AutomationEvent, EventTrigger } from './automations.engine.ts'
import { runAutomationsJob } from './jobs/run-automations.ts'

const chainOf = (e: DomainEvent): number[] => (Array.isArray(e.payload.automationChain) ? (e.payload.automationChain as number[]) : [])
const newKey = (what: string) => `${what}:${randomBytes(6).toString('hex')}`

/** The automation events a transaction's domain events amount to, one per ticket and trigger (per message). */
export function automationEventsOf(events: readonly DomainEvent[], wanted: ReadonlySet<string>): AutomationEvent[] {
  const byTicket = new Map<number, DomainEvent[]>()
  for (const e of events) {
    if (!e.ticket) continue
    const list = byTicket.get(e.ticket.id) ?? []
    list.push(e)
    byTicket.set(e.ticket.id, list)
  }
  const out: AutomationEvent[] = []
  for (const [ticketId, list] of byTicket) {
    const chain = [...new Set(list.flatMap(chainOf))]
    const add = (trigger: EventTrigger, extra: Partial<AutomationEvent> = {}) => {
      if (wanted.has(trigger)) out.push({ ticketId, trigger, chain, eventKey: newKey(`${trigger}:${ticketId}`), ...extra })
    }
    // A new ticket is one event, whatever else its transaction did (opening message, auto-assignment…).
    if (list.some((e) => e.name === 'ticket.created')) {
      add('ticket.created')
      continue
    }
    for (const e of list) {
      if (e.name === 'message.created' && typeof e.payload.messageId === 'number') add('message.created', { messageId: e.payload.messageId })
      if (e.name === 'sla.warning' || e.name === 'sla.breached') add(e.name, { sla: { metric: String(e.payload.metric ?? '') } })
    }
    if (list.some((e) => e.name === 'ticket.updated' && e.payload.csat === true)) add('csat.rated')
    if (list.some((e) => e.name === 'ticket.updated' && e.payload.csat !== true)) add('ticket.updated')
  }
  return out
}

const LISTENED = new Set(['ticket.created', 'ticket.updated', 'message.created', 'sla.warning', 'sla.breached'])

/**
 * The outbox side: inside the transaction that made a change, queue one job per automation event that some
 * enabled rule listens for. The job runs the rules after commit, off the request path, exactly once.
 */
export const queueAutomationEvents: TransactionalListener = async (ctx, trx, events) => {
  if (!events.some((e) => e.ticket && LISTENED.has(e.name))) return
  const wanted = await eventTriggers.get(ctx, async () => {
    const rows = await trx.selectFrom('automations').select('trigger').distinct().where('enabled', '=', 1).where('trigger', '!=', 'time').execute()
    return new Set(rows.map((r) => r.trigger))
  })
  if (!wanted.size) return
  for (const ev of automationEventsOf(events, wanted)) await enqueueJob(trx, runAutomationsJob, ev)
}

/** The triggers enabled rules listen for, read on every ticket change: cached per app, dropped when rules change. */
const eventTriggers = cachedValue<ReadonlySet<string>>('automation-triggers', { ttlMs: 60_000 })

/** Call after committing a change to automation rules (created, edited, enabled or disabled, deleted). */
export const automationTriggersChanged = (ctx: Ctx) => eventTriggers.invalidate(ctx)
