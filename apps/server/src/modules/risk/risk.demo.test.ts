import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('safe-routing demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  const { world } = await seedDemoWorkspace(database, { tickets: 300, longTickets: 1 })
  const db = app.ctx.db

  it('adds the banking categories and certifies demo contributors in some', async () => {
    const names = (await db.selectFrom('categories').select('name').orderBy('name').execute()).map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(['Account access', 'Billing & fees', 'Cards', 'Security', 'Transfers']))
    const ravi = world.contributors.find((c) => c.name === 'Ravi Patel')!
    const certs = await db
      .selectFrom('certifications')
      .innerJoin('categories', 'categories.id', 'certifications.categoryId')
      .select('categories.name')
      .where('userId', '=', ravi.id)
      .execute()
    expect(certs.map((c) => c.name).sort()).toEqual(['Account access', 'Cards'])
  })

  it('marks VIP contacts and enterprise organizations, and assesses every open ticket', async () => {
    expect((await db.selectFrom('organizations').select('id').where('tier', '=', 'enterprise').execute()).length).toBe(2)
    expect((await db.selectFrom('contacts').select('id').where('vip', '=', 1).execute()).length).toBeGreaterThan(0)
    const open = await db.selectFrom('tickets').select(['riskLevel', 'riskReasons', 'categoryId']).where('status', 'in', ['new', 'open']).execute()
    expect(open.length).toBeGreaterThan(0)
    expect(open.some((t) => t.riskLevel !== 'low')).toBe(true)
    expect(open.some((t) => t.riskLevel === 'low')).toBe(true)
    expect(open.filter((t) => t.categoryId !== null).length).toBeGreaterThan(open.length / 2)
    const matches = await db.selectFrom('riskRuleMatches').select('ticketId').execute()
    expect(matches.length).toBeGreaterThan(0)
  })
})
