import type { LiveVisitorDto, PageViewDto, VisitorServerMessage } from '@allhands/contract'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import type WebSocket from 'ws'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { connectWidget, startSession } from '../chat/widget.test-support.ts'

type User = Awaited<ReturnType<typeof buildUser>>
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('live visitors, invites and page views', async () => {
  const app = await buildTestApp({ CHAT_LEAVE_GRACE_MS: '150' })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Vic Agent' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    resetClock()
    for (const s of sockets) s.close()
  })
  const call = (as: User, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const inboxRes = await call(admin, 'POST', '/inboxes', { name: unique('Site chat '), type: 'chat' })
  const inboxId = inboxRes.json().id as number

  /** An agent's socket in the `visitors` room, with the updates about one visitor. */
  const watchVisitors = async (as: User) => {
    const socket = await connectAgentSocket(base, as.headers)
    sockets.push(socket.ws)
    expect(await socket.join('visitors')).toMatchObject({ type: 'subscribed' })
    const updates = (visitorId: number) =>
      socket.events('visitor.changed').filter((m) => (m.payload.visitor as LiveVisitorDto | undefined)?.id === visitorId || m.payload.visitorId === visitorId)
    return { updates }
  }

  /** A browser with the widget: a session, then the widget socket. */
  const visitor = async (token?: string) => {
    const session = await startSession(app, { inboxId, ...(token ? { token } : {}) })
    const widget = await connectWidget(base, session.token)
    sockets.push(widget.ws)
    await widget.waitFor('ready')
    const { received, send } = widget
    const page = (url: string, title = 'Shop') =>
      send({ type: 'page', url, title, referrer: 'https://search.test/?q=shoes', timezone: 'Europe/Berlin', language: 'de-DE' })
    const leave = () => widget.ws.close()
    /** Frames are handled in order: once the pong is back, everything sent before it is stored. */
    const settled = async () => {
      const pongs = received.filter((m) => m.type === 'pong').length
      send({ type: 'ping' })
      await expect.poll(() => received.filter((m) => m.type === 'pong').length).toBe(pongs + 1)
    }
    return { token: session.token, visitorId: session.visitorId, received, send, page, leave, settled }
  }
  const live = async (id: number) => ((await call(agent, 'GET', '/chat/visitors')).json().items as LiveVisitorDto[]).find((v) => v.id === id)

  it('shows who is on the site, where, and updates the list live (throttled) until they leave', async () => {
    const feed = await watchVisitors(agent)
    const v = await visitor()
    v.page('https://shop.test/', 'Home')
    await expect
      .poll(() => live(v.visitorId))
      .toMatchObject({
        inboxId,
        name: `Visitor ${v.visitorId}`,
        contact: null,
        verified: false,
        page: { url: 'https://shop.test/', title: 'Home' },
        referrer: 'https://search.test/?q=shoes',
        pagesThisVisit: 1,
        visitCount: 1,
        returning: false,
        timezone: 'Europe/Berlin',
        country: 'DE',
        language: 'de-DE',
        chat: null,
        invite: null,
      })
    await expect.poll(() => feed.updates(v.visitorId).length).toBeGreaterThan(0)

    const before = feed.updates(v.visitorId).length
    const burstStart = Date.now()
    for (let i = 1; i <= 15; i++) v.page(`https://shop.test/p/${i}`, `Product ${i}`)
    await v.settled()
    const burstMs = Date.now() - burstStart
    expect(await live(v.visitorId)).toMatchObject({ page: { url: 'https://shop.test/p/15' }, pagesThisVisit: 16 })
    // The last state of the burst goes out; the burst itself does not flood the agents: at most one update per
    // visitor every 500 ms, plus the trailing one.
    await expect
      .poll(() => feed.updates(v.visitorId).some((m) => (m.payload.visitor as LiveVisitorDto).page.url === 'https://shop.test/p/15'), { timeout: 3000 })
      .toBe(true)
    const sent = feed.updates(v.visitorId).length - before
    expect(sent).toBeLessThanOrEqual(Math.ceil(burstMs / 500) + 1)
    expect(sent).toBeLessThan(15)

    const views = (await call(agent, 'GET', `/chat/visitors/${v.visitorId}/page-views?limit=3`)).json()
    expect(views.items.map((p: PageViewDto) => p.url)).toEqual(['https://shop.test/p/15', 'https://shop.test/p/14', 'https://shop.test/p/13'])
    expect(views.items[0].seconds).toBeNull()
    expect(views.items[1].seconds).toBeGreaterThanOrEqual(0)
    expect(views.nextCursor).toEqual(expect.any(String))

    v.leave()
    await expect.poll(() => feed.updates(v.visitorId).some((m) => m.payload.left === true)).toBe(true)
    expect(await live(v.visitorId)).toBeUndefined()
  })

  it('lets an agent invite a visitor who is on the site, and only then', async () => {
    const v = await visitor()
    v.page('https://shop.test/checkout', 'Checkout')
    await expect.poll(() => live(v.visitorId)).toBeTruthy()
    expect((await call(agent, 'POST', `/chat/visitors/${v.visitorId}/invite`, { message: '' })).statusCode).toBe(400)
    const res = await call(agent, 'POST', `/chat/visitors/${v.visitorId}/invite`, { message: 'Need help with checkout?' })
    expect(res.statusCode).toBe(201)
    const inviteId = res.json().id
    await expect
      .poll(() => v.received.find((m) => m.type === 'invite'))
      .toEqual({ type: 'invite', inviteId, message: 'Need help with checkout?', agent: { name: 'Vic Agent', avatarUrl: null } })
    await expect.poll(async () => (await live(v.visitorId))?.invite).toMatchObject({ id: inviteId, status: 'sent' })
    v.send({ type: 'invite', inviteId, action: 'dismiss' })
    await expect.poll(async () => (await live(v.visitorId))?.invite?.status).toBe('dismissed')

    expect((await call(agent, 'POST', '/chat/visitors/999999/invite', { message: 'Hi' })).statusCode).toBe(404)
    v.leave()
    await expect.poll(() => live(v.visitorId)).toBeUndefined()
    const gone = await call(agent, 'POST', `/chat/visitors/${v.visitorId}/invite`, { message: 'Still there?' })
    expect(gone.statusCode).toBe(409)
  })

  it('fires an auto-invite rule once per cap, only on matching pages after the time on page, and only when someone can answer', async () => {
    const rule = {
      name: 'Pricing help',
      urlPattern: 'https://shop.test/pricing*',
      minSecondsOnPage: 1,
      returningOnly: false,
      message: 'Questions about plans?',
      capHours: 24,
      enabled: true,
    }
    expect((await call(agent, 'POST', `/chat/inboxes/${inboxId}/invite-rules`, rule)).statusCode).toBe(403)
    expect((await call(admin, 'POST', `/chat/inboxes/${inboxId}/invite-rules`, { ...rule, capHours: 0 })).statusCode).toBe(400)
    expect((await call(admin, 'POST', '/chat/inboxes/999999/invite-rules', rule)).statusCode).toBe(404)
    const created = await call(admin, 'POST', `/chat/inboxes/${inboxId}/invite-rules`, rule)
    expect(created.statusCode).toBe(201)
    const ruleId = created.json().id
    expect((await call(admin, 'GET', `/chat/inboxes/${inboxId}/invite-rules`)).json().items).toEqual([
      { ...rule, id: ruleId, inboxId, createdAt: expect.any(Number) },
    ])
    const invitesOf = (v: { received: VisitorServerMessage[] }) => v.received.filter((m) => m.type === 'invite')

    // Nobody online: no invite however long they stay.
    const early = await visitor()
    early.page('https://shop.test/pricing')
    await sleep(1400)
    expect(invitesOf(early)).toEqual([])
    early.leave()

    await call(agent, 'PUT', '/chat/me', { status: 'online' })
    onTestFinished(async () => {
      resetClock()
      await call(agent, 'PUT', '/chat/me', { status: 'offline' })
    })
    const v = await visitor()
    // Moving on before the time is up cancels it.
    v.page('https://shop.test/pricing')
    v.page('https://shop.test/about')
    await v.settled()
    await sleep(1300)
    expect(invitesOf(v)).toEqual([])
    v.page('https://shop.test/pricing?plan=team')
    await expect.poll(() => invitesOf(v), { timeout: 4000 }).toHaveLength(1)
    expect(invitesOf(v)[0]).toMatchObject({ message: 'Questions about plans?', agent: null })
    const stored = await app.ctx.db.selectFrom('chatInvites').selectAll().where('visitorId', '=', v.visitorId).execute()
    expect(stored).toMatchObject([{ ruleId, userId: null, status: 'sent' }])
    // The cap holds on the next matching page.
    v.page('https://shop.test/pricing/enterprise')
    await sleep(1400)
    expect(invitesOf(v)).toHaveLength(1)
    v.leave()

    // Returning-only rules wait for a second visit.
    const patched = await call(admin, 'PATCH', `/chat/invite-rules/${ruleId}`, { returningOnly: true, urlPattern: 'https://shop.test/docs*' })
    expect(patched.json()).toMatchObject({ returningOnly: true, urlPattern: 'https://shop.test/docs*', name: 'Pricing help' })
    const first = await visitor()
    first.page('https://shop.test/docs')
    await sleep(1400)
    expect(invitesOf(first)).toEqual([])
    first.leave()
    await expect.poll(() => live(first.visitorId)).toBeUndefined()
    advanceClock(31 * 60_000)
    const again = await visitor(first.token)
    expect(again.visitorId).toBe(first.visitorId)
    again.page('https://shop.test/docs')
    await expect.poll(async () => (await live(again.visitorId))?.returning).toBe(true)
    await expect.poll(() => invitesOf(again), { timeout: 4000 }).toHaveLength(1)
    again.leave()

    expect((await call(agent, 'DELETE', `/chat/invite-rules/${ruleId}`)).statusCode).toBe(403)
    expect((await call(admin, 'DELETE', `/chat/invite-rules/${ruleId}`)).json()).toEqual({ ok: true })
    expect((await call(admin, 'PATCH', `/chat/invite-rules/${ruleId}`, { enabled: false })).statusCode).toBe(404)
  })

  it("keeps a contact's page views, from before and after their chat, newest first with a cursor", async () => {
    const v = await visitor()
    for (const n of [1, 2, 3]) v.page(`https://shop.test/history/${n}`)
    v.send({ type: 'message', clientId: unique('c'), text: 'Is this in stock?', fields: { name: 'Hanna History' } })
    await v.settled()
    const started = v.received.find((m): m is VisitorServerMessage & { type: 'conversation' } => m.type === 'conversation')!
    const contactId = (await call(agent, 'GET', `/tickets/${started.conversation.ticketId}`)).json().requester.id as number
    for (const n of [4, 5]) v.page(`https://shop.test/history/${n}`)
    await v.settled()
    const stranger = await visitor()
    stranger.page('https://shop.test/someone-else')
    await stranger.settled()

    expect(await live(v.visitorId)).toMatchObject({
      contact: { id: contactId, name: 'Hanna History' },
      chat: { ticketId: started.conversation.ticketId, status: 'waiting' },
    })
    const urls: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await call(agent, 'GET', `/contacts/${contactId}/page-views?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode).toBe(200)
      const page = res.json() as { items: PageViewDto[]; nextCursor: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      urls.push(...page.items.map((p) => p.url))
      cursor = page.nextCursor
      pages++
    } while (cursor && pages < 10)
    expect(urls).toEqual([5, 4, 3, 2, 1].map((n) => `https://shop.test/history/${n}`))
    expect(pages).toBe(3)

    const contributor = await buildUser(app, { role: 'contributor' })
    expect((await call(contributor, 'GET', `/contacts/${contactId}/page-views`)).statusCode).toBe(403)
    expect((await call(agent, 'GET', '/contacts/999999/page-views')).statusCode).toBe(404)
    expect((await call(agent, 'GET', `/contacts/${contactId}/page-views?cursor=not-a-cursor`)).statusCode).toBe(400)
    v.leave()
    stranger.leave()
  })
})
