import { afterAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'

describe('realtime gateway', async () => {
  const app = await buildTestApp()
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const team = await buildTeam(app)
  const alice = await buildUser(app, { role: 'agent', name: 'Alice' })
  const bob = await buildUser(app, { role: 'agent', name: 'Bob' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    for (const s of sockets) s.close()
  })

  it('refuses a socket without a session', async () => {
    await expect(connectAgentSocket(base, {})).rejects.toThrow(/401/)
  })

  it('shows who is viewing and typing, and pushes new messages live', async () => {
    const ticket = await buildTicket(app, alice, { teamId: team })
    const a = await connectAgentSocket(base, alice.headers)
    const b = await connectAgentSocket(base, bob.headers)
    sockets.push(a.ws, b.ws)
    a.send({ type: 'subscribe', room: `ticket:${ticket.id}` })
    b.send({ type: 'subscribe', room: `ticket:${ticket.id}` })
    await a.waitFor((m) => m.type === 'subscribed')
    await b.waitFor((m) => m.type === 'subscribed')
    a.send({ type: 'presence', ticketId: ticket.id, state: 'viewing' })
    await b.waitFor((m) => m.type === 'presence' && m.users.some((u) => u.name === 'Alice' && !u.typing))
    a.send({ type: 'presence', ticketId: ticket.id, state: 'typing' })
    await b.waitFor((m) => m.type === 'presence' && m.users.some((u) => u.name === 'Alice' && u.typing))
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/replies`, headers: alice.headers, payload: { body: 'On my way' } })
    const event = await b.waitFor((m) => m.type === 'event' && m.name === 'message.created')
    expect(event).toMatchObject({ room: `ticket:${ticket.id}`, payload: { ticketId: ticket.id, kind: 'reply' } })
    a.ws.close()
    await b.waitFor((m) => m.type === 'presence' && m.users.length === 0)
  })

  it('keeps contributors out of tickets and inbox events they may not see', async () => {
    const otherTeam = await buildTeam(app)
    const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
    const c = await connectAgentSocket(base, contributor.headers)
    sockets.push(c.ws)
    const hidden = await buildTicket(app, alice, { teamId: otherTeam })
    c.send({ type: 'subscribe', room: `ticket:${hidden.id}` })
    await c.waitFor((m) => m.type === 'error' && m.message.includes(`ticket:${hidden.id}`))
    c.send({ type: 'subscribe', room: 'inbox' })
    await c.waitFor((m) => m.type === 'subscribed' && m.room === 'inbox')
    await buildTicket(app, alice, { teamId: otherTeam })
    const visible = await buildTicket(app, alice, { teamId: team })
    await c.waitFor((m) => m.type === 'event' && m.name === 'ticket.created' && m.payload.ticketId === visible.id)
    expect(c.received.filter((m) => m.type === 'event' && m.name === 'ticket.created').map((m) => m.type === 'event' && m.payload.ticketId)).toEqual([
      visible.id,
    ])
  })

  it('delivers notifications to the person only', async () => {
    const ticket = await buildTicket(app, alice)
    const b = await connectAgentSocket(base, bob.headers)
    sockets.push(b.ws)
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: alice.headers, payload: { assigneeId: bob.id } })
    await b.waitFor((m) => m.type === 'event' && m.name === 'notification.created')
  })
})
