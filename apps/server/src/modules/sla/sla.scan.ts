import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { addEventMessage } from '../tickets/messages.service.ts'

const BATCH = 200

/** Running clocks past their due (`breached`) or warning (`warned`) time: a range scan of a partial index each. */
export function timersPast(db: Executor, kind: 'breached' | 'warned', t: number) {
  const q = db
    .selectFrom('slaTimers')
    .innerJoin('tickets', 'tickets.id', 'slaTimers.ticketId')
    .select(['slaTimers.id', 'slaTimers.ticketId', 'slaTimers.metric', 'slaTimers.dueAt', 'slaTimers.policyId', 'tickets.teamId', 'tickets.assigneeId'])
    .where('slaTimers.achievedAt', 'is', null)
  return (
    kind === 'breached'
      ? q.where('slaTimers.breachedAt', 'is', null).where('slaTimers.dueAt', 'is not', null).where('slaTimers.dueAt', '<=', t).orderBy('slaTimers.dueAt')
      : q.where('slaTimers.warnedAt', 'is', null).where('slaTimers.warnAt', 'is not', null).where('slaTimers.warnAt', '<=', t).orderBy('slaTimers.warnAt')
  ).limit(BATCH)
}

/**
 * Marks running SLA clocks whose due or warning time has passed and tells everyone once: `sla.breached` /
 * `sla.warning` (payload {ticketId, metric, dueAt, policyId}) in the transaction that marks the clock, so webhooks and
 * automations hear each exactly once. A breach also adds a system line to the ticket's conversation (`sla_breached`
 * with the metric), once per clock, in the same transaction. Both reads are partial-index range scans over running
 * clocks only.
 */
export async function scanSlaTimers(ctx: Ctx): Promise<{ breached: number; warned: number }> {
  const counts = { breached: 0, warned: 0 }
  for (const kind of ['breached', 'warned'] as const) {
    for (;;) {
      const t = now()
      const rows = await timersPast(ctx.db, kind, t).execute()
      for (const r of rows) {
        const marked = await inTransaction(ctx, async (trx, emit) => {
          let u = trx.updateTable('slaTimers').where('id', '=', r.id).where('achievedAt', 'is', null)
          u =
            kind === 'breached'
              ? u
                  .set((eb) => ({ breachedAt: r.dueAt as number, warnedAt: eb.fn.coalesce('warnedAt', eb.val(r.dueAt as number)) }))
                  .where('breachedAt', 'is', null)
                  .where('dueAt', '=', r.dueAt as number)
              : u.set({ warnedAt: t }).where('warnedAt', 'is', null)
          const res = await u.executeTakeFirst()
          if (!Number(res.numUpdatedRows)) return false
          if (kind === 'breached')
            await addEventMessage(trx, r.ticketId, null, { type: 'sla_breached', metric: r.metric, dueAt: r.dueAt, policyId: r.policyId })
          emit({
            name: kind === 'breached' ? 'sla.breached' : 'sla.warning',
            ticket: { id: r.ticketId, teamId: r.teamId, assigneeId: r.assigneeId },
            payload: { ticketId: r.ticketId, metric: r.metric, dueAt: r.dueAt, policyId: r.policyId },
          })
          return true
        })
        if (marked) counts[kind]++
      }
      if (rows.length < BATCH) break
    }
  }
  return counts
}
