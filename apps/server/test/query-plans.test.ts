import type { TicketFilters } from '@allhands/contract'
import type { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Actor } from '../src/platform/actor.ts'
import { ticketSearchSql } from '../src/platform/search.ts'
import { applyTicketFilters } from '../src/modules/tickets/tickets.queries.ts'
import { buildTestApp, queryPlan, TEST_DB } from './helpers.ts'

/**
 * Hot queries must be answered from an index, whatever the data size: the inbox list for each filter
 * combination and full-text search. (On PostgreSQL sequential scans are disabled for the check, so the
 * planner shows whether a usable index exists even on a small test table.)
 */
describe('hot queries use indexes', async () => {
  const app = await buildTestApp()
  const actor: Actor = {
    id: 1,
    name: 'a',
    email: 'a@x.test',
    role: 'agent',
    teamIds: [1, 2],
    trustLevel: 'agent',
    clearance: 'high',
    certifiedCategoryIds: [],
    onShiftUntil: null,
    shiftReviewRequired: false,
  }

  const plan = (query: CompiledQuery) => queryPlan(app, query)

  const inboxFilters: [string, TicketFilters][] = [
    ['all open', { status: 'new,open' }],
    ['pending', { status: 'pending' }],
    ['mine', { assignee: 'me', status: 'new,open,pending,on_hold' }],
    ['unassigned', { assignee: 'none', status: 'new,open' }],
    ['team', { team: '2', status: 'open' }],
    ['my teams', { team: 'mine', status: 'pending' }],
    ['inbox', { inbox: 1, status: 'new,open' }],
    ['requester', { requester: 5 }],
    ['organization', { organization: 3 }],
    ['everything', {}],
  ]

  it.each(inboxFilters)('inbox list (%s) reads tickets through an index', async (_name, filters) => {
    const query = applyTicketFilters(app.ctx.db.selectFrom('tickets').select(['tickets.id', 'tickets.updatedAt']), app.ctx.dialect, actor, filters)
      .orderBy('tickets.updatedAt', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(51)
      .compile()
    const p = await plan(query)
    if (TEST_DB === 'postgres') {
      expect(p).not.toMatch(/Seq Scan on tickets/)
      expect(p).toMatch(/Index/)
    } else {
      expect(p).toMatch(/(SEARCH|SCAN) tickets USING (COVERING )?INDEX/)
      expect(p).not.toMatch(/SCAN tickets\s*$/m)
    }
  })

  it('search uses the full-text index', async () => {
    const query = ticketSearchSql(app.ctx.dialect, 'card declined', { limit: 50 })!.compile(app.ctx.db)
    const p = await plan(query)
    if (TEST_DB === 'postgres') expect(p).toMatch(/tickets_search/)
    else expect(p).toMatch(/SCAN tickets_fts VIRTUAL TABLE INDEX/)
    expect(p).not.toMatch(TEST_DB === 'postgres' ? /Seq Scan on tickets/ : /SCAN tickets\s*$/m)
  })
})
