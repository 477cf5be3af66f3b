import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('voice-of-customer demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 800, contacts: 200, longTickets: 0 })
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alex@demo.allhands.test', password: 'demo-password' } })
  const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')?.value}` }
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('fills the board across statuses with linked, quoted tickets', async () => {
    const board = await get('/voc/items?limit=50')
    expect(board.items).toHaveLength(8)
    expect(board.counts).toEqual({ new: 2, planned: 2, in_progress: 2, shipped: 1, declined: 1 })
    for (const item of board.items) expect(item.linkCount).toBeGreaterThan(0)
    const refunds = board.items.find((i: { title: string }) => i.title === 'Refunds take too long to show up')
    const detail = await get(`/voc/items/${refunds.id}`)
    expect(detail.links[0].quote.length).toBeGreaterThan(10)
    expect(detail.links[0].ticket.subject.toLowerCase()).toMatch(/refund/)
    expect(detail.history.map((h: { to: string }) => h.to)).toEqual(['in_progress', 'planned', 'new'])
  })

  it('has a shipped item with prepared close-the-loop replies and a few pending suggestions', async () => {
    const shipped = (await get('/voc/items?status=shipped')).items[0]
    const detail = await get(`/voc/items/${shipped.id}`)
    expect(detail.notifications.length).toBe(shipped.customerCount)
    expect(detail.notifications.every((n: { status: string; body: string }) => n.status === 'prepared' && n.body.includes(shipped.title))).toBe(true)
    const suggestions = await get('/voc/suggestions')
    expect(suggestions.items.length).toBeGreaterThan(0)
    expect(suggestions.items.some((s: { kind: string }) => s.kind === 'new_item')).toBe(true)
  })

  it('is not added twice', async () => {
    await seedDemoWorkspace(database, { tickets: 0, contacts: 0, longTickets: 0 })
    expect((await app.ctx.db.selectFrom('vocItems').select('id').execute()).length).toBe(8)
  })
})
