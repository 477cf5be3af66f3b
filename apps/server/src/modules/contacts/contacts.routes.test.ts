import { describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'

describe('contacts and organizations', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent' })

  it('links a new requester to the organization owning their email domain', async () => {
    const domain = `${unique('globex')}.test`
    const org = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: agent.headers, payload: { name: 'Globex', domain } })
    expect(org.statusCode).toBe(201)
    const ticket = await buildTicket(app, agent, { requester: { email: `hank@${domain}`, name: 'Hank Scorpio' } })
    expect(ticket.organizationId).toBe(org.json().id)
    const contact = (await app.inject({ method: 'GET', url: `/api/v1/contacts/${ticket.requester.id}`, headers: agent.headers })).json()
    expect(contact).toMatchObject({ name: 'Hank Scorpio', organizationName: 'Globex', emails: [`hank@${domain}`], ticketCount: 1 })
    const orgTickets = (await app.inject({ method: 'GET', url: `/api/v1/tickets?organization=${org.json().id}`, headers: agent.headers })).json()
    expect(orgTickets.items).toHaveLength(1)
  })

  it('finds contacts by name and email', async () => {
    const email = `${unique('marge')}@springfield.test`
    await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: agent.headers, payload: { name: 'Marjorie Bouvier', emails: [email] } })
    const byName = (await app.inject({ method: 'GET', url: '/api/v1/contacts?q=marjor', headers: agent.headers })).json()
    expect(byName.items.map((c: { emails: string[] }) => c.emails[0])).toContain(email)
    const byEmail = (await app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(email)}&type=contacts`, headers: agent.headers })).json()
    expect(byEmail.contacts[0].email).toBe(email)
  })

  it('refuses an email that already belongs to someone else', async () => {
    const email = `${unique('dup')}@x.test`
    await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: agent.headers, payload: { name: 'A', emails: [email] } })
    const res = await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: agent.headers, payload: { name: 'B', emails: [email] } })
    expect(res.statusCode).toBe(409)
  })

  it('merges two contacts: identities and tickets move, the old id redirects', async () => {
    const a = await buildTicket(app, agent, { requester: { email: `${unique('a')}@x.test`, name: 'Dup One' } })
    const b = await buildTicket(app, agent, { requester: { email: `${unique('b')}@x.test`, name: 'Dup Two' } })
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${a.requester.id}/merge`,
      headers: agent.headers,
      payload: { intoContactId: b.requester.id },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().emails.sort()).toEqual([a.requester.email, b.requester.email].sort())
    expect(res.json().ticketCount).toBe(2)
    const old = (await app.inject({ method: 'GET', url: `/api/v1/contacts/${a.requester.id}`, headers: agent.headers })).json()
    expect(old.id).toBe(b.requester.id)
    const again = await buildTicket(app, agent, { requester: { email: a.requester.email! } })
    expect(again.requester.id).toBe(b.requester.id)
  })

  it('updates notes and custom fields on a contact', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/v1/custom-fields',
      headers: (await buildUser(app, { role: 'admin' })).headers,
      payload: { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['vip', 'standard'] },
    })
    const c = (await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: agent.headers, payload: { name: 'Vera Vip', emails: [] } })).json()
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${c.id}`,
      headers: agent.headers,
      payload: { notes: 'Prefers phone', customFields: { tier: 'vip' } },
    })
    expect(res.json()).toMatchObject({ notes: 'Prefers phone', customFields: { tier: 'vip' } })
  })
})
