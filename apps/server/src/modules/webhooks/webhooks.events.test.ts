import type { WebhookDeliveryDto, WebhookDto, WebhookEventType } from '@allhands/contract'
import { afterAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { scanSlaTimers } from '../sla/sla.scan.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { inTransaction } from '../../platform/context.ts'
import { buildChatInbox, connectWidget, startSession } from '../chat/widget.test-support.ts'
import { ticketEvent } from '../tickets/tickets.events.ts'
import { startWebhookReceiver } from './webhooks.test-support.ts'

type Sent = { id: string; type: WebhookEventType; timestamp: string; data: Record<string, any> }

/** Which changes become which webhook events, with what data; and that a rolled-back change queues nothing. */
describe('webhook events', async () => {
  const sink = await startSmtpSink()
  const receiver = await startWebhookReceiver()
  const app = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1', SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    for (const s of sockets) s.close()
    resetClock()
  })
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, as = admin) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  // A ticket that exists before any webhook: its first change is told from the history the change writes.
  const older = await buildTicket(app, agent)
  const webhook: WebhookDto = (
    await call('POST', '/webhooks', {
      url: receiver.url('/all'),
      events: ['ticket.created', 'ticket.updated', 'ticket.merged', 'message.created', 'csat.rated', 'contact.created', 'chat.started', 'chat.ended'],
    })
  ).json()

  let seen = 0
  /** Runs the delivery jobs and returns the events received since the last call. */
  const sent = async (): Promise<Sent[]> => {
    await app.ctx.jobs.runDue()
    const all = receiver.at('/all').map((r) => JSON.parse(r.body) as Sent)
    const fresh = all.slice(seen)
    seen = all.length
    return fresh
  }
  const ofType = (events: Sent[], type: WebhookEventType) => events.filter((e) => e.type === type)

  it('announces a new ticket, its opening message and its new requester', async () => {
    const email = `${unique('new')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email, name: 'Nora New' } })
    const events = await sent()
    expect(events.map((e) => e.type).sort()).toEqual(['contact.created', 'message.created', 'ticket.created'])
    expect(ofType(events, 'ticket.created')[0]!.data).toMatchObject({ ticketId: ticket.id, ticket: { id: ticket.id, subject: ticket.subject } })
    expect(ofType(events, 'message.created')[0]!.data).toMatchObject({
      ticketId: ticket.id,
      internal: false,
      message: { kind: 'customer', text: 'My card was declined at the shop yesterday.' },
    })
    expect(ofType(events, 'contact.created')[0]!.data).toMatchObject({ contactId: ticket.requester.id, contact: { name: 'Nora New', emails: [email] } })
    // A known requester is no new contact.
    await buildTicket(app, agent, { requester: { email } })
    expect((await sent()).map((e) => e.type).sort()).toEqual(['message.created', 'ticket.created'])
  })

  it('sends ticket.updated only when status, priority, assignee, team or tags change, with what changed', async () => {
    const ticket = await buildTicket(app, agent)
    await sent()
    expect((await call('PATCH', `/tickets/${ticket.id}`, { status: 'pending', priority: 'high', tags: ['vip', 'billing'] })).statusCode).toBe(200)
    const [update, ...others] = await sent()
    expect(others).toEqual([])
    expect(update).toMatchObject({
      type: 'ticket.updated',
      data: {
        ticketId: ticket.id,
        changes: { status: { from: 'new', to: 'pending' }, priority: { from: 'normal', to: 'high' }, tags: { added: ['billing', 'vip'], removed: [] } },
        ticket: { id: ticket.id, status: 'pending', priority: 'high', tags: ['billing', 'vip'] },
      },
    })
    // Following, or changing the subject, is no ticket.updated.
    await call('POST', `/tickets/${ticket.id}/follow`)
    await call('PATCH', `/tickets/${ticket.id}`, { subject: 'Renamed' })
    expect(await sent()).toEqual([])
  })

  it('flags internal notes, and sees the assignment a first reply makes', async () => {
    const ticket = await buildTicket(app, agent)
    await sent()
    await call('POST', `/tickets/${ticket.id}/notes`, { body: 'Checked the logs: a duplicate charge.' }, agent)
    const [note] = await sent()
    expect(note).toMatchObject({ type: 'message.created', data: { internal: true, message: { kind: 'note', direction: 'internal' } } })
    await call('POST', `/tickets/${ticket.id}/replies`, { body: 'We refunded the duplicate charge.' }, agent)
    const events = await sent()
    expect(ofType(events, 'message.created')[0]!.data).toMatchObject({ internal: false, message: { kind: 'reply', direction: 'outbound' } })
    // No history line records that the first reply took the unassigned ticket: the state kept for webhooks does.
    expect(ofType(events, 'ticket.updated')[0]!.data.changes).toEqual({ status: { from: 'new', to: 'open' }, assigneeId: { from: null, to: agent.id } })
  })

  it('tells the first change of a ticket older than the webhook from the history it wrote', async () => {
    await call('PATCH', `/tickets/${older.id}`, { priority: 'urgent', assigneeId: agent.id })
    const [update] = await sent()
    expect(update).toMatchObject({ type: 'ticket.updated', data: { ticketId: older.id, ticket: { status: 'open', priority: 'urgent' } } })
    // Assigning a new ticket also opens it without a history line of its own: for a ticket not seen before, that
    // part is not told (docs/WEBHOOKS.md). From now on its state is kept, and every change is.
    expect(update!.data.changes).toEqual({ priority: { from: 'normal', to: 'urgent' }, assigneeId: { from: null, to: agent.id } })
    await call('PATCH', `/tickets/${older.id}`, { assigneeId: null, status: 'pending' })
    const [next] = await sent()
    expect(next!.data.changes).toEqual({ status: { from: 'open', to: 'pending' }, assigneeId: { from: agent.id, to: null } })
  })

  it('reports no stale change after ticket.updated went unwatched for a while', async () => {
    const ticket = await buildTicket(app, agent)
    await sent()
    expect((await call('PATCH', `/webhooks/${webhook.id}`, { enabled: false })).statusCode).toBe(200)
    await call('PATCH', `/tickets/${ticket.id}`, { priority: 'high' })
    expect((await call('PATCH', `/webhooks/${webhook.id}`, { enabled: true })).statusCode).toBe(200)
    await call('PATCH', `/tickets/${ticket.id}`, { status: 'pending' })
    const [update] = await sent()
    expect(update!.data.changes).toEqual({ status: { from: 'new', to: 'pending' } })
  })

  it('announces a merge with both tickets', async () => {
    const from = await buildTicket(app, agent)
    const into = await buildTicket(app, agent)
    await sent()
    expect((await call('POST', `/tickets/${from.id}/merge`, { intoTicketId: into.id })).statusCode).toBe(200)
    const events = await sent()
    expect(ofType(events, 'ticket.merged')[0]!.data).toMatchObject({
      ticketId: from.id,
      intoTicketId: into.id,
      ticket: { id: from.id, mergedIntoId: into.id, status: 'closed' },
      intoTicket: { id: into.id },
    })
  })

  it('announces a contact created through the API', async () => {
    const res = await call('POST', '/contacts', { name: 'Carla Contact', emails: [`${unique('carla')}@customer.test`] })
    expect(res.statusCode).toBe(201)
    const [created] = await sent()
    expect(created).toMatchObject({ type: 'contact.created', data: { contactId: res.json().id, contact: { name: 'Carla Contact' } } })
  })

  it('announces a satisfaction rating', async () => {
    const email = `${unique('rater')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email, name: 'Rita Rater' } })
    await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' }, agent)
    advanceClock(61 * 60_000)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitForTo(email)
    const token = /survey\/(cs_[A-Za-z0-9_-]+)/.exec(mail.parsed.text!)![1]!
    await sent()
    const rated = await app.inject({ method: 'POST', url: `/api/v1/public/surveys/csat/${token}`, payload: { rating: 'good', comment: 'Quick and kind' } })
    expect(rated.json().outcome).toBe('rated')
    const [event] = await sent()
    expect(event).toMatchObject({
      type: 'csat.rated',
      data: { ticketId: ticket.id, rating: { rating: 'good', comment: 'Quick and kind', ticket: { id: ticket.id } } },
    })
  })

  it('announces a live chat starting and ending', async () => {
    const inboxId = await buildChatInbox(app, admin)
    const { token } = await startSession(app, { inboxId })
    const widget = await connectWidget(base, token)
    sockets.push(widget.ws)
    await widget.waitFor('ready')
    widget.send({ type: 'message', clientId: unique('c'), text: 'Is anyone there?', fields: { name: 'Vera Visitor' } })
    widget.send({ type: 'ping' })
    await widget.waitFor('pong')
    const started = await sent()
    const chat = ofType(started, 'chat.started')[0]!
    expect(chat.data).toMatchObject({ chat: { status: 'waiting', endedAt: null }, ticket: { tags: ['chat'] } })
    expect(started.map((e) => e.type)).toEqual(expect.arrayContaining(['ticket.created', 'message.created', 'contact.created']))
    expect((await call('POST', `/tickets/${chat.data.ticketId}/chat/end`)).statusCode).toBe(200)
    const [ended] = ofType(await sent(), 'chat.ended')
    expect(ended!.data).toMatchObject({ ticketId: chat.data.ticketId, chat: { status: 'ended', endedAt: expect.any(Number) } })
  })

  it('queues deliveries in the transaction of the change: a rolled-back change queues nothing', async () => {
    const ticket = await buildTicket(app, agent)
    await sent()
    const queued = async () => ({
      deliveries: (await call('GET', `/webhooks/${webhook.id}/deliveries?limit=200`)).json().items.length as number,
      jobs: Number(
        (
          await app.ctx.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('name', '=', 'deliver-webhook')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    })
    const before = await queued()
    const change = (fail: boolean) =>
      inTransaction(app.ctx, async (trx, emit) => {
        await trx.updateTable('tickets').set({ priority: 'urgent' }).where('id', '=', ticket.id).execute()
        emit(ticketEvent('ticket.updated', ticket))
        if (fail) throw new Error('the change failed after its event was emitted')
      })
    await expect(change(true)).rejects.toThrow('the change failed')
    expect(await queued()).toEqual(before)
    expect((await call('GET', `/tickets/${ticket.id}`)).json().priority).toBe('normal')
    await change(false)
    expect(await queued()).toEqual({ deliveries: before.deliveries + 1, jobs: before.jobs + 1 })
    const [delivery] = (await call('GET', `/webhooks/${webhook.id}/deliveries?limit=1`)).json().items as WebhookDeliveryDto[]
    expect(delivery).toMatchObject({ event: 'ticket.updated', status: 'pending', requestBody: null })
    expect((await sent()).map((e) => e.data.changes)).toEqual([{ priority: { from: 'normal', to: 'urgent' } }])
  })

  it('announces an SLA warning and breach once each, with the ticket', async () => {
    const slaHook: WebhookDto = (await call('POST', '/webhooks', { url: receiver.url('/sla'), events: ['sla.warning', 'sla.breached'] })).json()
    const target = { firstResponse: null, nextResponse: null, resolution: 10 }
    const policy = await call('POST', '/sla-policies', { name: 'Fast', targets: { low: target, normal: target, high: target, urgent: target } })
    expect(policy.statusCode, policy.body).toBe(201)
    const ticket = await buildTicket(app, agent)
    advanceClock(9 * 60_000)
    await scanSlaTimers(app.ctx)
    advanceClock(2 * 60_000)
    await scanSlaTimers(app.ctx)
    await scanSlaTimers(app.ctx)
    await app.ctx.jobs.runDue()
    const got = receiver.at('/sla').map((r) => JSON.parse(r.body) as Sent)
    expect(got.map((e) => e.type)).toEqual(['sla.warning', 'sla.breached'])
    expect(got[1]!.data).toMatchObject({ ticketId: ticket.id, sla: { metric: 'resolution', policyId: policy.json().id }, ticket: { id: ticket.id } })
    expect((await call('GET', `/webhooks/${slaHook.id}/deliveries`)).json().items).toHaveLength(2)
  })
})
