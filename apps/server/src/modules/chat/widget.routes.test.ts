import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { sha256 } from '../../platform/crypto.ts'
import { scheduleCsatSurveysJob } from '../surveys/index.ts'
import { identitySignature } from './chat.visitors.ts'
import { buildChatInbox, multipartFile, startSession } from './widget.test-support.ts'

describe('widget HTTP routes', async () => {
  const app = await buildTestApp({ ATTACHMENT_LIMIT_BYTES: '2000', PUBLIC_URL: 'http://help.example.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Ada Agent' })
  const inboxId = await buildChatInbox(app, admin)
  const otherInboxId = await buildChatInbox(app, admin, 'Second site')
  const settingsOf = async (id: number) => (await app.inject({ method: 'GET', url: `/api/v1/chat/inboxes/${id}/settings`, headers: admin.headers })).json()
  const visitorRow = (id: number) => app.ctx.db.selectFrom('chatVisitors').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const upload = (token: string, file: Parameters<typeof multipartFile>[0], fields: Record<string, string> = {}, ip = '10.2.0.1') => {
    const form = multipartFile(file, fields)
    return app.inject({
      method: 'POST',
      url: '/api/v1/widget/uploads',
      payload: form.payload,
      headers: { ...form.headers, 'x-visitor-token': token },
      remoteAddress: ip,
    })
  }
  afterEach(() => resetClock())

  it('starts a session with a new token and resumes it; unknown, foreign and expired tokens start a new visitor', async () => {
    const first = await startSession(app, { inboxId })
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first).toMatchObject({
      verified: false,
      online: false,
      conversation: null,
      messages: [],
      maxUploadBytes: 2000,
      preChatFields: [{ key: 'name' }, { key: 'email' }],
    })
    expect(first.appearance).toMatchObject({ color: '#228be6', title: 'Chat with us' })
    expect((await visitorRow(first.visitorId)).tokenHash).toBe(sha256(first.token))

    const resumed = await startSession(app, { inboxId, token: first.token })
    expect(resumed).toMatchObject({ token: first.token, visitorId: first.visitorId })
    const unknown = await startSession(app, { inboxId, token: 'not-a-token-we-ever-issued' })
    expect(unknown.visitorId).not.toBe(first.visitorId)
    expect(unknown.token).not.toBe('not-a-token-we-ever-issued')
    const foreign = await startSession(app, { inboxId: otherInboxId, token: first.token })
    expect(foreign.visitorId).not.toBe(first.visitorId)

    advanceClock(181 * 24 * 3_600_000)
    const expired = await startSession(app, { inboxId, token: first.token })
    expect(expired.visitorId).not.toBe(first.visitorId)
  })

  it('counts a new visit after half an hour of quiet', async () => {
    const s = await startSession(app, { inboxId })
    await startSession(app, { inboxId, token: s.token })
    expect((await visitorRow(s.visitorId)).visitCount).toBe(1)
    advanceClock(31 * 60_000)
    await startSession(app, { inboxId, token: s.token })
    const row = await visitorRow(s.visitorId)
    expect(row.visitCount).toBe(2)
    expect(row.visitStartedAt).toBeGreaterThan(row.createdAt)
  })

  it('links a signed identity to the known contact; a forged one stays anonymous and never touches that contact', async () => {
    const known = await buildTicket(app, agent, { requester: { email: 'vera@customer.test', name: 'Vera Verified' } })
    const { identitySecret } = await settingsOf(inboxId)
    const signature = identitySignature(identitySecret, 'u-42', 'vera@customer.test')
    const verified = await startSession(app, { inboxId, identity: { userId: 'u-42', email: 'vera@customer.test', name: 'Vera', signature } })
    expect(verified.verified).toBe(true)
    expect(await visitorRow(verified.visitorId)).toMatchObject({ verified: 1, externalId: 'u-42', contactId: known.requester.id })

    const forged = await startSession(app, {
      inboxId,
      identity: { userId: 'u-42', email: 'vera@customer.test', signature: identitySignature('guessed secret', 'u-42', 'vera@customer.test') },
    })
    expect(forged.verified).toBe(false)
    expect(await visitorRow(forged.visitorId)).toMatchObject({ verified: 0, externalId: null, contactId: null })

    // The forger claims the address in the pre-chat form and starts a chat: it gets a contact of its own.
    const res = await upload(
      forged.token,
      { name: 'note.txt', type: 'text/plain', content: 'hello' },
      { fields: JSON.stringify({ name: 'Mallory', email: 'vera@customer.test' }) },
    )
    expect(res.statusCode).toBe(201)
    const conversation = await app.ctx.db.selectFrom('chatConversations').selectAll().where('visitorId', '=', forged.visitorId).executeTakeFirstOrThrow()
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${conversation.ticketId}`, headers: agent.headers })).json()
    expect(ticket.requester.id).not.toBe(known.requester.id)
    expect(ticket.requester).toMatchObject({ name: 'Mallory', email: null })
    expect(await visitorRow(forged.visitorId)).toMatchObject({ claimedName: 'Mallory', claimedEmail: 'vera@customer.test', verified: 0 })
    const identities = await app.ctx.db.selectFrom('contactIdentities').select(['kind', 'value']).where('contactId', '=', ticket.requester.id).execute()
    expect(identities).toEqual([{ kind: 'visitor', value: `visitor:${forged.visitorId}` }])
    const knownTickets = await app.ctx.db.selectFrom('tickets').select('id').where('requesterId', '=', known.requester.id).execute()
    expect(knownTickets.map((t) => t.id)).toEqual([known.id])
  })

  it('resumes a verified visitor only for the same signed user', async () => {
    const { identitySecret } = await settingsOf(inboxId)
    const sign = (userId: string, email: string) => ({ userId, email, signature: identitySignature(identitySecret, userId, email) })
    const first = await startSession(app, { inboxId, identity: sign('u-1', 'one@customer.test') })
    expect((await startSession(app, { inboxId, token: first.token, identity: sign('u-1', 'one@customer.test') })).visitorId).toBe(first.visitorId)
    const signedOut = await startSession(app, { inboxId, token: first.token })
    expect(signedOut.visitorId).not.toBe(first.visitorId)
    expect(signedOut.verified).toBe(false)
    const someoneElse = await startSession(app, { inboxId, token: first.token, identity: sign('u-2', 'two@customer.test') })
    expect(someoneElse.visitorId).not.toBe(first.visitorId)
    expect(someoneElse.verified).toBe(true)
  })

  it('refuses other origins when the inbox lists its sites, and answers CORS for the listed ones', async () => {
    const restricted = await buildChatInbox(app, admin, 'Shop chat')
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/chat/inboxes/${restricted}/settings`,
      headers: admin.headers,
      payload: { allowedOrigins: ['https://shop.example.test'] },
    })
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inboxId: restricted },
      headers: { origin: 'https://evil.example.test' },
      remoteAddress: '10.3.0.1',
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toMatch(/origin/)
    const noOrigin = await app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { inboxId: restricted }, remoteAddress: '10.3.0.1' })
    expect(noOrigin.statusCode).toBe(403)

    const allowed = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inboxId: restricted },
      headers: { origin: 'https://shop.example.test' },
      remoteAddress: '10.3.0.1',
    })
    expect(allowed.statusCode).toBe(200)
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.test')
    const token = allowed.json().token
    const wrongSite = await upload(token, { name: 'a.txt', type: 'text/plain', content: 'x' }, {}, '10.3.0.2')
    expect(wrongSite.statusCode).toBe(403)

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/widget/uploads',
      headers: { origin: 'https://shop.example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-visitor-token' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example.test')
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/X-Visitor-Token/i)
    expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/POST/)

    const notChat = (await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: 'API 2', type: 'api' } })).json()
    const res = await app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { inboxId: notChat.id }, remoteAddress: '10.3.0.1' })
    expect(res.statusCode).toBe(404)
  })

  it('turns the offline form into an email-style ticket and keeps the visitor’s name and address as claims', async () => {
    const s = await startSession(app, { inboxId })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/offline',
      remoteAddress: '10.4.0.1',
      payload: { token: s.token, inboxId, name: 'Olga Offline', email: 'Olga@Customer.test', message: 'Do you ship to Norway?\nThanks' },
    })
    expect(res.statusCode).toBe(201)
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${res.json().ticketId}`, headers: agent.headers })).json()
    expect(ticket).toMatchObject({
      subject: 'Do you ship to Norway?',
      inboxId,
      tags: ['chat-offline'],
      requester: { name: 'Olga Offline', email: 'olga@customer.test' },
    })
    expect(await visitorRow(s.visitorId)).toMatchObject({ claimedName: 'Olga Offline', claimedEmail: 'olga@customer.test', contactId: null })
    expect(await app.ctx.db.selectFrom('chatConversations').select('ticketId').where('visitorId', '=', s.visitorId).execute()).toEqual([])

    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/offline',
      remoteAddress: '10.4.0.2',
      payload: { inboxId, name: '', email: 'nope', message: ' ' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details).toEqual([
      'name is required (at most 200 characters)',
      'email must be a valid address',
      'message is required (at most 10,000 characters)',
    ])
    const bot = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/offline',
      remoteAddress: '10.4.0.3',
      payload: { inboxId, name: 'Bot', email: 'bot@spam.test', message: 'Buy', website: 'http://spam.test' },
    })
    expect(bot.statusCode).toBe(201)
    expect(bot.json().ticketId).toBeNull()

    await app.inject({ method: 'PATCH', url: `/api/v1/chat/inboxes/${otherInboxId}/settings`, headers: admin.headers, payload: { offlineFormEnabled: false } })
    const off = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/offline',
      remoteAddress: '10.4.0.4',
      payload: { inboxId: otherInboxId, name: 'O', email: 'o@x.test', message: 'm' },
    })
    expect(off.statusCode).toBe(403)
  })

  it('stores an upload within the limit as a chat message with a signed download link; refuses larger files with 413', async () => {
    const s = await startSession(app, { inboxId })
    const res = await upload(
      s.token,
      { name: 'page.html', type: 'text/html', content: '<script>alert(1)</script>' },
      { clientId: 'up-1', fields: '{"name":"Uma"}' },
    )
    expect(res.statusCode).toBe(201)
    const message = res.json()
    expect(message).toMatchObject({ clientId: 'up-1', author: { kind: 'visitor', name: 'Uma' }, text: '' })
    expect(message.attachments[0]).toMatchObject({ filename: 'page.html', contentType: 'text/html', size: 25 })
    expect(message.attachments[0].url).toMatch(/^http:\/\/help\.example\.test\/api\/v1\/attachments\/\d+\?expires=\d+&sig=[\w-]+$/)
    // The visitor downloads without a session; an HTML file is never served as a page.
    const download = await app.inject({ method: 'GET', url: message.attachments[0].url.replace('http://help.example.test', '') })
    expect(download.statusCode).toBe(200)
    expect(download.body).toBe('<script>alert(1)</script>')
    expect(download.headers['content-type']).toBe('application/octet-stream')
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment;/)
    const unsigned = await app.inject({ method: 'GET', url: `/api/v1/attachments/${message.attachments[0].id}` })
    expect(unsigned.statusCode).toBe(401)

    const again = await upload(s.token, { name: 'page.html', type: 'text/html', content: '<script>alert(1)</script>' }, { clientId: 'up-1' })
    expect(again.statusCode).toBe(201)
    expect(again.json().id).toBe(message.id)
    const conversation = await app.ctx.db.selectFrom('chatConversations').selectAll().where('visitorId', '=', s.visitorId).executeTakeFirstOrThrow()
    const customerMessages = await app.ctx.db
      .selectFrom('messages')
      .select('id')
      .where('ticketId', '=', conversation.ticketId)
      .where('kind', '=', 'customer')
      .execute()
    expect(customerMessages).toHaveLength(1)
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${conversation.ticketId}`, headers: agent.headers })).json()
    expect(ticket).toMatchObject({ subject: 'File from Uma', tags: ['chat'] })

    const big = await upload(s.token, { name: 'big.bin', type: 'application/octet-stream', content: Buffer.alloc(3000, 1) }, { clientId: 'up-2' })
    expect(big.statusCode).toBe(413)
    expect(big.json().error.message).toMatch(/limited to/)
    const anonymous = await upload('no-such-token', { name: 'a.txt', type: 'text/plain', content: 'x' })
    expect(anonymous.statusCode).toBe(401)
  })

  it('requires the pre-chat form before a chat starts with a file', async () => {
    const s = await startSession(app, { inboxId })
    const res = await upload(s.token, { name: 'a.txt', type: 'text/plain', content: 'x' }, {}, '10.2.0.9')
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toBe('Please check the form: Name is required')
  })

  it('takes one rating once someone answered, and counts it as the ticket’s CSAT', async () => {
    const s = await startSession(app, { inboxId })
    const rate = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/widget/rating', payload: { token: s.token, ...body }, remoteAddress: '10.5.0.1' })
    expect((await rate({ rating: 5 })).statusCode).toBe(404)
    await upload(s.token, { name: 'a.txt', type: 'text/plain', content: 'x' }, { fields: '{"name":"Rita"}' }, '10.5.0.2')
    const { ticketId } = await app.ctx.db.selectFrom('chatConversations').select('ticketId').where('visitorId', '=', s.visitorId).executeTakeFirstOrThrow()
    const early = await rate({ rating: 5 })
    expect(early.statusCode).toBe(422)
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body: 'Got it, thanks!' } })
    const rated = await rate({ rating: 4, comment: 'Quick and friendly' })
    expect(rated.statusCode).toBe(200)
    expect(rated.json().conversation).toMatchObject({ ticketId, rating: 4 })
    expect(await app.ctx.db.selectFrom('chatConversations').select(['rating', 'ratingComment']).where('ticketId', '=', ticketId).executeTakeFirst()).toEqual({
      rating: 4,
      ratingComment: 'Quick and friendly',
    })
    const csat = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/csat`, headers: agent.headers })).json().items
    expect(csat).toHaveLength(1)
    // The default CSAT scale is good / okay / bad: 4 of 5 is good.
    expect(csat[0]).toMatchObject({ status: 'rated', score: 5, comment: 'Quick and friendly' })
    expect((await rate({ rating: 1 })).statusCode).toBe(409)
    const bad = await app.inject({ method: 'POST', url: '/api/v1/widget/rating', payload: { token: s.token, rating: 9 }, remoteAddress: '10.5.0.3' })
    expect(bad.statusCode).toBe(400)
  })
  it('moves the rating of a chat rated while open to its solve, so no survey asks again and the solve counts it', async () => {
    const s = await startSession(app, { inboxId })
    await upload(s.token, { name: 'a.txt', type: 'text/plain', content: 'x' }, { fields: '{"name":"Sol"}' }, '10.5.0.4')
    const { ticketId } = await app.ctx.db.selectFrom('chatConversations').select('ticketId').where('visitorId', '=', s.visitorId).executeTakeFirstOrThrow()
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body: 'Done!' } })
    const rated = await app.inject({ method: 'POST', url: '/api/v1/widget/rating', payload: { token: s.token, rating: 2 }, remoteAddress: '10.5.0.4' })
    expect(rated.statusCode).toBe(200)
    advanceClock(1000)
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers, payload: { status: 'solved' } })
    const { solvedAt } = await app.ctx.db.selectFrom('tickets').select('solvedAt').where('id', '=', ticketId).executeTakeFirstOrThrow()
    await expect
      .poll(async () => (await app.ctx.db.selectFrom('csatRequests').select('solvedAt').where('ticketId', '=', ticketId).execute()).map((r) => r.solvedAt))
      .toEqual([solvedAt])
    // The survey scheduler, an hour later, finds the solve answered and creates nothing.
    advanceClock(2 * 3_600_000)
    await scheduleCsatSurveysJob.handle(app.ctx, { slot: 0 })
    const rows = await app.ctx.db.selectFrom('csatRequests').select(['status', 'score']).where('ticketId', '=', ticketId).execute()
    expect(rows).toEqual([{ status: 'rated', score: 1 }])
  })
})
