import { JOB_PAYLOAD_PREVIEW_CHARS, type ListedJobStatus } from '@allhands/contract'
import { sql } from 'kysely'
import { cappedCountQuery } from '../../platform/capped-count.ts'
import type { Executor } from '../../platform/context.ts'

// Statuses are written into the SQL as literals so both planners match the partial `jobs_dead*` indexes.
const status = (s: ListedJobStatus) => sql.lit(s)

/**
 * The sort key of a listed status: dead jobs by when their last attempt failed (the partial jobs_dead indexes),
 * pending and running ones by run time (the queue's own (status, run_at) index).
 */
const sortColumnOf = (s: ListedJobStatus) => (s === 'dead' ? 'updatedAt' : 'runAt')

/**
 * The ids and sort keys of one page of jobs of a status, newest first by its sort key then id, after a (sortKey, id)
 * cursor. Ids first, rows after: reading only indexed columns lets SQLite walk the partial index in order instead of
 * sorting every dead row.
 */
export function listJobIdsQuery(db: Executor, q: { status: ListedJobStatus; name?: string; after: [number, number] | null; limit: number }) {
  const sortColumn = sortColumnOf(q.status)
  let query = db
    .selectFrom('jobs')
    .select(['id', `${sortColumn} as sortKey`])
    .where('status', '=', status(q.status))
  if (q.name) query = query.where('name', '=', q.name)
  if (q.after) {
    const [key, id] = q.after
    query = query.where((eb) => eb(eb.refTuple(sortColumn, 'id'), '<', eb.tuple(key, id)))
  }
  return query
    .orderBy(sortColumn, 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
}

/** The listed jobs' rows, with the payload cut to a preview (one more character tells whether it was cut). */
export async function findJobRows(db: Executor, ids: number[]) {
  if (!ids.length) return []
  return db
    .selectFrom('jobs')
    .select(['id', 'name', 'status', 'attempts', 'maxAttempts', 'lastError', 'runAt', 'createdAt', 'updatedAt'])
    .select(sql<string>`substr(payload, 1, ${sql.lit(JOB_PAYLOAD_PREVIEW_CHARS + 1)})`.as('payload'))
    .where('id', 'in', ids)
    .execute()
}
export type JobRow = Awaited<ReturnType<typeof findJobRows>>[number]

/** Jobs of a status counted up to `cap + 1` through the (status, run_at) index: a backlog may hold millions. */
export const countJobsQuery = (db: Executor, s: 'pending' | 'running', cap: number) =>
  cappedCountQuery(db, db.selectFrom('jobs').select('id').where('status', '=', status(s)), cap)

/** Dead jobs per kind, from the partial jobs_dead_by_name index (it holds no other rows). */
export const deadJobsByNameQuery = (db: Executor) =>
  db
    .selectFrom('jobs')
    .select(['name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', status('dead'))
    .groupBy('name')

export async function findJobRow(db: Executor, id: number) {
  return db.selectFrom('jobs').select(['id', 'name', 'status', 'attempts', 'lastError', 'payload']).where('id', '=', id).executeTakeFirst()
}

/** Puts dead jobs back in the queue from scratch: due now, attempts reset. Their last error stays until the next run. */
export function requeueDeadJobs(db: Executor, t: number, where: { id?: number; name?: string }) {
  let q = db
    .updateTable('jobs')
    .set({ status: 'pending', attempts: 0, runAt: t, lockedUntil: null, lockedBy: null, updatedAt: t })
    .where('status', '=', status('dead'))
  if (where.id !== undefined) q = q.where('id', '=', where.id)
  if (where.name !== undefined) q = q.where('name', '=', where.name)
  return q
}

export const deleteDeadJob = (db: Executor, id: number) => db.deleteFrom('jobs').where('id', '=', id).where('status', '=', status('dead'))
