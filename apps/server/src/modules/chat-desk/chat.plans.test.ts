import type { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { activeChatCounts } from './agent-status.ts'

/**
 * The live-chat reads that run on every visitor frame, routing decision, invite check and list stay on
 * indexes however many chats and page views pile up (on PostgreSQL sequential scans are disabled for the check).
 */
describe('live chat hot queries use indexes', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const plan = (query: CompiledQuery) => queryPlan(app, query)
  const expectIndexed = (p: string, table: string, index: RegExp) => {
    if (TEST_DB === 'postgres') expect(p).not.toMatch(new RegExp(`Seq Scan on ${table}`))
    else expect(p).not.toMatch(new RegExp(`SCAN ${table}\\s*$`, 'm'))
    expect(p).toMatch(index)
  }

  it('a visitor token is found through its unique hash', async () => {
    const q = db.selectFrom('chatVisitors').selectAll().where('tokenHash', '=', 'x').compile()
    expectIndexed(await plan(q), 'chat_visitors', /chat_visitors_token_hash|sqlite_autoindex_chat_visitors/)
  })

  it('a resent widget message is recognised by its client id', async () => {
    const q = db.selectFrom('chatClientMessages').select('messageId').where('visitorId', '=', 1).where('clientId', '=', 'c-1').compile()
    expectIndexed(await plan(q), 'chat_client_messages', /chat_client_messages_pk|sqlite_autoindex_chat_client_messages/)
  })

  it('routing counts each agent’s active chats from the agent index', async () => {
    const q = db
      .selectFrom('chatConversations')
      .select(['agentId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('agentId', 'in', [1, 2, 3])
      .where('status', '=', 'active')
      .groupBy('agentId')
      .compile()
    expectIndexed(await plan(q), 'chat_conversations', /chat_conversations_by_agent/)
    expect(await activeChatCounts(db, [1, 2, 3])).toEqual(new Map())
  })

  it('the chats list reads one status newest first', async () => {
    const q = db.selectFrom('chatConversations').selectAll().where('status', '=', 'waiting').orderBy('startedAt', 'desc').limit(200).compile()
    expectIndexed(await plan(q), 'chat_conversations', /chat_conversations_by_status/)
  })

  it('a visitor’s open chat and invite cap are read from their indexes', async () => {
    const chatting = db.selectFrom('chatConversations').select('ticketId').where('visitorId', '=', 1).where('status', 'in', ['waiting', 'active']).compile()
    expectIndexed(await plan(chatting), 'chat_conversations', /chat_conversations_by_visitor/)
    const capped = db.selectFrom('chatInvites').select('id').where('visitorId', '=', 1).where('ruleId', '=', 2).where('createdAt', '>', 0).compile()
    expectIndexed(await plan(capped), 'chat_invites', /chat_invites_by_visitor/)
  })

  it('page views are paged by visitor and by contact', async () => {
    const byVisitor = db.selectFrom('chatPageViews').selectAll().where('visitorId', '=', 1).where('id', '<', 100).orderBy('id', 'desc').limit(50).compile()
    expectIndexed(await plan(byVisitor), 'chat_page_views', /chat_page_views_by_visitor/)
    const byContact = db.selectFrom('chatPageViews').selectAll().where('contactId', '=', 1).orderBy('id', 'desc').limit(50).compile()
    expectIndexed(await plan(byContact), 'chat_page_views', /chat_page_views_by_contact/)
  })
})
