import { WEBHOOK_EVENTS, type WebhookDto, type WebhookWithSecretDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { now } from '../../platform/clock.ts'
import { hasValidSignature, startWebhookReceiver } from './webhooks.test-support.ts'

type User = Awaited<ReturnType<typeof buildUser>>

/** Managing webhooks, on an app with the default outbound rules: no private addresses. */
describe('webhooks API', async () => {
  const receiver = await startWebhookReceiver()
  const app = await buildTestApp()
  const owner = await buildUser(app, { role: 'owner' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const call = (as: User, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const audit = async (action: string) => (await call(admin, 'GET', `/audit-log?action=${action}`)).json().items as Record<string, any>[]
  /** Stored as if the URL's host had resolved to a public address when it was saved (public hosts are not reachable from tests). */
  const insertWebhook = async (url: string, events: string[]) => {
    const t = now()
    const row = await app.ctx.db
      .insertInto('webhooks')
      .values({
        url,
        events: JSON.stringify(events),
        secret: 'whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=',
        createdById: admin.id,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  it('creates, lists, edits and deletes webhooks, shows the secret once and audits each change', async () => {
    const created = await call(admin, 'POST', '/webhooks', { url: 'https://hooks.example.com/allhands', description: 'CRM sync', events: ['ticket.created'] })
    expect(created.statusCode, created.body).toBe(201)
    const webhook: WebhookWithSecretDto = created.json()
    expect(webhook).toMatchObject({
      url: 'https://hooks.example.com/allhands',
      description: 'CRM sync',
      events: ['ticket.created'],
      enabled: true,
      status: 'enabled',
      consecutiveFailures: 0,
      createdBy: { id: admin.id, name: 'Ada Admin' },
    })
    expect(webhook.secret).toMatch(/^whsec_/)
    const listed = (await call(owner, 'GET', '/webhooks')).json().items as WebhookDto[]
    expect(listed.find((w) => w.id === webhook.id)).toBeTruthy()
    expect(JSON.stringify(listed)).not.toContain(webhook.secret)
    expect((await call(owner, 'GET', `/webhooks/${webhook.id}`)).body).not.toContain(webhook.secret)

    const edited = await call(admin, 'PATCH', `/webhooks/${webhook.id}`, { events: ['ticket.created', 'message.created'], enabled: false })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({
      events: ['ticket.created', 'message.created'],
      enabled: false,
      status: 'disabled',
      disabledReason: 'Turned off by Ada Admin',
    })
    expect(edited.body).not.toContain(webhook.secret)
    const [update] = await audit('webhook.updated')
    expect(update).toMatchObject({
      targetId: webhook.id,
      data: { events: { from: ['ticket.created'], to: ['ticket.created', 'message.created'] }, enabled: { from: true, to: false } },
    })
    expect((await audit('webhook.created'))[0]).toMatchObject({ targetId: webhook.id, actor: { id: admin.id }, data: { url: webhook.url } })
    expect(JSON.stringify(await audit('webhook.created'))).not.toContain(webhook.secret)

    expect((await call(owner, 'DELETE', `/webhooks/${webhook.id}`)).statusCode).toBe(200)
    expect((await call(owner, 'GET', `/webhooks/${webhook.id}`)).statusCode).toBe(404)
    expect((await audit('webhook.deleted'))[0]).toMatchObject({ targetId: webhook.id, actor: { id: owner.id } })
  })

  it('lists the event types with what each means', async () => {
    const catalog = (await call(admin, 'GET', '/webhooks/events')).json().items
    expect(catalog.map((e: { type: string }) => e.type)).toEqual([...WEBHOOK_EVENTS])
    expect(catalog.find((e: { type: string }) => e.type === 'message.created').description).toMatch(/internal/)
  })

  it('refuses URLs that are not http(s), carry credentials or point inside the network', async () => {
    const refuse = async (url: string, status: number, message: RegExp) => {
      const res = await call(admin, 'POST', '/webhooks', { url, events: ['ticket.created'] })
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status)
      expect(res.json().error.message).toMatch(message)
    }
    await refuse('ftp://files.example.com/drop', 400, /http:\/\/ or https:\/\//)
    await refuse('https://user:secret@hooks.example.com/x', 400, /user name or password/)
    await refuse('not a url at all', 400, /not valid/)
    for (const inside of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ])
      await refuse(inside, 422, /not a public address.*WEBHOOKS_ALLOW_PRIVATE/)
    const bad = await call(admin, 'POST', '/webhooks', { url: 'https://hooks.example.com/x', events: [] })
    expect(bad.statusCode).toBe(400)
    expect((await call(admin, 'POST', '/webhooks', { url: 'https://hooks.example.com/x', events: ['ticket.deleted'] })).statusCode).toBe(400)
  })

  it('refuses at delivery time a host that now resolves inside the network, without retrying', async () => {
    const id = await insertWebhook(receiver.url('/inside'), ['ticket.created'])
    await buildTicket(app, agent)
    await app.ctx.jobs.runDue()
    const [delivery] = (await call(admin, 'GET', `/webhooks/${id}/deliveries`)).json().items
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null })
    expect(delivery.error).toMatch(/^127\.0\.0\.1 resolves to 127\.0\.0\.1, which is not a public address/)
    expect(receiver.at('/inside')).toEqual([])
    expect((await call(admin, 'GET', `/webhooks/${id}`)).json()).toMatchObject({ status: 'failing', consecutiveFailures: 1 })
    const ping = (await call(admin, 'POST', `/webhooks/${id}/test`)).json()
    expect(ping).toMatchObject({ event: 'ping', status: 'failed', error: expect.stringMatching(/not a public address/) })
    await call(admin, 'DELETE', `/webhooks/${id}`)
  })

  it('rotates the secret: the new one is shown once and the old one keeps signing for the grace period', async () => {
    const id = await insertWebhook('https://hooks.example.com/rotating', ['ticket.created'])
    const oldSecret = (await app.ctx.db.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirstOrThrow()).secret
    const res = await call(admin, 'POST', `/webhooks/${id}/rotate-secret`, { keepPreviousHours: 2 })
    expect(res.statusCode, res.body).toBe(200)
    const rotated: WebhookWithSecretDto = res.json()
    expect(rotated.secret).toMatch(/^whsec_/)
    expect(rotated.secret).not.toBe(oldSecret)
    expect(rotated.previousSecretExpiresAt! - now()).toBeGreaterThan(2 * 3_600_000 - 60_000)
    expect((await audit('webhook.secret_rotated'))[0]).toMatchObject({ targetId: id, data: { keepPreviousHours: 2 } })
    expect(JSON.stringify(await audit('webhook.secret_rotated'))).not.toContain(rotated.secret)
    // A ping to a loopback receiver is refused here, but the headers it would carry are logged: both secrets sign.
    await app.ctx.db
      .updateTable('webhooks')
      .set({ url: receiver.url('/rotating') })
      .where('id', '=', id)
      .execute()
    const ping = (await call(admin, 'POST', `/webhooks/${id}/test`)).json()
    const signed = { headers: ping.requestHeaders, body: ping.requestBody }
    expect(ping.requestHeaders['webhook-signature'].split(' ')).toHaveLength(2)
    expect(hasValidSignature(rotated.secret, signed)).toBe(true)
    expect(hasValidSignature(oldSecret, signed)).toBe(true)
    const now0 = (await call(admin, 'POST', `/webhooks/${id}/rotate-secret`, { keepPreviousHours: 0 })).json()
    expect(now0.previousSecretExpiresAt).toBeNull()
    // Without a body the default grace period applies.
    const bare = await app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/rotate-secret`, headers: admin.headers })
    expect(bare.statusCode, bare.body).toBe(200)
    expect(bare.json().previousSecretExpiresAt - now()).toBeGreaterThan(23 * 3_600_000)
    await call(admin, 'DELETE', `/webhooks/${id}`)
  })

  it('keeps agents and contributors out of every webhook route', async () => {
    const id = await insertWebhook('https://hooks.example.com/private', ['ticket.created'])
    const routes: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object][] = [
      ['GET', '/webhooks'],
      ['GET', '/webhooks/events'],
      ['POST', '/webhooks', { url: 'https://hooks.example.com/rogue', events: ['ticket.created'] }],
      ['GET', `/webhooks/${id}`],
      ['PATCH', `/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/webhooks/${id}`],
      ['POST', `/webhooks/${id}/rotate-secret`, {}],
      ['POST', `/webhooks/${id}/test`],
      ['GET', `/webhooks/${id}/deliveries`],
      ['POST', `/webhooks/${id}/deliveries/1/redeliver`],
      // Refused before the input is looked at: a malformed request tells an outsider nothing either.
      ['POST', '/webhooks', { nonsense: true }],
      ['GET', '/webhooks/not-a-number/deliveries'],
    ]
    for (const user of [agent, contributor])
      for (const [method, url, body] of routes) {
        const res = await call(user, method, url, body)
        expect(res.statusCode, `${user.email} ${method} ${url}`).toBe(403)
        expect(res.json().error.code).toBe('forbidden')
      }
    expect((await call(admin, 'GET', `/webhooks/${id}`)).json()).toMatchObject({ id, enabled: true })
    await call(admin, 'DELETE', `/webhooks/${id}`)
  })
})
