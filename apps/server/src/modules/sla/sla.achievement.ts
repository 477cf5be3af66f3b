import { SLA_METRICS, type ReportSlaDto } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'

type Scope = { kind: 'all' | 'inbox' | 'team'; id: number | null }
type Row = ReportSlaDto['rows'][number]

/**
 * Met and breached SLA clocks whose outcome fell in [from, to] (epoch ms), per metric, priority and team, narrowed to
 * the scope: a team scope by the clock's team, an inbox scope by its ticket's inbox. A clock that breached counts as
 * breached even if met later. Each read is a range scan of the partial index on `breached_at` / `achieved_at`.
 */
export async function slaAchievement(db: Executor, from: number, to: number, scope: Scope): Promise<Pick<ReportSlaDto, 'totals' | 'rows'>> {
  const outcome = (column: 'breachedAt' | 'achievedAt') => {
    let q = db
      .selectFrom('slaTimers')
      .select(['slaTimers.metric', 'slaTimers.priority', 'slaTimers.teamId', (eb) => eb.fn.countAll<number>().as('n')])
      .where(`slaTimers.${column}`, '>=', from)
      .where(`slaTimers.${column}`, '<=', to)
      .groupBy(['slaTimers.metric', 'slaTimers.priority', 'slaTimers.teamId'])
    if (column === 'achievedAt') q = q.where('slaTimers.breachedAt', 'is', null)
    if (scope.kind === 'team') q = q.where('slaTimers.teamId', '=', scope.id)
    if (scope.kind === 'inbox') q = q.innerJoin('tickets', 'tickets.id', 'slaTimers.ticketId').where('tickets.inboxId', '=', scope.id!)
    return q.execute()
  }
  const [breached, achieved] = await Promise.all([outcome('breachedAt'), outcome('achievedAt')])
  const rows = new Map<string, Row>()
  const rowOf = (r: { metric: string; priority: string; teamId: number | null }) => {
    const key = `${r.metric}|${r.priority}|${r.teamId}`
    let row = rows.get(key)
    if (!row) {
      row = { metric: r.metric as Row['metric'], priority: r.priority as Row['priority'], teamId: r.teamId, achieved: 0, breached: 0 }
      rows.set(key, row)
    }
    return row
  }
  for (const r of breached) rowOf(r).breached += Number(r.n)
  for (const r of achieved) rowOf(r).achieved += Number(r.n)
  const list = [...rows.values()].sort((a, b) => a.metric.localeCompare(b.metric) || a.priority.localeCompare(b.priority) || (a.teamId ?? 0) - (b.teamId ?? 0))
  const totals = SLA_METRICS.map((metric) => {
    const mine = list.filter((r) => r.metric === metric)
    const met = mine.reduce((s, r) => s + r.achieved, 0)
    const missed = mine.reduce((s, r) => s + r.breached, 0)
    return { metric, achieved: met, breached: missed, rate: met + missed ? met / (met + missed) : null }
  })
  return { totals, rows: list }
}
