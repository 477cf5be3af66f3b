import { sql } from 'kysely'
import type { Executor } from '../../platform/context.ts'
import { ROLLUP_COLUMNS, type RollupVector, vectorOf } from './reports.metrics.ts'
import { countUpTo } from '../../platform/capped-count.ts'

/**
 * Reads of the rollups: always one scope and one dimension over a bounded day range, through the
 * (scope, dim, day, key) primary key. Plus the bounded index counts of open cycles waiting for a reply.
 */

export interface DayRange {
  fromDay: number
  toDay: number
}

const sums = ROLLUP_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c))

/** One summed vector per key of the dimension over the range. */
export async function sumByKey(db: Executor, scope: string, dim: string, range: DayRange): Promise<Map<string, RollupVector>> {
  const rows = await db
    .selectFrom('reportRollups')
    .select(['key', ...sums])
    .where('scope', '=', scope)
    .where('dim', '=', dim)
    .where('day', '>=', range.fromDay)
    .where('day', '<=', range.toDay)
    .groupBy('key')
    .execute()
  return new Map(rows.map((r) => [r.key, vectorOf(r)]))
}

/** The scope's totals per day over the range (days without activity are absent). */
export async function totalsByDay(db: Executor, scope: string, range: DayRange): Promise<Map<number, RollupVector>> {
  const rows = await db
    .selectFrom('reportRollups')
    .select(['day', ...ROLLUP_COLUMNS])
    .where('scope', '=', scope)
    .where('dim', '=', 'total')
    .where('key', '=', '')
    .where('day', '>=', range.fromDay)
    .where('day', '<=', range.toDay)
    .execute()
  return new Map(rows.map((r) => [Number(r.day), vectorOf(r)]))
}

/** Unsolved cycles at the end of `beforeDay - 1`: the running sum of backlog deltas (one row per active day). */
export async function backlogBefore(db: Executor, scope: string, beforeDay: number): Promise<number> {
  const row = await db
    .selectFrom('reportRollups')
    .select(sql<number>`sum(backlog)`.as('n'))
    .where('scope', '=', scope)
    .where('dim', '=', 'total')
    .where('day', '<', beforeDay)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Counts of customers waiting stop here (shown as "10,000+"): a count past it would walk the whole backlog. */
export const WAITING_CAP = 10_000

/** Open cycles whose customer has waited since before `since`, counted up to `cap + 1` along one index range. */
export async function countWaiting(
  db: Executor,
  scope: { kind: 'all' | 'inbox' | 'team'; id: number | null },
  since: number,
  cap = WAITING_CAP,
): Promise<number> {
  let q = db.selectFrom('reportCycles').select('ticketId').where('isOpen', '=', 1).where('waitingSince', '<', since)
  if (scope.kind === 'inbox') q = q.where('inboxId', '=', scope.id!)
  if (scope.kind === 'team') q = q.where('teamId', '=', scope.id!)
  return countUpTo(db, q, cap)
}

export async function labelsOf(db: Executor, by: 'person' | 'team' | 'inbox' | 'category', ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map()
  const table = ({ person: 'users', team: 'teams', inbox: 'inboxes', category: 'categories' } as const)[by]
  const rows = await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export async function scopeTargetExists(db: Executor, kind: 'inbox' | 'team', id: number): Promise<boolean> {
  const row = await db
    .selectFrom(kind === 'inbox' ? 'inboxes' : 'teams')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return !!row
}
