import type { LiveDashboardDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('live dashboard on the demo workspace', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 60, contacts: 50, longTickets: 0 })
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alex@demo.allhands.test', password: 'demo-password' } })
  const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')?.value}` }

  it('has something in every panel: open tickets, waiting customers, held replies, an overdue consult, someone on shift', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/reports/live', headers })
    expect(res.statusCode).toBe(200)
    const body = res.json() as LiveDashboardDto
    expect(body.openByStatus.reduce((a, s) => a + s.count, 0)).toBeGreaterThan(0)
    expect(body.waiting.length).toBeGreaterThan(0)
    expect(body.waitingTotal).toBeGreaterThanOrEqual(body.waiting.length)
    expect(body.inReview.length).toBeGreaterThan(0)
    expect(body.consultsOverdue.length).toBeGreaterThan(0)
    expect(body.onShift.length).toBeGreaterThan(0)
  })
})
