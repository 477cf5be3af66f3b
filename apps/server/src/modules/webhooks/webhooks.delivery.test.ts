import type { TicketDto, WebhookDeliveryDto, WebhookDto, WebhookEventType, WebhookWithSecretDto } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'
import { hasValidSignature, startWebhookReceiver } from './webhooks.test-support.ts'

const HOUR = 3_600_000

describe('webhook deliveries to a real receiver', async () => {
  const sink = await startSmtpSink()
  const receiver = await startWebhookReceiver()
  const app = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_TIMEOUT_MS: '1000', SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const owner = await buildUser(app, { role: 'owner' })
  const agent = await buildUser(app, { role: 'agent' })

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) })
  const createWebhook = async (path: string, events: WebhookEventType[] = ['ticket.created']): Promise<WebhookWithSecretDto> => {
    const res = await call('POST', '/webhooks', { url: receiver.url(path), events, description: `Receiver ${path}` })
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }
  const deliveriesOf = async (webhookId: number, query = ''): Promise<{ items: WebhookDeliveryDto[]; nextCursor: string | null }> => {
    const res = await call('GET', `/webhooks/${webhookId}/deliveries${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }
  const webhookOf = async (id: number): Promise<WebhookDto> => (await call('GET', `/webhooks/${id}`)).json()
  /** Runs due jobs, then lets an hour pass (past any backoff), as often as asked. */
  const rounds = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await app.ctx.jobs.runDue()
      advanceClock(HOUR)
    }
  }

  afterEach(async () => {
    for (const w of (await call('GET', '/webhooks')).json().items as WebhookDto[]) await call('DELETE', `/webhooks/${w.id}`)
    resetClock()
  })

  it('signs each delivery as documented and sends the ticket as the API shows it', async () => {
    const webhook = await createWebhook('/signed')
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const ticket = await buildTicket(app, agent)
    await app.ctx.jobs.runDue()
    const request = await receiver.waitFor('/signed', 1)
    expect(hasValidSignature(webhook.secret, request)).toBe(true)
    expect(hasValidSignature('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', request)).toBe(false)
    expect(hasValidSignature(webhook.secret, { ...request, body: request.body.replace('"ticket.created"', '"ticket.updated"') })).toBe(false)
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'allhands-event': 'ticket.created',
      'allhands-attempt': '1',
      'user-agent': expect.stringMatching(/^Allhands-Webhooks\//),
      'webhook-id': expect.stringMatching(/^msg_[A-Za-z0-9_-]{22}$/),
    })
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Math.floor(now() / 1000))).toBeLessThan(5)
    const body = JSON.parse(request.body)
    const shown: TicketDto = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: admin.headers })).json()
    expect(body).toEqual({
      id: request.headers['webhook-id'],
      type: 'ticket.created',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { ticketId: ticket.id, ticket: shown },
    })
    const [logged] = (await deliveriesOf(webhook.id)).items
    expect(logged).toMatchObject({
      event: 'ticket.created',
      status: 'delivered',
      attempts: 1,
      responseStatus: 200,
      responseExcerpt: 'ok',
      error: null,
      messageId: request.headers['webhook-id'],
      requestBody: request.body,
      requestBodyTruncated: false,
      payloadTruncated: false,
    })
    expect(logged!.requestHeaders).toMatchObject({ 'webhook-id': logged!.messageId, 'webhook-signature': request.headers['webhook-signature'] })
    expect(logged!.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('retries a failed delivery with the same id and the same bytes, and logs each outcome', async () => {
    receiver.plan('/flaky', (n) => (n === 1 ? { status: 500, body: 'database is down' } : { status: 204 }))
    const webhook = await createWebhook('/flaky')
    await buildTicket(app, agent)
    await app.ctx.jobs.runDue()
    const [failed] = (await deliveriesOf(webhook.id)).items
    expect(failed).toMatchObject({
      status: 'retrying',
      attempts: 1,
      responseStatus: 500,
      responseExcerpt: 'database is down',
      error: 'The receiver answered 500',
    })
    expect((await webhookOf(webhook.id)).status).toBe('failing')

    advanceClock(10_000)
    await app.ctx.jobs.runDue()
    const [first, second] = [receiver.at('/flaky')[0]!, await receiver.waitFor('/flaky', 2)]
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id'])
    expect(second.body).toBe(first.body)
    expect(second.headers['allhands-attempt']).toBe('2')
    expect(hasValidSignature(webhook.secret, second)).toBe(true)
    const [delivered] = (await deliveriesOf(webhook.id)).items
    expect(delivered).toMatchObject({ id: failed!.id, status: 'delivered', attempts: 2, responseStatus: 204, error: null })
    expect(await webhookOf(webhook.id)).toMatchObject({ status: 'enabled', failingSince: null, consecutiveFailures: 0 })
  })

  it('pages the log newest first and redelivers a delivery with its id and body', async () => {
    const webhook = await createWebhook('/log')
    const tickets = [await buildTicket(app, agent), await buildTicket(app, agent), await buildTicket(app, agent)]
    await app.ctx.jobs.runDue()
    const first = await deliveriesOf(webhook.id, '?limit=2')
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).toBeTruthy()
    const rest = await deliveriesOf(webhook.id, `?limit=2&cursor=${first.nextCursor}`)
    expect(rest.items).toHaveLength(1)
    expect(rest.nextCursor).toBeNull()
    const bodies = [...first.items, ...rest.items].map((d) => JSON.parse(d.requestBody!).data.ticketId)
    expect(bodies).toEqual(tickets.map((t) => t.id).reverse())
    expect((await deliveriesOf(webhook.id, '?status=failed')).items).toEqual([])

    const target = rest.items[0]!
    const redelivered = await call('POST', `/webhooks/${webhook.id}/deliveries/${target.id}/redeliver`)
    expect(redelivered.statusCode, redelivered.body).toBe(202)
    expect(redelivered.json()).toMatchObject({ id: target.id, status: 'pending' })
    expect((await call('POST', `/webhooks/${webhook.id}/deliveries/${target.id}/redeliver`)).statusCode).toBe(409)
    await app.ctx.jobs.runDue()
    const resent = await receiver.waitFor('/log', 4)
    const original = receiver.at('/log').find((r) => r.headers['webhook-id'] === target.messageId)!
    expect(resent.headers['webhook-id']).toBe(target.messageId)
    expect(resent.body).toBe(original.body)
    expect((await deliveriesOf(webhook.id)).items.find((d) => d.id === target.id)).toMatchObject({ status: 'delivered', attempts: 2 })
    const other = await createWebhook('/other')
    expect((await call('POST', `/webhooks/${other.id}/deliveries/${target.id}/redeliver`)).statusCode).toBe(404)
  })

  it('sends a test ping on demand and logs it', async () => {
    const webhook = await createWebhook('/ping')
    const res = await call('POST', `/webhooks/${webhook.id}/test`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ event: 'ping', status: 'delivered', attempts: 1, responseStatus: 200 })
    const request = await receiver.waitFor('/ping', 1)
    expect(hasValidSignature(webhook.secret, request)).toBe(true)
    expect(JSON.parse(request.body)).toMatchObject({ type: 'ping', data: { webhookId: webhook.id } })
    receiver.plan('/ping', () => ({ status: 404, body: 'no such\u0000 hook' }))
    const failed = (await call('POST', `/webhooks/${webhook.id}/test`)).json()
    expect(failed).toMatchObject({ event: 'ping', status: 'failed', responseStatus: 404, responseExcerpt: 'no such hook' })
    // A failed ping says nothing about real deliveries: the webhook is not counted as failing.
    expect((await webhookOf(webhook.id)).status).toBe('enabled')
  })

  it('treats a redirect as a failure and never follows it', async () => {
    receiver.plan('/moved', () => ({ status: 302, headers: { location: receiver.url('/elsewhere') } }))
    const webhook = await createWebhook('/moved')
    await buildTicket(app, agent)
    await app.ctx.jobs.runDue()
    const [delivery] = (await deliveriesOf(webhook.id)).items
    expect(delivery).toMatchObject({ status: 'retrying', responseStatus: 302 })
    expect(delivery!.error).toMatch(/redirect to http:\/\/127\.0\.0\.1:\d+\/elsewhere.*not followed/)
    expect(receiver.at('/elsewhere')).toEqual([])
  })

  it('gives up on a receiver that does not answer in time', async () => {
    receiver.plan('/slow', () => ({ hang: true }))
    const webhook = await createWebhook('/slow')
    await buildTicket(app, agent)
    const started = Date.now()
    await app.ctx.jobs.runDue()
    expect(Date.now() - started).toBeLessThan(5_000)
    const [delivery] = (await deliveriesOf(webhook.id)).items
    expect(delivery).toMatchObject({ status: 'retrying', responseStatus: null, error: 'No complete answer within 1 s' })
    expect(delivery!.durationMs).toBeGreaterThanOrEqual(900)
  })

  it('reads at most 64 KB of an answer and keeps 1 KB of it in the log', async () => {
    receiver.plan('/chatty', () => ({ status: 200, streamBytes: 8 * 1024 * 1024 }))
    const webhook = await createWebhook('/chatty')
    await buildTicket(app, agent)
    await app.ctx.jobs.runDue()
    const [delivery] = (await deliveriesOf(webhook.id)).items
    expect(delivery).toMatchObject({ status: 'delivered', responseStatus: 200 })
    expect(delivery!.responseExcerpt).toBe('x'.repeat(1024))
    await expect.poll(() => receiver.stats.cutResponses).toBeGreaterThanOrEqual(1)
  })

  it('turns a webhook off after 20 deliveries failed in a row and tells the admins in the app and by email', async () => {
    receiver.plan('/down', () => ({ status: 503, body: 'maintenance' }))
    const webhook = await createWebhook('/down')
    for (let i = 0; i < 20; i++) await buildTicket(app, agent)
    await rounds(8)
    expect(receiver.at('/down')).toHaveLength(160)
    const off = await webhookOf(webhook.id)
    expect(off).toMatchObject({ enabled: false, status: 'disabled', consecutiveFailures: 20 })
    expect(off.disabledReason).toBe('Turned off automatically after 20 failed deliveries in a row')
    expect((await deliveriesOf(webhook.id, '?status=failed&limit=50')).items).toHaveLength(20)

    for (const person of [admin, owner]) {
      const notifications = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: person.headers })).json()
      expect(notifications.items[0]).toMatchObject({ kind: 'webhook_disabled', ticketId: null, title: expect.stringContaining('Webhook to 127.0.0.1:') })
    }
    const agentNotes = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: agent.headers })).json()
    expect(agentNotes.items.map((n: { kind: string }) => n.kind)).not.toContain('webhook_disabled')
    await app.ctx.jobs.runDue()
    await sink.waitFor(2)
    const alerts = sink.received.filter((m) => m.parsed.subject?.startsWith('Webhook to 127.0.0.1'))
    expect(alerts.flatMap((m) => m.rcpt).sort()).toEqual([admin.email, owner.email].sort())
    expect(alerts[0]!.parsed.text).toContain('Turned off automatically after 20 failed deliveries in a row')
    const audit = (await call('GET', '/audit-log?action=webhook.disabled')).json().items
    expect(audit[0]).toMatchObject({ targetId: webhook.id, actor: null })

    // Off: new events queue nothing for it; enabled again, its counters start over.
    await buildTicket(app, agent)
    expect((await deliveriesOf(webhook.id, '?limit=50')).items).toHaveLength(20)
    const on = (await call('PATCH', `/webhooks/${webhook.id}`, { enabled: true })).json()
    expect(on).toMatchObject({ status: 'enabled', consecutiveFailures: 0, disabledReason: null, failingSince: null })
  })

  it('turns a webhook off when every delivery has failed for a day', async () => {
    receiver.plan('/gone', () => ({ status: 410 }))
    const webhook = await createWebhook('/gone')
    await buildTicket(app, agent)
    await rounds(8)
    expect(await webhookOf(webhook.id)).toMatchObject({ status: 'failing', consecutiveFailures: 1 })
    advanceClock(24 * HOUR)
    await buildTicket(app, agent)
    await rounds(8)
    const off = await webhookOf(webhook.id)
    expect(off.status).toBe('disabled')
    expect(off.disabledReason).toMatch(/^Turned off automatically: every delivery failed for (3[1-9]|[4-9]\d) hours$/)
  })
})
