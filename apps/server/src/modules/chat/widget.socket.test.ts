import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { buildChatInbox, connectWidget, startSession, type WidgetClient } from './widget.test-support.ts'

describe('visitor websocket', async () => {
  const app = await buildTestApp({ CHAT_LEAVE_GRACE_MS: '300', PUBLIC_URL: 'http://help.example.test' })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Ada Agent' })
  const inboxId = await buildChatInbox(app, admin)
  const clients: { close(): unknown }[] = []
  afterAll(() => {
    for (const c of clients) c.close()
  })
  const visitor = async (origin?: string) => {
    const session = await startSession(app, { inboxId })
    const client = await connectWidget(base, session.token, origin)
    clients.push({ close: () => client.ws.close() })
    await client.waitFor('ready')
    return { session, client }
  }
  const page = (c: WidgetClient, url: string, title = 'Page') =>
    c.send({ type: 'page', url, title, referrer: 'https://search.example.test/?q=shoes', timezone: 'Europe/Oslo', language: 'nb-NO' })
  const conversationOf = (visitorId: number) => app.ctx.db.selectFrom('chatConversations').selectAll().where('visitorId', '=', visitorId).executeTakeFirst()
  const messagesOf = (ticketId: number) =>
    app
      .inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: agent.headers })
      .then((r) => r.json().items as { id: number; kind: string }[])

  it('says ready on connect, and closes sockets with an unknown token or from a refused origin', async () => {
    const { client } = await visitor()
    expect(client.received[0]).toEqual({ type: 'ready', online: false, conversation: null })

    const unknown = await connectWidget(base, 'made-up-token')
    expect((await unknown.waitClosed()).code).toBe(4001)

    const shop = await buildChatInbox(app, admin, 'Shop')
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/chat/inboxes/${shop}/settings`,
      headers: admin.headers,
      payload: { allowedOrigins: ['https://shop.example.test'] },
    })
    const session = await startSession(app, { inboxId: shop }, { origin: 'https://shop.example.test' })
    const evil = await connectWidget(base, session.token, 'https://evil.example.test')
    expect((await evil.waitClosed()).code).toBe(1008)
    const good = await connectWidget(base, session.token, 'https://shop.example.test')
    clients.push({ close: () => good.ws.close() })
    await good.waitFor('ready')
  })

  it('records page views, closes the previous one, and keeps where the visitor is in the hub', async () => {
    const { session, client } = await visitor()
    page(client, 'https://shop.example.test/', 'Home')
    await expect.poll(() => app.ctx.visitors.get(session.visitorId)?.page.url).toBe('https://shop.example.test/')
    page(client, 'https://shop.example.test/pricing', 'Pricing')
    await expect.poll(() => app.ctx.visitors.get(session.visitorId)?.page.title).toBe('Pricing')
    const state = app.ctx.visitors.get(session.visitorId)!
    expect(state).toMatchObject({ inboxId, pagesThisVisit: 2, timezone: 'Europe/Oslo', language: 'nb-NO', referrer: 'https://search.example.test/?q=shoes' })
    const views = await app.ctx.db.selectFrom('chatPageViews').selectAll().where('visitorId', '=', session.visitorId).orderBy('id').execute()
    expect(views.map((v) => [v.url, v.leftAt === null])).toEqual([
      ['https://shop.example.test/', false],
      ['https://shop.example.test/pricing', true],
    ])
    expect(state.pageViewId).toBe(views[1]!.id)
    expect(state.onSiteSince).toBeLessThanOrEqual(state.onPageSince)
    const row = await app.ctx.db.selectFrom('chatVisitors').select(['timezone', 'language']).where('id', '=', session.visitorId).executeTakeFirstOrThrow()
    expect(row).toEqual({ timezone: 'Europe/Oslo', language: 'nb-NO' })

    client.send({ type: 'page', url: 'javascript:alert(1)', title: 'x', referrer: '', timezone: '', language: '' })
    await client.waitFor('error', (m) => /http/.test(m.message))
    page(client, `https://shop.example.test/${'a'.repeat(5000)}`, 't'.repeat(1000))
    await expect.poll(() => app.ctx.visitors.get(session.visitorId)?.page.title.length).toBe(300)
    expect(app.ctx.visitors.get(session.visitorId)!.page.url).toHaveLength(2000)

    // Leaving: after the grace period the page view ends and the hub forgets the visitor.
    await client.close()
    await expect.poll(() => app.ctx.visitors.get(session.visitorId), { timeout: 3000 }).toBeUndefined()
    const open = () => app.ctx.db.selectFrom('chatPageViews').select('id').where('visitorId', '=', session.visitorId).where('leftAt', 'is', null).execute()
    await expect.poll(open).toEqual([])
  })

  it('opens a ticket and a waiting conversation with the first message, acks it, and drops resends', async () => {
    const { session, client } = await visitor()
    const otherTab = await connectWidget(base, session.token)
    clients.push({ close: () => otherTab.ws.close() })
    await otherTab.waitFor('ready')

    client.send({ type: 'message', clientId: 'c-1', text: 'Hello there' })
    const refused = await client.waitFor('error', (m) => m.clientId === 'c-1')
    expect(refused.message).toBe('Please check the form: Name is required')

    client.send({
      type: 'message',
      clientId: 'c-1',
      text: 'Hello <b>there</b>\nCan you help?',
      fields: { name: 'Paula', email: 'paula@claims.test', extra: 'x' },
    })
    const ack = await client.waitFor('ack', (m) => m.clientId === 'c-1')
    const conversation = (await conversationOf(session.visitorId))!
    expect(conversation).toMatchObject({ status: 'waiting', inboxId, agentId: null })
    await client.waitFor('conversation', (m) => m.conversation.ticketId === conversation.ticketId && m.conversation.status === 'waiting')
    const echoed = await otherTab.waitFor('message', (m) => m.message.id === ack.messageId)
    expect(echoed.message).toMatchObject({ clientId: 'c-1', text: 'Hello <b>there</b>\nCan you help?', author: { kind: 'visitor', name: 'Paula' } })
    expect(client.received.some((m) => m.type === 'message' && m.message.id === ack.messageId)).toBe(false)

    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${conversation.ticketId}`, headers: agent.headers })).json()
    expect(ticket).toMatchObject({ subject: 'Hello <b>there</b>', inboxId, tags: ['chat'], requester: { name: 'Paula', email: null } })
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${conversation.ticketId}/messages`, headers: agent.headers })).json().items
    expect(messages[0]).toMatchObject({ kind: 'customer', text: 'Hello <b>there</b>\nCan you help?' })
    expect(messages[0].html).not.toContain('<b>')
    expect(messages[1]).toMatchObject({ kind: 'event', event: { type: 'chat_prechat', verified: false } })
    expect(messages[1].event.fields).toEqual([
      { key: 'name', label: 'Name', value: 'Paula' },
      { key: 'email', label: 'Email', value: 'paula@claims.test' },
    ])

    // The widget lost the ack and sends again: the same ack, nothing new.
    client.send({ type: 'message', clientId: 'c-1', text: 'Hello <b>there</b>\nCan you help?' })
    await expect.poll(() => client.received.filter((m) => m.type === 'ack' && m.clientId === 'c-1').length).toBe(2)
    const acks = client.received.filter((m) => m.type === 'ack' && m.clientId === 'c-1')
    expect(acks[1]).toEqual(acks[0])
    client.send({ type: 'message', clientId: 'c-2', text: 'Second one' })
    await client.waitFor('ack', (m) => m.clientId === 'c-2')
    const customer = (await messagesOf(conversation.ticketId)).filter((m) => m.kind === 'customer')
    expect(customer).toHaveLength(2)
    expect(await app.ctx.db.selectFrom('tickets').select('id').where('requesterId', '=', ticket.requester.id).execute()).toHaveLength(1)

    client.send({ type: 'message', clientId: 'c-3', text: 'x'.repeat(10_001) })
    expect((await client.waitFor('error', (m) => m.clientId === 'c-3')).message).toMatch(/10,000/)
    client.send({ type: 'message', clientId: 'c-4', text: '   ' })
    expect((await client.waitFor('error', (m) => m.clientId === 'c-4')).message).toBe('Write a message first')
  })

  it('starts a chat after the settings cache expired without blocking the database (SQLite has one connection)', async () => {
    const { client } = await visitor()
    advanceClock(60_000)
    try {
      client.send({ type: 'message', clientId: 'late-1', text: 'Still there?', fields: { name: 'Lena' } })
      await client.waitFor('ack', (m) => m.clientId === 'late-1')
      expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200)
    } finally {
      resetClock()
    }
  })

  it('sends agent replies live, never notes, and replays missed replies on sync', async () => {
    const { session, client } = await visitor()
    client.send({ type: 'message', clientId: 'a', text: 'Is my order shipped?', fields: { name: 'Sam' } })
    await client.waitFor('ack')
    const { ticketId } = (await conversationOf(session.visitorId))!
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/replies`,
      headers: agent.headers,
      payload: { body: '<p>Yes, it left <b>today</b>.</p>' },
    })
    expect(reply.statusCode).toBe(201)
    const live = await client.waitFor('message', (m) => m.message.author.kind === 'agent')
    expect(live.message).toMatchObject({ id: reply.json().id, text: 'Yes, it left today.', author: { kind: 'agent', name: 'Ada Agent' }, clientId: null })
    // Answering a waiting chat takes it.
    await client.waitFor('conversation', (m) => m.conversation.status === 'active' && m.conversation.agent?.name === 'Ada Agent')
    expect((await conversationOf(session.visitorId))!.agentId).toBe(agent.id)
    const delivered = (await messagesOf(ticketId)).find((m) => m.id === reply.json().id) as unknown as { delivery: { status: string } }
    expect(delivered.delivery).toEqual({ status: 'sent', error: null })

    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/notes`, headers: agent.headers, payload: { body: 'Internal: VIP, be nice' } })
    await client.close()
    const missed = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body: 'Tracking: 123' } })
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/notes`, headers: agent.headers, payload: { body: 'Another secret note' } })

    const back = await connectWidget(base, session.token)
    clients.push({ close: () => back.ws.close() })
    await back.waitFor('ready', (m) => m.conversation?.ticketId === ticketId)
    back.send({ type: 'sync', after: live.message.id })
    const replayed = await back.waitFor('message', (m) => m.message.id === missed.json().id)
    expect(replayed.message.text).toBe('Tracking: 123')
    back.send({ type: 'sync', after: 0 })
    await expect.poll(() => back.received.filter((m) => m.type === 'message').length).toBe(4)
    const texts = back.received.flatMap((m) => (m.type === 'message' ? [m.message.text] : []))
    expect(texts).toEqual(['Tracking: 123', 'Is my order shipped?', 'Yes, it left today.', 'Tracking: 123'])
    expect(JSON.stringify(back.received)).not.toMatch(/secret|VIP/)
    const session2 = await startSession(app, { inboxId, token: session.token })
    expect(session2.messages.map((m) => m.text)).toEqual(['Is my order shipped?', 'Yes, it left today.', 'Tracking: 123'])
  })

  it('passes typing and read receipts both ways', async () => {
    const { session, client } = await visitor()
    client.send({ type: 'message', clientId: 'm1', text: 'Anyone there?', fields: { name: 'Tess' } })
    const ack = await client.waitFor('ack')
    const { ticketId } = (await conversationOf(session.visitorId))!
    const desk = await connectAgentSocket(base, agent.headers)
    clients.push({ close: () => desk.ws.close() })
    expect(await desk.join(`ticket:${ticketId}`)).toMatchObject({ type: 'subscribed' })

    client.send({ type: 'typing', typing: true })
    await desk.event('chat.changed', (p) => p.ticketId === ticketId)
    expect(app.ctx.visitors.isTyping(session.visitorId)).toBe(true)
    client.send({ type: 'typing', typing: false })
    await expect.poll(() => app.ctx.visitors.isTyping(session.visitorId)).toBe(false)

    // The agent opens the chat: the visitor's message is read. Typing in it shows in the widget.
    desk.send({ type: 'presence', ticketId, state: 'viewing' })
    expect(await client.waitFor('read')).toEqual({ type: 'read', upTo: ack.messageId })
    expect((await conversationOf(session.visitorId))!.agentReadUpTo).toBe(ack.messageId)
    desk.send({ type: 'presence', ticketId, state: 'typing' })
    expect(await client.waitFor('typing', (m) => m.typing)).toEqual({ type: 'typing', name: 'Ada Agent', typing: true })
    desk.send({ type: 'presence', ticketId, state: 'viewing' })
    await client.waitFor('typing', (m) => !m.typing)
    // While the agent is in the chat, new messages are read at once.
    client.send({ type: 'message', clientId: 'm2', text: 'Hello?' })
    const ack2 = await client.waitFor('ack', (m) => m.clientId === 'm2')
    await client.waitFor('read', (m) => m.upTo === ack2.messageId)

    const reply = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body: 'Here!' } })
    client.send({ type: 'read', upTo: reply.json().id + 1000 })
    await expect.poll(async () => (await conversationOf(session.visitorId))!.visitorReadUpTo).toBe(reply.json().id)
    client.send({ type: 'read', upTo: 1 })
    await new Promise((r) => setTimeout(r, 100))
    expect((await conversationOf(session.visitorId))!.visitorReadUpTo).toBe(reply.json().id)
  })

  it('answers invites of its own visitor only', async () => {
    const a = await visitor()
    const b = await visitor()
    const invite = await app.ctx.db
      .insertInto('chatInvites')
      .values({
        visitorId: a.session.visitorId,
        inboxId,
        ruleId: null,
        userId: agent.id,
        message: 'Need help?',
        status: 'sent',
        createdAt: Date.now(),
        answeredAt: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    b.client.send({ type: 'invite', inviteId: invite.id, action: 'accept' })
    await b.client.waitFor('error', (m) => /invitation/.test(m.message))
    a.client.send({ type: 'invite', inviteId: invite.id, action: 'accept' })
    await expect
      .poll(async () => (await app.ctx.db.selectFrom('chatInvites').select('status').where('id', '=', invite.id).executeTakeFirst())?.status)
      .toBe('accepted')
  })

  it('keeps one visitor out of another’s conversation', async () => {
    const a = await visitor()
    a.client.send({ type: 'message', clientId: 'x', text: 'My secret order 4711', fields: { name: 'Anna' } })
    await a.client.waitFor('ack')
    const b = await visitor()
    b.client.send({ type: 'sync', after: 0 })
    b.client.send({ type: 'read', upTo: 999999 })
    b.client.send({ type: 'ping' })
    await b.client.waitFor('pong')
    expect(JSON.stringify(b.client.received)).not.toContain('4711')
    const session = await startSession(app, { inboxId, token: b.session.token })
    expect(session.messages).toEqual([])
  })

  it('answers malformed frames with an error, closing only that socket', async () => {
    const a = await visitor()
    const b = await visitor()
    a.client.send({ type: 'dance' })
    await a.client.waitFor('error', (m) => m.message === 'unknown message type dance')
    a.client.send({ type: 'read', upTo: 'all' })
    await a.client.waitFor('error', (m) => /read.upTo/.test(m.message))
    a.client.send({ type: 'message', text: 42 })
    await a.client.waitFor('error', (m) => /clientId and text/.test(m.message))
    a.client.ws.send('{not json')
    await a.client.waitFor('error', (m) => /JSON/.test(m.message))
    expect((await a.client.waitClosed()).code).toBe(1007)
    b.client.send({ type: 'ping' })
    await b.client.waitFor('pong')
  })

  it('tells connected visitors when an agent becomes available', async () => {
    const { client } = await visitor()
    const res = await app.inject({ method: 'PUT', url: '/api/v1/chat/me', headers: agent.headers, payload: { status: 'online' } })
    expect(res.statusCode).toBe(200)
    await client.waitFor('online', (m) => m.online)
    const later = await visitor()
    expect(later.client.received[0]).toMatchObject({ type: 'ready', online: true })
    await app.inject({ method: 'PUT', url: '/api/v1/chat/me', headers: agent.headers, payload: { status: 'offline' } })
    await client.waitFor('online', (m) => !m.online)
  })
})
