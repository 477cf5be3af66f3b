import { type CompiledQuery, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { listDeliveryRowsQuery, purgeDeliveries } from './webhooks.queries.ts'

/**
 * A busy webhook logs thousands of deliveries a day: its log is paged, and old rows purged, through
 * webhook_deliveries_by_webhook (webhook_id, created_at, id), never by reading other webhooks' rows or sorting.
 */
describe('webhook delivery log queries use their index', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const t = 1_700_000_000_000
  const ids: number[] = []
  for (const url of ['https://a.example.com/', 'https://b.example.com/', 'https://c.example.com/']) {
    const row = await db
      .insertInto('webhooks')
      .values({ url, events: '["ticket.created"]', secret: 'whsec_x', createdById: null, createdAt: t, updatedAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  const rows = Array.from({ length: 3000 }, (_, i) => ({
    webhookId: ids[i % 3]!,
    messageId: `msg_${i}`,
    event: 'ticket.created',
    eventKey: `ticket.created:${i}`,
    refs: '{}',
    status: i % 7 ? 'delivered' : 'failed',
    createdAt: t + i,
  }))
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('webhookDeliveries')
      .values(rows.slice(i, i + 500))
      .execute()
  await sql.raw(TEST_DB === 'postgres' ? 'VACUUM ANALYZE webhook_deliveries' : 'ANALYZE').execute(db)
  const plan = (query: CompiledQuery) => queryPlan(app, query)
  const expectIndexed = (p: string) => {
    if (TEST_DB === 'postgres') expect(p).not.toMatch(/Seq Scan on webhook_deliveries/)
    else {
      expect(p).not.toMatch(/SCAN webhook_deliveries\s*$/m)
      expect(p).not.toMatch(/TEMP B-TREE/)
    }
    expect(p).toMatch(/webhook_deliveries_by_webhook/)
  }

  it.each([
    ['first page', undefined, null],
    ['a later page', undefined, [t + 2000, 2001] as [number, number]],
    ['failed only', 'failed' as const, [t + 2000, 2001] as [number, number]],
  ])('pages the log (%s) newest first in index order', async (_label, status, after) => {
    expectIndexed(await plan(listDeliveryRowsQuery(db, { webhookId: ids[0]!, status, after, limit: 25 }).compile()))
  })

  it('purges old deliveries of a webhook through the index', async () => {
    expectIndexed(await plan(purgeDeliveries(db, ids[1]!, t + 100).compile()))
  })
})
