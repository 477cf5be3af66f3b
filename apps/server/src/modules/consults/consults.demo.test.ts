import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('consults demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 60, contacts: 50, longTickets: 0 })
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alex@demo.allhands.test', password: 'demo-password' } })
  const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')?.value}` }

  it('has consults to Engineering and Billing, answered by contributors, one overdue first in the list', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/consults', headers })
    expect(res.statusCode).toBe(200)
    const items = res.json().items as { team: { name: string } | null; overdue: boolean; status: string; assignee: { name: string } | null }[]
    expect(items).toHaveLength(5)
    expect(items[0]).toMatchObject({ overdue: true, team: { name: 'Engineering' } })
    expect(items.filter((c) => c.overdue)).toHaveLength(1)
    expect(new Set(items.map((c) => c.team?.name).filter(Boolean))).toEqual(new Set(['Engineering', 'Billing']))
    expect(items.map((c) => c.status).sort()).toEqual(['answered', 'open', 'open', 'open', 'resolved'])
    const experts = (await app.inject({ method: 'GET', url: '/api/v1/expertise?q=overdraft%20fee', headers })).json().items
    expect(experts[0].user.name).toBe('Ravi Patel')
  })

  it('is not added twice', async () => {
    await seedDemoWorkspace(database, { tickets: 0, contacts: 0, longTickets: 0 })
    expect((await app.ctx.db.selectFrom('consults').select('id').execute()).length).toBe(5)
  })
})
