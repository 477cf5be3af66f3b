import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { EMAIL_AFTER_MS } from './chat.delivery.ts'
import { identitySignature } from './chat.visitors.ts'
import { buildChatInbox, connectWidget, startSession } from './widget.test-support.ts'

describe('chat email: transcripts and replies for visitors who left', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, CHAT_LEAVE_GRACE_MS: '200' })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Ada Agent' })
  const inboxId = await buildChatInbox(app, admin)
  const { identitySecret } = (await app.inject({ method: 'GET', url: `/api/v1/chat/inboxes/${inboxId}/settings`, headers: admin.headers })).json()
  const sockets: { close(): void }[] = []
  afterAll(() => {
    for (const s of sockets) s.close()
  })
  afterEach(() => resetClock())

  /** A visitor who chats over the socket: returns the chat's ticket id and the socket. */
  async function chat(session: { token: string; visitorId: number }, text: string, fields?: Record<string, string>) {
    const client = await connectWidget(base, session.token)
    sockets.push(client.ws)
    await client.waitFor('ready')
    client.send({ type: 'message', clientId: `c-${text.length}-${Date.now()}`, text, ...(fields ? { fields } : {}) })
    await client.waitFor('ack')
    const conversation = await app.ctx.db
      .selectFrom('chatConversations')
      .select('ticketId')
      .where('visitorId', '=', session.visitorId)
      .executeTakeFirstOrThrow()
    return { ticketId: conversation.ticketId, client }
  }
  const reply = (ticketId: number, body: string) =>
    app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body } })
  const deliveryOf = async (messageId: number) =>
    app.ctx.db.selectFrom('messages').select(['deliveryStatus', 'deliveryError']).where('id', '=', messageId).executeTakeFirstOrThrow()

  it('emails the transcript (plain text and escaped HTML) to the address the visitor gives', async () => {
    const session = await startSession(app, { inboxId })
    const { ticketId } = await chat(session, 'Is <script>alert(1)</script> a problem?', { name: 'Tina' })
    await reply(ticketId, '<p>No, that is <b>fine</b>.</p>')
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/notes`, headers: agent.headers, payload: { body: 'internal only' } })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/transcript',
      payload: { token: session.token, email: 'tina@customer.test' },
      remoteAddress: '10.6.0.1',
    })
    expect(res.statusCode).toBe(202)
    const before = sink.received.length
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(before + 1)
    expect(mail.rcpt).toEqual(['tina@customer.test'])
    expect(mail.parsed.subject).toContain(`[#${ticketId}]`)
    expect(mail.parsed.text).toContain('Is <script>alert(1)</script> a problem?')
    expect(mail.parsed.text).toContain('No, that is fine.')
    expect(mail.parsed.text).not.toContain('internal only')
    expect(mail.parsed.html).toContain('Is &lt;script&gt;alert(1)&lt;/script&gt; a problem?')
    expect(mail.parsed.html).not.toContain('<script>')
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')

    // Asking again within the hour queues nothing new; without an address an anonymous visitor is told to give one.
    await app.inject({
      method: 'POST',
      url: '/api/v1/widget/transcript',
      payload: { token: session.token, email: 'tina@customer.test' },
      remoteAddress: '10.6.0.1',
    })
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before + 1)
    const noAddress = await app.inject({ method: 'POST', url: '/api/v1/widget/transcript', payload: { token: session.token }, remoteAddress: '10.6.0.1' })
    expect(noAddress.statusCode).toBe(400)
    const badToken = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/transcript',
      payload: { token: 'nope', email: 'x@y.test' },
      remoteAddress: '10.6.0.1',
    })
    expect(badToken.statusCode).toBe(401)
  })

  it('emails a reply to a verified visitor who has left, and only shows it live to one who is there', async () => {
    const session = await startSession(app, {
      inboxId,
      identity: { userId: 'v-7', email: 'victor@customer.test', name: 'Victor', signature: identitySignature(identitySecret, 'v-7', 'victor@customer.test') },
    })
    const { ticketId, client } = await chat(session, 'Where is my refund?')
    const live = await reply(ticketId, 'Looking into it now.')
    expect((await deliveryOf(live.json().id)).deliveryStatus).toBe('sent')
    await client.close()
    await expect.poll(() => app.ctx.visitors.isOnline(session.visitorId)).toBe(false)

    const before = sink.received.length
    const later = await reply(ticketId, 'Your refund was sent today.')
    expect((await deliveryOf(later.json().id)).deliveryStatus).toBe('queued')
    // The email waits a minute for the visitor to come back.
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before)
    advanceClock(EMAIL_AFTER_MS)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(before + 1)
    expect(mail.rcpt).toEqual(['victor@customer.test'])
    expect(mail.parsed.subject).toBe(`Re: Where is my refund? [#${ticketId}]`)
    expect(mail.parsed.text).toContain('Your refund was sent today.')
    expect(mail.parsed.headers.get('auto-submitted')).toBeUndefined()
    expect(await deliveryOf(later.json().id)).toEqual({ deliveryStatus: 'sent', deliveryError: null })
  })

  it('does not email a reply the verified visitor saw when they came back', async () => {
    const session = await startSession(app, {
      inboxId,
      identity: { userId: 'v-8', email: 'wanda@customer.test', signature: identitySignature(identitySecret, 'v-8', 'wanda@customer.test') },
    })
    const { ticketId, client } = await chat(session, 'Quick question')
    await client.close()
    await expect.poll(() => app.ctx.visitors.isOnline(session.visitorId)).toBe(false)
    const before = sink.received.length
    const res = await reply(ticketId, 'Quick answer')
    expect((await deliveryOf(res.json().id)).deliveryStatus).toBe('queued')
    advanceClock(1000)
    const back = await startSession(app, {
      inboxId,
      token: session.token,
      identity: { userId: 'v-8', email: 'wanda@customer.test', signature: identitySignature(identitySecret, 'v-8', 'wanda@customer.test') },
    })
    expect(back.messages.map((m) => m.text)).toContain('Quick answer')
    advanceClock(EMAIL_AFTER_MS)
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before)
    expect((await deliveryOf(res.json().id)).deliveryStatus).toBe('sent')
  })

  it('never emails an unverified visitor’s claimed address; they read the reply when they come back', async () => {
    const session = await startSession(app, { inboxId })
    const { ticketId, client } = await chat(session, 'Hi', { name: 'Clara', email: 'clara@claims.test' })
    await client.close()
    await expect.poll(() => app.ctx.visitors.isOnline(session.visitorId)).toBe(false)
    const before = sink.received.length
    const res = await reply(ticketId, 'Hello Clara')
    expect((await deliveryOf(res.json().id)).deliveryStatus).toBeNull()
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before)
    const back = await startSession(app, { inboxId, token: session.token })
    expect(back.messages.map((m) => m.text)).toEqual(['Hi', 'Hello Clara'])
  })

  it('answers an offline message by email', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/offline',
      remoteAddress: '10.6.0.2',
      payload: { inboxId, name: 'Otto', email: 'otto@customer.test', message: 'Call me back please' },
    })
    const ticketId = res.json().ticketId
    const before = sink.received.length
    const answer = await reply(ticketId, 'We will call you tomorrow.')
    expect((await deliveryOf(answer.json().id)).deliveryStatus).toBe('queued')
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(before + 1)
    expect(mail.rcpt).toEqual(['otto@customer.test'])
    expect(mail.parsed.text).toContain('We will call you tomorrow.')
    expect(mail.parsed.text).toContain('left us a message')
  })
})
