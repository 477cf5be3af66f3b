import { type CompiledQuery, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { countJobsQuery, deadJobsByNameQuery, listJobIdsQuery, requeueDeadJobs } from './background-jobs.queries.ts'

/**
 * The jobs table holds every finished job for days (a million rows on a busy desk): the admin view reads dead jobs
 * from their partial indexes and the queue's counts from its (status, run_at) index, never the whole table (on
 * PostgreSQL sequential scans are disabled for the check, so the planner shows whether a usable index exists).
 * The table is filled with finished jobs and a pile of dead ones (an outage) and analyzed first: with no statistics
 * SQLite assumes any status is rare and may read the dead rows through (status, run_at) and sort them instead.
 */
describe('background jobs queries use indexes', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const plan = (query: CompiledQuery) => queryPlan(app, query)
  const rows = Array.from({ length: 5000 }, (_, i) => {
    const status = i % 10 === 0 ? 'dead' : i % 100 === 1 ? 'pending' : 'done'
    return { name: i % 3 ? 'send-email' : 'drain-report-queue', payload: '{}', status, attempts: 1, maxAttempts: 3, runAt: i, createdAt: i, updatedAt: i }
  })
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('jobs')
      .values(rows.slice(i, i + 500))
      .execute()
  await sql.raw(TEST_DB === 'postgres' ? 'VACUUM ANALYZE jobs' : 'ANALYZE').execute(db)
  const expectIndexed = (p: string, index: RegExp) => {
    if (TEST_DB === 'postgres') expect(p).not.toMatch(/Seq Scan on jobs/)
    else expect(p).not.toMatch(/SCAN jobs\s*$/m)
    expect(p).toMatch(index)
  }

  it.each([
    ['all kinds', undefined],
    ['one kind', 'send-email'],
  ])('dead jobs (%s) are paged from a partial dead index in order', async (_label, name) => {
    for (const after of [null, [1_700_000_000_000, 50] as [number, number]]) {
      const p = await plan(listJobIdsQuery(db, { status: 'dead', name, after, limit: 50 }).compile())
      expectIndexed(p, name ? /jobs_dead_by_name/ : /jobs_dead\b/)
      if (TEST_DB === 'sqlite') expect(p).not.toMatch(/TEMP B-TREE/)
    }
  })

  it.each(['pending', 'running'] as const)('%s jobs are paged and counted through the queue index', async (status) => {
    expectIndexed(await plan(listJobIdsQuery(db, { status, after: [1_700_000_000_000, 50], limit: 50 }).compile()), /jobs_due/)
    expectIndexed(await plan(countJobsQuery(db, status, 10_000).compile()), /jobs_due/)
  })

  it('dead jobs are counted by kind from the partial index and requeued through an index', async () => {
    expectIndexed(await plan(deadJobsByNameQuery(db).compile()), /jobs_dead_by_name/)
    // Requeueing reads the dead rows through either index on status; it never scans the finished ones.
    for (const where of [{ name: 'send-email' }, {}]) expectIndexed(await plan(requeueDeadJobs(db, 0, where).compile()), /jobs_dead|jobs_due/)
  })
})
