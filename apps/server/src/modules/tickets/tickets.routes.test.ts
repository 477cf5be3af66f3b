import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'

describe('tickets API', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent' })

  it('creates a ticket with its requester and first customer message', async () => {
    const ticket = await buildTicket(app, agent, { tags: ['Billing', 'card'] })
    expect(ticket.status).toBe('new')
    expect(ticket.number).toBe(ticket.id)
    expect(ticket.requester.email).toMatch(/@customer\.test$/)
    expect(ticket.tags).toEqual(['billing', 'card'])
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent.headers })).json().items
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      kind: 'customer',
      direction: 'inbound',
      text: 'My card was declined at the shop yesterday.',
      author: { type: 'contact', name: 'Casey Customer' },
    })
  })

  it('replies, sets first response, assigns the replier and opens the ticket', async () => {
    const ticket = await buildTicket(app, agent)
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: agent.headers,
      payload: { body: '<p>Hello <script>alert(1)</script><b>there</b></p>' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ kind: 'reply', direction: 'outbound', html: '<p>Hello <b>there</b></p>', text: 'Hello there' })
    const after = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })).json()
    expect(after.status).toBe('open')
    expect(after.firstResponseAt).toBeGreaterThan(0)
    expect(after.assignee).toEqual({ id: agent.id, name: 'Alex Agent' })
  })

  it('accepts a second and third reply on the same ticket', async () => {
    const ticket = await buildTicket(app, agent)
    for (const body of ['First answer', 'Second answer', 'Third answer']) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/replies`, headers: agent.headers, payload: { body } })
      expect(res.statusCode).toBe(201)
    }
    expect((await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })).json().messageCount).toBe(4)
  })

  it('refuses a stale draft with 409 and the new message ids', async () => {
    const ticket = await buildTicket(app, agent)
    const other = await buildUser(app, { role: 'agent' })
    const base = ticket.lastMessageId
    const note = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/notes`,
      headers: other.headers,
      payload: { body: 'I am on it', baseMessageId: base },
    })
    expect(note.statusCode).toBe(201)
    const stale = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: agent.headers,
      payload: { body: 'Hi!', baseMessageId: base },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.details.newMessageIds).toEqual([note.json().id])
    const fresh = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: agent.headers,
      payload: { body: 'Hi!', baseMessageId: note.json().id },
    })
    expect(fresh.statusCode).toBe(201)
  })

  it('filters the inbox by view and paginates by cursor', async () => {
    const team = await buildTeam(app)
    const mine = await buildUser(app, { role: 'agent', teamIds: [team] })
    for (let i = 0; i < 5; i++) await buildTicket(app, mine, { assigneeId: mine.id, teamId: team })
    const page1 = (await app.inject({ method: 'GET', url: '/api/v1/tickets?view=mine&limit=3', headers: mine.headers })).json()
    expect(page1.items).toHaveLength(3)
    expect(page1.nextCursor).toBeTruthy()
    const page2 = (await app.inject({ method: 'GET', url: `/api/v1/tickets?view=mine&limit=3&cursor=${page1.nextCursor}`, headers: mine.headers })).json()
    expect(page2.items).toHaveLength(2)
    expect(page2.nextCursor).toBeNull()
    const ids = [...page1.items, ...page2.items].map((t: { id: number }) => t.id)
    expect(new Set(ids).size).toBe(5)
    const views = (await app.inject({ method: 'GET', url: '/api/v1/views', headers: mine.headers })).json()
    expect(views.find((v: { id: string }) => v.id === 'mine').count).toBe(5)
    expect(views.find((v: { id: string }) => v.id === 'my_team').count).toBe(5)
  })

  it('notifies a mentioned colleague', async () => {
    const ticket = await buildTicket(app, agent)
    const colleague = await buildUser(app, { role: 'agent', name: 'Mo Mentioned' })
    await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/notes`,
      headers: agent.headers,
      payload: { body: `<p>Can you look, <span data-type="mention" data-id="${colleague.id}" data-label="Mo">@Mo</span>?</p>` },
    })
    const inbox = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: colleague.headers })).json()
    expect(inbox.unreadCount).toBe(1)
    expect(inbox.items[0]).toMatchObject({ kind: 'mention', ticketId: ticket.id, actor: { id: agent.id } })
  })

  it('merges a ticket: messages move and the source redirects', async () => {
    const a = await buildTicket(app, agent, { tags: ['a'] })
    const b = await buildTicket(app, agent, { tags: ['b'] })
    const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${a.id}/merge`, headers: agent.headers, payload: { intoTicketId: b.id } })
    expect(res.statusCode).toBe(200)
    expect(res.json().tags).toEqual(['a', 'b'])
    expect(res.json().messageCount).toBe(2)
    const source = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${a.id}`, headers: agent.headers })).json()
    expect(source).toMatchObject({ mergedIntoId: b.id, status: 'closed' })
  })

  it('finds tickets by words from their messages', async () => {
    const t = await buildTicket(app, agent, { subject: 'Exchange rate question', body: 'Why was my zlotyconversion so expensive?' })
    const res = (await app.inject({ method: 'GET', url: '/api/v1/search?q=zlotyconv', headers: agent.headers })).json()
    expect(res.tickets.map((x: { id: number }) => x.id)).toContain(t.id)
    const byNumber = (await app.inject({ method: 'GET', url: `/api/v1/search?q=%23${t.id}`, headers: agent.headers })).json()
    expect(byNumber.tickets[0].id).toBe(t.id)
  })

  it('finds a ticket by words of its later replies and notes', async () => {
    const t = await buildTicket(app, agent, { subject: 'Parcel question', body: 'Where is my parcel?' })
    for (const [kind, body] of [
      ['replies', 'It left our quokkawarehouse yesterday.'],
      ['notes', 'Carrier says numbatdepot is delayed.'],
    ]) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${t.id}/${kind}`, headers: agent.headers, payload: { body } })
      expect(res.statusCode).toBe(201)
    }
    for (const word of ['quokkawarehouse', 'numbatdepot']) {
      const res = (await app.inject({ method: 'GET', url: `/api/v1/search?q=${word}`, headers: agent.headers })).json()
      expect(res.tickets.map((x: { id: number }) => x.id)).toEqual([t.id])
    }
  })
})
