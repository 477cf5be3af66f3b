import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemo } from './seed-demo.ts'

describe('demo seed', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  const summary = await seedDemo(database, { onlyIfEmpty: true, tickets: 400 })
  const seededAt = Date.now()
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
    // Nothing happened after the seeding: no message, update or solve lies in the future.
    const future = await app.ctx.db.selectFrom('messages').select(['id', 'kind', 'createdAt']).where('createdAt', '>', seededAt).execute()
    expect(future).toEqual([])
    const late = await app.ctx.db
      .selectFrom('tickets')
      .select('id')
      .where((eb) => eb.or([eb('updatedAt', '>', seededAt), eb('solvedAt', '>', seededAt), eb('lastMessageAt', '>', seededAt)]))
      .execute()
    expect(late).toEqual([])
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

  // issue 7 chat demo data
  const chatCounts = async () => {
    const count = async (
      table: 'chatVisitors' | 'chatPageViews' | 'chatConversations' | 'chatInvites' | 'chatInviteRules' | 'agentChatStatus' | 'chatClientMessages',
    ) =>
      Number(
        (
          await app.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const chatTickets = await app.ctx.db
      .selectFrom('tickets')
      .innerJoin('inboxes', 'inboxes.id', 'tickets.inboxId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('inboxes.type', '=', 'chat')
      .executeTakeFirstOrThrow()
    const inboxes = await app.ctx.db.selectFrom('inboxes').select('id').where('type', '=', 'chat').execute()
    return {
      inboxes: inboxes.length,
      tickets: Number(chatTickets.n),
      visitors: await count('chatVisitors'),
      pageViews: await count('chatPageViews'),
      conversations: await count('chatConversations'),
      clientMessages: await count('chatClientMessages'),
      invites: await count('chatInvites'),
      rules: await count('chatInviteRules'),
      statuses: await count('agentChatStatus'),
    }
  }

  it('adds a live chat inbox with past and waiting chats, visitors and their page views', async () => {
    const adminLogin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'morgan@demo.allhands.test', password: 'demo-password' },
    })
    const admin = { cookie: `allhands_session=${adminLogin.cookies.find((c) => c.name === 'allhands_session')?.value}` }
    const inbox = await app.ctx.db.selectFrom('inboxes').select(['id', 'type', 'teamId']).where('name', '=', 'Website chat').executeTakeFirstOrThrow()
    const support = await app.ctx.db.selectFrom('teams').select('id').where('name', '=', 'Support').executeTakeFirstOrThrow()
    expect(inbox).toMatchObject({ type: 'chat', teamId: support.id })
    const settings = (await app.inject({ method: 'GET', url: `/api/v1/chat/inboxes/${inbox.id}/settings`, headers: admin })).json()
    expect(settings).toMatchObject({ allowedOrigins: [], routing: 'round_robin', csatEnabled: true, appearance: { title: 'Chat with Lumen Bank' } })
    // The widget offers the demo's customer tree as guided help ("Find an answer").
    const cardHelp = await app.ctx.db.selectFrom('decisionTrees').select('id').where('name', '=', 'Card declined, lost or stolen').executeTakeFirstOrThrow()
    expect(settings.widgetTreeId).toBe(cardHelp.id)
    expect(settings.identitySecret).toMatch(/^[0-9a-f]{64}$/)
    const rules = (await app.inject({ method: 'GET', url: `/api/v1/chat/inboxes/${inbox.id}/invite-rules`, headers: admin })).json().items
    expect(rules.map((r: { urlPattern: string }) => r.urlPattern)).toEqual(['https://www.lumenbank.example/pricing*', 'https://www.lumenbank.example/help*'])

    // Nobody is online: a fresh demo routes nothing by itself.
    const agents = (await app.inject({ method: 'GET', url: '/api/v1/chat/agents', headers })).json().items
    expect(agents.length).toBeGreaterThanOrEqual(4)
    expect(agents.every((a: { status: string }) => a.status === 'offline')).toBe(true)

    const ended = (await app.inject({ method: 'GET', url: '/api/v1/chat/conversations?status=ended', headers })).json().items
    expect(ended).toHaveLength(15)
    expect(ended.every((c: { status: string; endedAt: number; agent: unknown }) => c.status === 'ended' && c.endedAt > 0 && c.agent)).toBe(true)
    expect(ended.some((c: { rating: number | null }) => c.rating !== null && c.rating >= 3)).toBe(true)
    const waiting = (await app.inject({ method: 'GET', url: '/api/v1/chat/conversations?status=waiting', headers })).json().items
    expect(waiting).toHaveLength(2)
    expect(waiting.every((c: { agent: unknown }) => c.agent === null)).toBe(true)

    const rated = ended.find((c: { rating: number | null }) => c.rating !== null)
    const chat = await app.inject({ method: 'GET', url: `/api/v1/tickets/${rated.ticketId}/chat`, headers })
    expect(chat.statusCode).toBe(200)
    expect(chat.json()).toMatchObject({ ticketId: rated.ticketId, inboxId: inbox.id, status: 'ended', rating: rated.rating, visitorOnline: false })
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${rated.ticketId}`, headers })).json()
    expect(ticket).toMatchObject({ status: expect.stringMatching(/^(solved|closed)$/), tags: ['chat'] })
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${rated.ticketId}/messages`, headers })).json().items
    expect(messages[0]).toMatchObject({ kind: 'customer' })
    expect(messages.some((m: { kind: string }) => m.kind === 'reply')).toBe(true)
    const events = messages.filter((m: { kind: string }) => m.kind === 'event').map((m: { event: { type: string } }) => m.event.type)
    expect(events).toEqual(expect.arrayContaining(['chat_prechat', 'assigned', 'chat_ended', 'status_changed']))
    const csat = await app.ctx.db.selectFrom('csatRequests').select(['status', 'solvedAt', 'tokenHash']).where('ticketId', '=', rated.ticketId).execute()
    expect(csat).toEqual([{ status: 'rated', solvedAt: ticket.solvedAt, tokenHash: null }])
    const dirty = await app.ctx.db.selectFrom('reportDirtyTickets').select('ticketId').where('ticketId', '=', rated.ticketId).execute()
    expect(dirty).toHaveLength(1)
    // The app's own writes continue after the bulk-inserted ids (PostgreSQL serials moved past them).
    const note = await app.inject({ method: 'POST', url: `/api/v1/tickets/${rated.ticketId}/notes`, headers, payload: { body: 'Customer happy, closing.' } })
    expect(note.statusCode).toBe(201)
    expect(note.json().id).toBeGreaterThan(messages[messages.length - 1].id)
    const another = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers,
      payload: {
        subject: 'After the chat demo',
        body: 'A new ticket after the seeded chats.',
        requester: { email: 'chat-after@customer.test', name: 'After Chat' },
      },
    })
    expect(another.statusCode).toBe(201)
    expect(another.json().id).toBeGreaterThan(rated.ticketId)
    const found = (await app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(ticket.subject)}`, headers })).json()
    expect(found.tickets.some((t: { id: number }) => t.id === rated.ticketId)).toBe(true)

    const verified = await app.ctx.db.selectFrom('chatVisitors').select(['id', 'contactId']).where('verified', '=', 1).orderBy('id').executeTakeFirstOrThrow()
    const views = await app.inject({ method: 'GET', url: `/api/v1/contacts/${verified.contactId}/page-views`, headers })
    expect(views.statusCode).toBe(200)
    const items = views.json().items as { url: string; referrer: string; createdAt: number; seconds: number | null }[]
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((v) => v.url.startsWith('https://www.lumenbank.example/') && v.createdAt <= Date.now() && v.seconds !== null)).toBe(true)
    const anonymous = await app.ctx.db
      .selectFrom('chatVisitors')
      .select(['id'])
      .where('verified', '=', 0)
      .where('claimedName', 'is not', null)
      .executeTakeFirstOrThrow()
    const visitorViews = (await app.inject({ method: 'GET', url: `/api/v1/chat/visitors/${anonymous.id}/page-views`, headers })).json().items
    expect(visitorViews.length).toBeGreaterThan(0)

    const counts = await chatCounts()
    expect(counts).toMatchObject({ inboxes: 1, tickets: 17, visitors: 25, conversations: 17 })
    expect(counts.pageViews).toBeGreaterThan(50)
    expect(counts.invites).toBeGreaterThan(0)
    // A visitor of the demo site is offered it in the widget (after the counts: the session adds a visitor).
    const session = await app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { inboxId: inbox.id } })
    expect(session.json().tree).toEqual({ name: 'Card declined, lost or stolen', description: 'Fix a declined card or block a lost one.' })
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

  it('adds no second live chat when the demo is seeded again', async () => {
    const before = await chatCounts()
    expect(await seedDemo(database, { onlyIfEmpty: false, tickets: 5 })).toMatch(/5 tickets/)
    expect(await chatCounts()).toEqual(before)
  })
})
