import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemo } from './seed-demo.ts'

describe('demo seed', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  const summary = await seedDemo(database, { onlyIfEmpty: true, tickets: 400 })
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alex@demo.allhands.test', password: 'demo-password' } })
  const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')?.value}` }

  it('creates the owner, staff of every role in teams, and says so', async () => {
    expect(summary).toMatch(/400 tickets/)
    expect(summary).toMatch(/owner@demo\.allhands\.test/)
    expect(login.statusCode).toBe(200)
    const users = await app.ctx.db.selectFrom('users').select(['role']).execute()
    const roles = users.map((u) => u.role)
    expect(roles.filter((r) => r === 'owner')).toHaveLength(1)
    expect(roles.filter((r) => r === 'admin').length).toBeGreaterThanOrEqual(1)
    expect(roles.filter((r) => r === 'agent').length).toBeGreaterThanOrEqual(8)
    expect(roles.filter((r) => r === 'contributor').length).toBeGreaterThanOrEqual(4)
    expect(await app.ctx.db.selectFrom('teams').select('name').orderBy('name').execute()).toEqual([
      { name: 'Billing' },
      { name: 'Engineering' },
      { name: 'Support' },
    ])
    const memberships = await app.ctx.db
      .selectFrom('teamMembers')
      .innerJoin('users', 'users.id', 'teamMembers.userId')
      .select('users.role')
      .where('users.role', '=', 'contributor')
      .execute()
    expect(memberships.length).toBeGreaterThanOrEqual(4)
  })

  it('creates organizations and contacts, some at their organization', async () => {
    const orgs = await app.ctx.db.selectFrom('organizations').select(['id', 'domain']).execute()
    expect(orgs.length).toBeGreaterThanOrEqual(40)
    const contacts = await app.ctx.db.selectFrom('contacts').select(['id', 'organizationId']).execute()
    expect(contacts.length).toBeGreaterThanOrEqual(600)
    expect(contacts.filter((c) => c.organizationId !== null).length).toBeGreaterThan(100)
  })

  it('creates tickets in several statuses with consistent conversations', async () => {
    const tickets = (await app.inject({ method: 'GET', url: '/api/v1/tickets?status=new,open,pending,on_hold,solved,closed&limit=100', headers })).json().items
    expect(tickets).toHaveLength(100)
    const statuses = await app.ctx.db.selectFrom('tickets').select('status').distinct().execute()
    expect(statuses.length).toBeGreaterThanOrEqual(5)
    const solved = tickets.find((t: { status: string }) => t.status === 'solved' || t.status === 'closed')
    expect(solved.solvedAt).toBeGreaterThanOrEqual(solved.firstResponseAt)
    expect(solved.assignee).not.toBeNull()
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${solved.id}/messages`, headers })).json().items
    expect(messages.filter((m: { kind: string }) => m.kind !== 'event')).toHaveLength(solved.messageCount)
    expect(messages[0]).toMatchObject({ kind: 'customer', author: { type: 'contact' } })
    expect(messages.some((m: { kind: string }) => m.kind === 'reply')).toBe(true)
    const kinds = await app.ctx.db.selectFrom('messages').select('kind').distinct().execute()
    expect(kinds.map((k) => k.kind).sort()).toEqual(['customer', 'event', 'note', 'reply'])
  })

  it('indexes the seeded text for search', async () => {
    const refund = (await app.inject({ method: 'GET', url: '/api/v1/search?q=refund', headers })).json()
    expect(refund.tickets.length).toBeGreaterThan(0)
    const contact = await app.ctx.db.selectFrom('contacts').select('name').limit(1).executeTakeFirstOrThrow()
    const byName = (await app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(contact.name)}`, headers })).json()
    expect(byName.contacts.length).toBeGreaterThan(0)
    const org = (await app.inject({ method: 'GET', url: '/api/v1/search?q=northwind', headers })).json()
    expect(org.organizations.length).toBe(1)
  })

  it('does nothing the second time when only asked to fill an empty workspace', async () => {
    expect(await seedDemo(database, { onlyIfEmpty: true })).toMatch(/already has tickets/)
  })

  it('adds more tickets on request without clashing with existing people', async () => {
    expect(await seedDemo(database, { onlyIfEmpty: false, tickets: 20 })).toMatch(/20 tickets/)
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers,
      payload: {
        subject: 'After the seed',
        body: 'New ticket ids continue after the seeded ones.',
        requester: { email: 'new@customer.test', name: 'New Customer' },
      },
    })
    expect(created.statusCode).toBe(201)
  })
})
