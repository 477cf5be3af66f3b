import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('surveys demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 300, contacts: 120, longTickets: 0 })
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alex@demo.allhands.test', password: 'demo-password' } })
  const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')?.value}` }
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers })
    expect(res.statusCode).toBe(200)
    return res.json()
  }

  it('rates most solved tickets, mostly good, with a few bad ones explained', async () => {
    const summary = await get('/api/v1/surveys/csat/summary?from=0')
    expect(summary.sent).toBeGreaterThan(50)
    expect(summary.responseRate).toBeGreaterThan(0.45)
    expect(summary.responseRate).toBeLessThan(0.75)
    expect(summary.csat).toBeGreaterThan(0.6)
    expect(summary.bad).toBeGreaterThan(0)
    const bad = (await get('/api/v1/surveys/csat/responses?rating=bad&limit=200')).items as { comment: string | null }[]
    expect(bad.filter((r) => r.comment).length).toBeGreaterThan(bad.length / 2)
  })

  it('has the redesign survey with answers, its template, and purchase reasons on contacts', async () => {
    const surveys = (await get('/api/v1/surveys')).items as { id: number; title: string; status: string; responseCount: number }[]
    const redesign = surveys.find((s) => s.title === 'Help us redesign our products')!
    expect(redesign).toMatchObject({ status: 'open' })
    expect(redesign.responseCount).toBeGreaterThan(10)
    expect(surveys.find((s) => s.title.endsWith('(template)'))).toMatchObject({ status: 'draft', responseCount: 0 })
    const results = await get(`/api/v1/surveys/${redesign.id}/results`)
    expect(results.questions[0].average).toBeGreaterThan(3)
    const purchase = await get('/api/v1/surveys/purchase-reason/summary')
    expect(purchase.responses).toBeGreaterThan(10)
    const contact = purchase.latest[0].contact.id
    expect((await get(`/api/v1/contacts/${contact}/purchase-reasons`)).items.length).toBeGreaterThan(0)
  })

  it('is not added twice and never mails demo customers', async () => {
    const count = async () => (await app.ctx.db.selectFrom('surveyResponses').select('id').execute()).length
    const before = await count()
    await seedDemoWorkspace(database, { tickets: 0, contacts: 0, longTickets: 0 })
    expect(await count()).toBe(before)
    const pending = await app.ctx.db.selectFrom('jobs').select('id').where('name', 'in', ['send-csat-survey', 'send-survey-invitation']).execute()
    expect(pending).toEqual([])
  })
})
