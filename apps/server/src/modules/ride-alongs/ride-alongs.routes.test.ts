import { afterAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'

const settle = () => new Promise((r) => setTimeout(r, 300))

describe('ride-alongs', async () => {
  const app = await buildTestApp()
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const teamA = await buildTeam(app)
  const teamB = await buildTeam(app)
  const alice = await buildUser(app, { role: 'agent', name: 'Alice Agent' })
  const bob = await buildUser(app, { role: 'agent', name: 'Bob Bystander' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const carl = await buildUser(app, { role: 'contributor', teamIds: [teamA], name: 'Carl Contributor' })
  const dora = await buildUser(app, { role: 'contributor', teamIds: [teamA], name: 'Dora Contributor' })
  const visible = await buildTicket(app, alice, { teamId: teamA, subject: 'Visible: card declined' })
  const hidden = await buildTicket(app, alice, { teamId: teamB, subject: 'Hidden: legal threat' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    for (const s of sockets) s.close()
  })
  const open = async (user: { headers: Record<string, string> }) => {
    const c = await connectAgentSocket(base, user.headers)
    sockets.push(c.ws)
    return c
  }
  const start = (as: { headers: Record<string, string> }, followedUserId: number) =>
    app.inject({ method: 'POST', url: '/api/v1/ride-alongs', headers: as.headers, payload: { followedUserId } })
  const audit = async (action: string, targetId: number) =>
    (await app.inject({ method: 'GET', url: `/api/v1/audit-log?action=${action}&targetType=ride_along&targetId=${targetId}`, headers: admin.headers })).json()
      .items

  it('lets anyone follow a support agent, admins follow anyone, and nobody themselves', async () => {
    expect((await start(carl, carl.id)).statusCode).toBe(422)
    const toContributor = await start(carl, dora.id)
    expect(toContributor.statusCode).toBe(403)
    expect(toContributor.json().error.code).toBe('forbidden')
    expect((await start(carl, 999_999)).statusCode).toBe(404)
    expect((await app.inject({ method: 'POST', url: '/api/v1/ride-alongs', headers: carl.headers, payload: {} })).statusCode).toBe(400)
    const monitoring = await start(admin, dora.id)
    expect(monitoring.statusCode).toBe(201)
    expect(monitoring.json()).toMatchObject({ follower: { id: admin.id }, followed: { id: dora.id }, active: true })
    const again = await start(admin, dora.id)
    expect(again.statusCode).toBe(409)
    expect(again.json().error.details).toEqual({ rideAlongId: monitoring.json().id })
    await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${monitoring.json().id}/end`, headers: dora.headers })
  })

  it('mirrors the followed person live, tells them who rides along, and keeps hidden tickets hidden', async () => {
    const a = await open(alice)
    const res = await start(carl, alice.id)
    expect(res.statusCode).toBe(201)
    const ride = res.json()
    expect(await audit('ride_along.started', ride.id)).toHaveLength(1)

    // The followed person is told at once and sees who rides along.
    await a.event('ride_along.changed', (p) => p.rideAlongId === ride.id && p.active === true)
    const mine = (await app.inject({ method: 'GET', url: '/api/v1/ride-alongs', headers: alice.headers })).json()
    expect(mine.items[0]).toMatchObject({ id: ride.id, follower: { id: carl.id, name: 'Carl Contributor' }, active: true })

    const c = await open(carl)
    expect(await c.join(`ride-along:${ride.id}`)).toMatchObject({ type: 'subscribed' })

    // Presence on a ticket the follower can see: shown with its id and subject.
    expect(await a.join(`ticket:${visible.id}`)).toMatchObject({ type: 'subscribed' })
    a.send({ type: 'presence', ticketId: visible.id, state: 'viewing' })
    await c.event('ride_along.activity', (p) => JSON.stringify(p.activity).includes('Visible: card declined'))
    const live = (await app.inject({ method: 'GET', url: `/api/v1/ride-alongs/${ride.id}`, headers: carl.headers })).json()
    expect(live.activity).toEqual([{ visible: true, ticketId: visible.id, subject: 'Visible: card declined', typing: false }])

    // The draft as it is typed, sanitized.
    a.send({ type: 'draft', ticketId: visible.id, mode: 'reply', html: '<p>Hello <b>Casey</b><script>alert(1)</script><img src=x onerror=alert(2)></p>' })
    const draft = await c.event('ride_along.draft', (p) => p.visible === true)
    expect(draft.payload).toMatchObject({ rideAlongId: ride.id, ticketId: visible.id, subject: 'Visible: card declined', mode: 'reply' })
    expect(draft.payload.html).toContain('<b>Casey</b>')
    expect(draft.payload.html).not.toMatch(/script|onerror/)

    // What they send.
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${visible.id}/replies`,
      headers: alice.headers,
      payload: { body: 'Your card works again.' },
    })
    expect(reply.statusCode).toBe(201)
    const sent = await c.event('ride_along.sent', (p) => p.ticketId === visible.id)
    expect(sent.payload).toMatchObject({ visible: true, kind: 'reply' })
    expect(sent.payload.html).toContain('Your card works again.')

    // A ticket the contributor follower cannot see: no id, subject, draft or message reaches them.
    expect(await a.join(`ticket:${hidden.id}`)).toMatchObject({ type: 'subscribed' })
    a.send({ type: 'presence', ticketId: hidden.id, state: 'typing' })
    await c.event('ride_along.activity', (p) => (p.activity as { visible: boolean }[]).some((t) => !t.visible))
    a.send({ type: 'draft', ticketId: hidden.id, mode: 'reply', html: '<p>SECRET-DRAFT for the lawyer</p>' })
    const hiddenDraft = await c.event('ride_along.draft', (p) => p.visible === false)
    expect(hiddenDraft.payload).toMatchObject({ ticketId: null, subject: null, html: '' })
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${hidden.id}/replies`, headers: alice.headers, payload: { body: 'SECRET-REPLY to the lawyer' } })
    await c.event('ride_along.sent', (p) => p.visible === false)
    const everything = JSON.stringify(c.received)
    for (const secret of ['SECRET-DRAFT', 'SECRET-REPLY', 'Hidden: legal threat', `"ticketId":${hidden.id},`]) expect(everything).not.toContain(secret)
    const liveHidden = (await app.inject({ method: 'GET', url: `/api/v1/ride-alongs/${ride.id}`, headers: carl.headers })).json()
    expect(liveHidden.activity).toContainEqual({ visible: false, ticketId: null, subject: null, typing: true })

    // The follower cannot act as the followed person on that ticket.
    const asFollowedReply = await app.inject({ method: 'POST', url: `/api/v1/tickets/${hidden.id}/replies`, headers: carl.headers, payload: { body: 'x' } })
    const asFollowedNote = await app.inject({ method: 'POST', url: `/api/v1/tickets/${hidden.id}/notes`, headers: carl.headers, payload: { body: 'x' } })
    expect(asFollowedReply.statusCode).toBe(403)
    expect(asFollowedNote.statusCode).toBe(403)
    expect(await c.join(`ticket:${hidden.id}`)).toMatchObject({ type: 'error' })

    // Side chat both ways, live, private to the two.
    expect(await a.join(`ride-along:${ride.id}`)).toMatchObject({ type: 'subscribed' })
    const q = await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: carl.headers, payload: { body: 'Why that macro?' } })
    expect(q.statusCode).toBe(201)
    await a.event('ride_along.chat', (p) => (p.message as { body: string }).body === 'Why that macro?')
    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/ride-alongs/${ride.id}/messages`,
      headers: alice.headers,
      payload: { body: 'It sets the tag.' },
    })
    expect(answer.statusCode).toBe(201)
    await c.event('ride_along.chat', (p) => (p.message as { body: string }).body === 'It sets the tag.')
    for (const who of [carl, alice]) {
      const chat = (await app.inject({ method: 'GET', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: who.headers })).json()
      expect(chat.items.map((m: { body: string; author: { id: number } }) => [m.author.id, m.body])).toEqual([
        [carl.id, 'Why that macro?'],
        [alice.id, 'It sets the tag.'],
      ])
    }
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: carl.headers, payload: { body: '   ' } })).statusCode,
    ).toBe(422)
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: carl.headers, payload: { body: '' } })).statusCode,
    ).toBe(400)

    // A third person (even an admin) cannot read, write, join or end it.
    for (const third of [bob, admin]) {
      for (const req of [
        { method: 'GET' as const, url: `/api/v1/ride-alongs/${ride.id}/messages` },
        { method: 'POST' as const, url: `/api/v1/ride-alongs/${ride.id}/messages`, payload: { body: 'let me in' } },
        { method: 'GET' as const, url: `/api/v1/ride-alongs/${ride.id}` },
        { method: 'POST' as const, url: `/api/v1/ride-alongs/${ride.id}/end` },
      ]) {
        const r = await app.inject({ ...req, headers: third.headers })
        expect(r.statusCode).toBe(403)
      }
    }
    const b = await open(bob)
    expect(await b.join(`ride-along:${ride.id}`)).toMatchObject({ type: 'error' })

    // The followed person ends it: the mirror stops and the chat becomes read-only.
    const ended = await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/end`, headers: alice.headers })
    expect(ended.statusCode).toBe(200)
    expect(ended.json()).toMatchObject({ active: false, endedBy: { id: alice.id } })
    await c.event('ride_along.changed', (p) => p.rideAlongId === ride.id && p.active === false)
    const draftsBefore = c.events('ride_along.draft').length
    const sentBefore = c.events('ride_along.sent').length
    a.send({ type: 'draft', ticketId: visible.id, mode: 'note', html: '<p>after the end</p>' })
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${visible.id}/notes`, headers: alice.headers, payload: { body: 'after the end' } })
    await settle()
    expect(c.events('ride_along.draft')).toHaveLength(draftsBefore)
    expect(c.events('ride_along.sent')).toHaveLength(sentBefore)
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: carl.headers, payload: { body: 'hello?' } })).statusCode,
    ).toBe(409)
    expect((await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/end`, headers: carl.headers })).statusCode).toBe(200)
    expect(await audit('ride_along.ended', ride.id)).toHaveLength(1)
    const c2 = await open(carl)
    expect(await c2.join(`ride-along:${ride.id}`)).toMatchObject({ type: 'error' })
    // The history stays readable for the two.
    expect((await app.inject({ method: 'GET', url: `/api/v1/ride-alongs/${ride.id}/messages`, headers: carl.headers })).json().items).toHaveLength(2)
  })

  it('lets the follower end it too, and start again later', async () => {
    const a = await open(alice)
    const ride = (await start(carl, alice.id)).json()
    expect(ride.active).toBe(true)
    const c = await open(carl)
    await c.join(`ride-along:${ride.id}`)
    const res = await app.inject({ method: 'POST', url: `/api/v1/ride-alongs/${ride.id}/end`, headers: carl.headers })
    expect(res.json()).toMatchObject({ active: false, endedBy: { id: carl.id } })
    await a.event('ride_along.changed', (p) => p.rideAlongId === ride.id && p.active === false)
    await a.join(`ticket:${visible.id}`)
    a.send({ type: 'draft', ticketId: visible.id, mode: 'reply', html: '<p>unseen</p>' })
    await settle()
    expect(c.events('ride_along.draft')).toHaveLength(0)
    const list = (await app.inject({ method: 'GET', url: '/api/v1/ride-alongs?limit=1', headers: carl.headers })).json()
    expect(list.items[0]).toMatchObject({ id: ride.id, active: false })
    expect(list.nextCursor).toBe(String(ride.id))
    const older = (await app.inject({ method: 'GET', url: `/api/v1/ride-alongs?limit=5&cursor=${list.nextCursor}`, headers: carl.headers })).json()
    expect(older.items.every((r: { id: number }) => r.id < ride.id)).toBe(true)
  })
})
