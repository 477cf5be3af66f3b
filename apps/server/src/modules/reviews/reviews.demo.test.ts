import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'
import { DEMO_REVIEWS } from './reviews.demo.ts'

describe('reviews demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 200, contacts: 60, longTickets: 0 })
  const login = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'demo-password' } })
    return { cookie: `allhands_session=${res.cookies.find((c) => c.name === 'allhands_session')?.value}` }
  }

  it('has pending, approved (one edited) and rejected held replies, one overdue', async () => {
    const alex = await login('alex@demo.allhands.test')
    const queue = (await app.inject({ method: 'GET', url: '/api/v1/reviews', headers: alex })).json().items as {
      status: string
      overdue: boolean
      diff?: unknown
      editRatio: number | null
      messageId: number | null
      feedback: string | null
      id: number
      text: string
    }[]
    // Other demo features hold replies too; these are the ones this module adds.
    const ours = queue.filter((r) => DEMO_REVIEWS.some((d) => d.draft === r.text))
    expect(ours).toHaveLength(DEMO_REVIEWS.length)
    const byStatus = (s: string) => ours.filter((r) => r.status === s)
    expect(byStatus('pending')).toHaveLength(3)
    expect(byStatus('pending').filter((r) => r.overdue)).toHaveLength(1)
    expect(byStatus('approved')).toHaveLength(3)
    expect(byStatus('approved').every((r) => r.messageId !== null)).toBe(true)
    expect(byStatus('approved').some((r) => (r.editRatio ?? 0) > 0)).toBe(true)
    expect(byStatus('rejected')[0]?.feedback).toMatch(/acknowledging/)
    const edited = byStatus('approved').find((r) => (r.editRatio ?? 0) > 0)!
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/reviews/${edited.id}`, headers: alex })).json()
    expect(detail.diff).toEqual(expect.arrayContaining([{ op: 'insert', text: expect.stringContaining('its') }]))
    const hannah = await login('hannah@demo.allhands.test')
    const summary = (await app.inject({ method: 'GET', url: '/api/v1/reviews/summary', headers: hannah })).json()
    expect(summary.mine.approved).toBeGreaterThanOrEqual(1)
    expect(summary.promotion).toMatchObject({ required: 10 })
    expect(summary.promotion.approvals).toBeGreaterThanOrEqual(2)
  })

  it('is not added twice', async () => {
    const before = (await app.ctx.db.selectFrom('replyReviews').select('id').execute()).length
    await seedDemoWorkspace(database, { tickets: 0, contacts: 0, longTickets: 0 })
    expect((await app.ctx.db.selectFrom('replyReviews').select('id').execute()).length).toBe(before)
  })
})
