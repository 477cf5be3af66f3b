import type { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { countStatusQuery, longestWaitingQuery, overdueConsultsQuery } from './live-dashboard.queries.ts'

/**
 * The live dashboard must stay bounded at a million tickets: every read starts from an index (on
 * PostgreSQL sequential scans are disabled for the check, so the planner shows whether one exists).
 */
describe('live dashboard queries use indexes', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db

  const plan = (query: CompiledQuery) => queryPlan(app, query)
  const noFullScan = (p: string, table: string) =>
    expect(p).not.toMatch(TEST_DB === 'postgres' ? new RegExp(`Seq Scan on ${table}\\b`) : new RegExp(`SCAN ${table}(\\s|$)(?!USING)`, 'm'))

  it('counts a status through the status index', async () => {
    const p = await plan(countStatusQuery(db, 'open', 10_000).compile())
    noFullScan(p, 'tickets')
    expect(p).toMatch(TEST_DB === 'postgres' ? /Index/ : /tickets USING (COVERING )?INDEX/)
  })

  it('finds the customers waiting longest through the open-cycle waiting index of the report facts', async () => {
    const p = await plan(longestWaitingQuery(db, 10).compile())
    noFullScan(p, 'rc')
    noFullScan(p, 'report_cycles')
    noFullScan(p, 't')
    noFullScan(p, 'tickets')
    expect(p).toMatch(/report_cycles_waiting\b/)
    // Read in index order: no sort of the whole backlog. (PostgreSQL's planner, facing an empty table here, may
    // prefer to sort the two rows it expects; at a million tickets it walks the index: 3 ms in the bench.)
    if (TEST_DB === 'sqlite') expect(p).not.toMatch(/TEMP B-TREE/)
  })

  it('finds overdue consults through the rank index', async () => {
    const p = await plan(overdueConsultsQuery(db, Date.now(), 10).compile())
    noFullScan(p, 'c')
    noFullScan(p, 'consults')
    expect(p).toMatch(/consults_by_rank/)
  })
})
