import type { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { offerableTickets } from './queue.service.ts'

/**
 * The reads that run on every customer message and every queue view stay on indexes however many
 * tickets there are (on PostgreSQL sequential scans are disabled for the check, as in test/query-plans).
 */
describe('safe-routing hot queries use indexes', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db

  const plan = (query: CompiledQuery) => queryPlan(app, query)
  const expectIndexed = (p: string, table: string, index: RegExp) => {
    if (TEST_DB === 'postgres') expect(p).not.toMatch(new RegExp(`Seq Scan on ${table}`))
    else expect(p).not.toMatch(new RegExp(`SCAN ${table}\\s*$`, 'm'))
    expect(p).toMatch(index)
  }

  it('the queue reads unassigned waiting tickets through tickets_queue', async () => {
    const contributor = { role: 'contributor' as const, clearance: 'medium' as const, certifiedCategoryIds: [1, 2] }
    expectIndexed(await plan(offerableTickets(db, contributor, 50, [7]).compile()), 'tickets', /tickets_queue/)
  })

  it('repeat-contact counts read the requester indexes', async () => {
    const since = Date.now() - 86_400_000
    const tickets = db
      .selectFrom('tickets')
      .select(['requesterId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('requesterId', 'in', [1, 2])
      .where('createdAt', '>=', since)
      .groupBy('requesterId')
      .compile()
    expectIndexed(await plan(tickets), 'tickets', /tickets_requester/)
    const messages = db
      .selectFrom('messages')
      .select(['authorContactId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('authorContactId', 'in', [1, 2])
      .where('createdAt', '>=', since)
      .groupBy('authorContactId')
      .compile()
    expectIndexed(await plan(messages), 'messages', /messages_by_author_contact/)
  })

  it('a rule’s matches are read newest first from their index', async () => {
    const q = db
      .selectFrom('riskRuleMatches')
      .select(['ticketId', 'matchedAt'])
      .where('ruleId', '=', 1)
      .orderBy('matchedAt', 'desc')
      .orderBy('ticketId', 'desc')
      .limit(51)
      .compile()
    expectIndexed(await plan(q), 'risk_rule_matches', /risk_rule_matches_by_rule/)
  })
})
