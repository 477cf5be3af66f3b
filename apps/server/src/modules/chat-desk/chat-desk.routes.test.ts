import type { AgentChatStatusDto, ChatConversationDto, VisitorServerMessage } from '@allhands/contract'
import { afterAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { buildTeam, buildTestApp, buildTicket, buildUser, setParticipation, unique } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { now } from '../../platform/clock.ts'
import { connectWidget, startSession } from '../chat/widget.test-support.ts'
import { routeChat } from './routing.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('live chat, agent side', async () => {
  const app = await buildTestApp()
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const owner = await buildUser(app, { role: 'owner', name: 'Olga Owner' })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const sockets: WebSocket[] = []
  afterAll(() => {
    for (const s of sockets) s.close()
  })

  const call = (as: User, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const setStatus = async (as: User, status: 'online' | 'away' | 'offline', capacity?: number) => {
    const res = await call(as, 'PUT', '/chat/me', { status, ...(capacity !== undefined ? { capacity } : {}) })
    expect(res.statusCode).toBe(200)
    return res.json() as AgentChatStatusDto
  }
  const chatOf = async (ticketId: number, as: User = admin) => {
    const res = await call(as, 'GET', `/tickets/${ticketId}/chat`)
    expect(res.statusCode).toBe(200)
    return res.json() as ChatConversationDto
  }
  const chatInbox = async (teamId: number | null, routing: 'round_robin' | 'manual' = 'round_robin') => {
    const res = await call(admin, 'POST', '/inboxes', { name: unique('Chat '), type: 'chat', teamId })
    expect(res.statusCode).toBe(201)
    const id = res.json().id as number
    if (routing === 'manual') expect((await call(admin, 'PATCH', `/chat/inboxes/${id}/settings`, { routing })).statusCode).toBe(200)
    return id
  }
  /** A visitor opens the widget and writes: the visitor side opens the ticket and announces the chat, which is routed. */
  const startChat = async (inboxId: number) => {
    const { token, visitorId } = await startSession(app, { inboxId })
    const widget = await connectWidget(base, token)
    sockets.push(widget.ws)
    await widget.waitFor('ready')
    widget.send({ type: 'message', clientId: unique('c'), text: 'Hello, my order did not arrive', fields: { name: 'Vera Visitor' } })
    // Frames are handled in order: the pong comes after the message was stored and the chat routed.
    widget.send({ type: 'ping' })
    await widget.waitFor('pong')
    const started = widget.received.find((m): m is Extract<VisitorServerMessage, { type: 'conversation' }> => m.type === 'conversation')
    expect(started).toBeTruthy()
    return { ticketId: started!.conversation.ticketId, visitorId, token, received: widget.received }
  }
  const connect = async (as: User) => {
    const socket = await connectAgentSocket(base, as.headers)
    sockets.push(socket.ws)
    return socket
  }

  it('defaults to offline with room for three chats, and lists agents with their load', async () => {
    const agent = await buildUser(app, { role: 'agent', name: 'Dana Default' })
    const me = (await call(agent, 'GET', '/chat/me')).json()
    expect(me).toMatchObject({ user: { id: agent.id, name: 'Dana Default' }, status: 'offline', capacity: 3, activeChats: 0 })
    const online = await setStatus(agent, 'online', 5)
    expect(online).toMatchObject({ status: 'online', capacity: 5 })
    expect(await setStatus(agent, 'away')).toMatchObject({ status: 'away', capacity: 5 })
    await setStatus(agent, 'offline')
    const list = (await call(owner, 'GET', '/chat/agents')).json().items as AgentChatStatusDto[]
    expect(list.find((a) => a.user.id === agent.id)).toMatchObject({ status: 'offline', capacity: 5 })
    // Owners and admins are listed once they set a status; agents always.
    expect(list.some((a) => a.user.id === owner.id)).toBe(false)
    await setStatus(owner, 'offline')
    expect(((await call(owner, 'GET', '/chat/agents')).json().items as AgentChatStatusDto[]).some((a) => a.user.id === owner.id)).toBe(true)
    expect((await call(agent, 'PUT', '/chat/me', { status: 'busy' })).statusCode).toBe(400)
    expect((await call(agent, 'PUT', '/chat/me', { status: 'online', capacity: 51 })).statusCode).toBe(400)
  })

  it('refuses chat work to contributors and observers, and lets contributors read a chat beside a ticket they see', async () => {
    const team = await buildTeam(app)
    const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
    const inbox = await chatInbox(team, 'manual')
    const { ticketId, visitorId } = await startChat(inbox)
    for (const [method, url, body] of [
      ['GET', '/chat/me'],
      ['PUT', '/chat/me', { status: 'online' }],
      ['GET', '/chat/agents'],
      ['GET', '/chat/conversations'],
      ['POST', `/tickets/${ticketId}/chat/accept`],
      ['POST', `/tickets/${ticketId}/chat/transfer`, { teamId: team }],
      ['POST', `/tickets/${ticketId}/chat/end`],
      ['POST', `/tickets/${ticketId}/chat/supervise`, { mode: 'watch' }],
      ['POST', `/tickets/${ticketId}/chat/whispers`, { body: 'psst' }],
      ['GET', '/chat/visitors'],
      ['GET', `/chat/visitors/${visitorId}/page-views`],
      ['POST', `/chat/visitors/${visitorId}/invite`, { message: 'Hi' }],
      ['GET', `/chat/inboxes/${inbox}/invite-rules`],
    ] as const) {
      const res = await call(contributor, method, url, body)
      expect(res.statusCode, `${method} ${url}`).toBe(403)
    }
    const chat = await chatOf(ticketId, contributor)
    expect(chat).toMatchObject({ ticketId, visitorId, status: 'waiting', agent: null, visitorOnline: true, visitorTyping: false })
    const c = await connect(contributor)
    expect(await c.join('visitors')).toMatchObject({ type: 'error' })
    expect(await c.join('chat-agents')).toMatchObject({ type: 'error' })

    const observer = await buildUser(app, { role: 'agent' })
    await setParticipation(app, observer.id, { trustLevel: 'observer' })
    expect((await call(observer, 'PUT', '/chat/me', { status: 'online' })).statusCode).toBe(403)
    expect((await call(observer, 'POST', `/tickets/${ticketId}/chat/accept`)).statusCode).toBe(403)

    const plain = await buildTicket(app, admin, { teamId: team })
    expect((await call(contributor, 'GET', `/tickets/${plain.id}/chat`)).statusCode).toBe(404)
    const hidden = await buildTicket(app, admin, { teamId: await buildTeam(app) })
    expect((await call(contributor, 'GET', `/tickets/${hidden.id}/chat`)).statusCode).toBe(403)
  })

  it('routes new chats round-robin within capacity, waits when everyone is full, and routes when a chat ends', async () => {
    const team = await buildTeam(app)
    const inbox = await chatInbox(team)
    const a = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Ann Alpha' })
    const b = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Ben Beta' })
    await setStatus(a, 'online', 2)
    await setStatus(b, 'online', 2)
    const watcher = await connect(a)
    expect(await watcher.join('chat-agents')).toMatchObject({ type: 'subscribed' })

    const chats: { ticketId: number; visitorId: number }[] = []
    for (let i = 0; i < 5; i++) chats.push(await startChat(inbox))
    const agents: (number | null)[] = []
    for (const c of chats) agents.push((await chatOf(c.ticketId)).agent?.id ?? null)
    expect(agents.slice(0, 4).sort()).toEqual([a.id, a.id, b.id, b.id].sort())
    // Turns alternate: nobody gets two in a row while the other has room.
    expect(agents[0]).not.toBe(agents[1])
    expect(agents[2]).not.toBe(agents[3])
    expect(agents[4]).toBeNull()
    expect((await chatOf(chats[4]!.ticketId)).status).toBe('waiting')

    const first = (await call(admin, 'GET', `/tickets/${chats[0]!.ticketId}`)).json()
    expect(first).toMatchObject({ status: 'open', assignee: { id: agents[0] } })
    const history = (await call(admin, 'GET', `/tickets/${chats[0]!.ticketId}/messages`)).json()
    expect(history.items.find((m: { event: { type: string } | null }) => m.event?.type === 'assigned').event).toMatchObject({
      type: 'assigned',
      to: agents[0],
      via: 'chat_routing',
    })
    const notifications = (await call(a, 'GET', '/notifications')).json()
    expect(notifications.items.some((n: { kind: string; ticketId: number }) => n.kind === 'assigned' && chats.some((c) => c.ticketId === n.ticketId))).toBe(
      true,
    )

    const loads = ((await call(admin, 'GET', '/chat/agents')).json().items as AgentChatStatusDto[]).filter((s) => [a.id, b.id].includes(s.user.id))
    expect(loads.map((s) => s.activeChats)).toEqual([2, 2])
    await watcher.event('chat.availability', (p) => {
      const status = p.status as AgentChatStatusDto | undefined
      return status?.user.id === b.id && status.activeChats === 2
    })

    const mine = (await call(a, 'GET', '/chat/conversations?status=active&mine=true')).json().items as { ticketId: number; agent: { id: number } }[]
    expect(mine).toHaveLength(2)
    expect(mine.every((c) => c.agent.id === a.id)).toBe(true)
    const waiting = (await call(a, 'GET', '/chat/conversations?status=waiting')).json().items
    expect(
      waiting.some(
        (c: { ticketId: number; subject: string; visitorName: string }) =>
          c.ticketId === chats[4]!.ticketId && c.subject === 'Hello, my order did not arrive' && c.visitorName === 'Vera Visitor',
      ),
    ).toBe(true)

    const ofA = chats[agents.indexOf(a.id)]!
    const ended = await call(a, 'POST', `/tickets/${ofA.ticketId}/chat/end`)
    expect(ended.statusCode).toBe(200)
    expect(ended.json()).toMatchObject({ status: 'ended', agent: { id: a.id } })
    expect(ended.json().endedAt).toBeGreaterThan(0)
    // Ending twice is harmless.
    expect((await call(a, 'POST', `/tickets/${ofA.ticketId}/chat/end`)).json().status).toBe('ended')
    expect(await chatOf(chats[4]!.ticketId)).toMatchObject({ status: 'active', agent: { id: a.id } })
    expect((await call(a, 'POST', `/tickets/${ofA.ticketId}/chat/transfer`, { userId: b.id })).statusCode).toBe(409)
    const events = (await call(admin, 'GET', `/tickets/${ofA.ticketId}/messages`)).json().items.filter((m: { kind: string }) => m.kind === 'event')
    expect(events.some((m: { event: { type: string } }) => m.event.type === 'chat_ended')).toBe(true)
  })

  it('routes a waiting chat when an agent of the team comes online, and never across teams', async () => {
    const team = await buildTeam(app)
    const other = await buildTeam(app)
    const inbox = await chatInbox(team)
    const outsider = await buildUser(app, { role: 'agent', teamIds: [other] })
    await setStatus(outsider, 'online', 5)
    const chat = await startChat(inbox)
    expect((await chatOf(chat.ticketId)).status).toBe('waiting')
    const member = await buildUser(app, { role: 'agent', teamIds: [team] })
    await setStatus(member, 'away')
    expect((await chatOf(chat.ticketId)).status).toBe('waiting')
    await setStatus(member, 'online', 1)
    expect(await chatOf(chat.ticketId)).toMatchObject({ status: 'active', agent: { id: member.id } })
    await setStatus(outsider, 'offline')
  })

  it('keeps an agent within capacity when chats start at the same moment', async () => {
    const team = await buildTeam(app)
    const inbox = await chatInbox(team, 'manual')
    const agent = await buildUser(app, { role: 'agent', teamIds: [team] })
    const chats = await Promise.all([startChat(inbox), startChat(inbox), startChat(inbox)])
    expect((await call(admin, 'PATCH', `/chat/inboxes/${inbox}/settings`, { routing: 'round_robin' })).statusCode).toBe(200)
    // Online without PUT /chat/me (which would route the waiting chats one after the other): three routings race.
    await app.ctx.db.insertInto('agentChatStatus').values({ userId: agent.id, status: 'online', capacity: 2, lastAssignedAt: 0, updatedAt: now() }).execute()
    await Promise.all(chats.map((c) => routeChat(app.ctx, c.ticketId)))
    const statuses = await Promise.all(chats.map((c) => chatOf(c.ticketId)))
    expect(statuses.filter((s) => s.status === 'active')).toHaveLength(2)
    expect(statuses.filter((s) => s.status === 'waiting')).toHaveLength(1)
    expect((await call(agent, 'GET', '/chat/me')).json().activeChats).toBe(2)
  })

  it('leaves chats of a manual inbox waiting until someone accepts, once', async () => {
    const team = await buildTeam(app)
    const inbox = await chatInbox(team, 'manual')
    const a = await buildUser(app, { role: 'agent', teamIds: [team] })
    const b = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Bea Late' })
    await setStatus(a, 'online')
    const chat = await startChat(inbox)
    expect((await chatOf(chat.ticketId)).status).toBe('waiting')
    const taken = await call(b, 'POST', `/tickets/${chat.ticketId}/chat/accept`)
    expect(taken.statusCode).toBe(200)
    expect(taken.json()).toMatchObject({ status: 'active', agent: { id: b.id, name: 'Bea Late' } })
    expect((await call(b, 'POST', `/tickets/${chat.ticketId}/chat/accept`)).statusCode).toBe(200)
    const late = await call(a, 'POST', `/tickets/${chat.ticketId}/chat/accept`)
    expect(late.statusCode).toBe(409)
    expect(late.json().error.message).toContain('Bea Late')
    expect((await call(admin, 'GET', `/tickets/${chat.ticketId}`)).json().assignee).toEqual({ id: b.id, name: 'Bea Late' })
    expect((await call(a, 'POST', '/tickets/999999/chat/accept')).statusCode).toBe(404)
    const plain = await buildTicket(app, admin)
    expect((await call(a, 'POST', `/tickets/${plain.id}/chat/accept`)).statusCode).toBe(404)
    await setStatus(a, 'offline')
  })

  it('transfers a chat to a person with a note, or to a team where it is routed again', async () => {
    const team = await buildTeam(app)
    const support2 = await buildTeam(app, unique('Second line '))
    const inbox = await chatInbox(team)
    const a = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Arno First' })
    const b = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Bo Mate' })
    const c = await buildUser(app, { role: 'agent', teamIds: [support2], name: 'Cy Second' })
    const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
    await setStatus(a, 'online')
    const chat = await startChat(inbox)
    expect((await chatOf(chat.ticketId)).agent?.id).toBe(a.id)

    expect((await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { userId: b.id, teamId: team })).statusCode).toBe(400)
    expect((await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, {})).statusCode).toBe(400)
    expect((await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { userId: contributor.id })).statusCode).toBe(422)
    expect((await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { userId: 999999 })).statusCode).toBe(422)
    expect((await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { teamId: 999999 })).statusCode).toBe(422)

    const toBo = await call(a, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { userId: b.id, note: 'Wants a refund, already verified' })
    expect(toBo.statusCode).toBe(200)
    expect(toBo.json()).toMatchObject({ status: 'active', agent: { id: b.id } })
    const ticket = (await call(admin, 'GET', `/tickets/${chat.ticketId}`)).json()
    expect(ticket.assignee).toEqual({ id: b.id, name: 'Bo Mate' })
    const messages = (await call(admin, 'GET', `/tickets/${chat.ticketId}/messages`)).json().items
    const note = messages.find((m: { kind: string }) => m.kind === 'note')
    expect(note).toMatchObject({ text: 'Transferred to Bo Mate: Wants a refund, already verified', author: { id: a.id } })
    expect(
      messages.some(
        (m: { kind: string; event: { type: string; to: number; via: string } }) => m.kind === 'event' && m.event.to === b.id && m.event.via === 'chat_transfer',
      ),
    ).toBe(true)
    expect((await call(b, 'GET', '/chat/me')).json().activeChats).toBe(1)
    expect((await call(a, 'GET', '/chat/me')).json().activeChats).toBe(0)

    // To a team with nobody online: it waits in that team, unassigned.
    const toTeam = await call(b, 'POST', `/tickets/${chat.ticketId}/chat/transfer`, { teamId: support2, note: 'Needs second line' })
    expect(toTeam.statusCode).toBe(200)
    expect(toTeam.json()).toMatchObject({ status: 'waiting', agent: null })
    const moved = (await call(admin, 'GET', `/tickets/${chat.ticketId}`)).json()
    expect(moved).toMatchObject({ teamId: support2, assignee: null })
    // Someone of the old team coming online does not get it; the new team's agent does.
    await setStatus(a, 'online')
    expect((await chatOf(chat.ticketId)).status).toBe('waiting')
    await setStatus(c, 'online')
    expect(await chatOf(chat.ticketId)).toMatchObject({ status: 'active', agent: { id: c.id } })
    const texts = (await call(admin, 'GET', `/tickets/${chat.ticketId}/messages`)).json().items.map((m: { text: string }) => m.text)
    expect(texts).toContain(
      `Transferred to ${(await app.ctx.db.selectFrom('teams').select('name').where('id', '=', support2).executeTakeFirstOrThrow()).name}: Needs second line`,
    )
    await setStatus(a, 'offline')
    await setStatus(c, 'offline')
  })

  it('lets leads watch, join and whisper, audited and shown to the agent; the whisper is an internal note', async () => {
    const team = await buildTeam(app)
    const inbox = await chatInbox(team)
    const agent = await buildUser(app, { role: 'agent', teamIds: [team], name: 'Ivy Agent' })
    const peer = await buildUser(app, { role: 'agent', teamIds: [team] })
    await setStatus(agent, 'online')
    const chat = await startChat(inbox)
    const toVisitor = chat.received
    const agentSocket = await connect(agent)
    expect(await agentSocket.join(`ticket:${chat.ticketId}`)).toMatchObject({ type: 'subscribed' })

    expect((await call(peer, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'watch' })).statusCode).toBe(403)
    expect((await call(peer, 'POST', `/tickets/${chat.ticketId}/chat/whispers`, { body: 'psst' })).statusCode).toBe(403)
    expect((await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'lurk' })).statusCode).toBe(400)

    const watching = await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'watch' })
    expect(watching.statusCode).toBe(200)
    expect(watching.json().supervisors).toEqual([{ user: { id: admin.id, name: 'Ada Admin' }, mode: 'watch', since: expect.any(Number) }])
    expect((await chatOf(chat.ticketId, agent)).supervisors.map((s) => s.user.id)).toEqual([admin.id])
    await agentSocket.event('chat.changed', (p) => p.ticketId === chat.ticketId)
    expect(toVisitor.some((m) => m.type === 'message')).toBe(false)

    const joined = await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'join' })
    expect(joined.json().supervisors).toEqual([{ user: { id: admin.id, name: 'Ada Admin' }, mode: 'join', since: expect.any(Number) }])
    await expect
      .poll(() => toVisitor.find((m) => m.type === 'message'))
      .toEqual({
        type: 'message',
        message: expect.objectContaining({ id: -1, author: { kind: 'system', name: 'System', avatarUrl: null }, text: 'Ada Admin joined the chat' }),
      })

    const whispered = await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/whispers`, { body: 'Offer <b>20%</b> off' })
    expect(whispered.statusCode).toBe(201)
    expect(whispered.json()).toMatchObject({ kind: 'note', direction: 'internal', text: 'Whisper: Offer <b>20%</b> off', author: { id: admin.id } })
    expect(whispered.json().html).toBe('<p><strong>Whisper</strong></p><p>Offer &lt;b&gt;20%&lt;/b&gt; off</p>')
    const notes = (await call(agent, 'GET', '/notifications')).json().items
    expect(notes.some((n: { kind: string; ticketId: number }) => n.kind === 'whisper' && n.ticketId === chat.ticketId)).toBe(true)
    // Nothing of the whisper reaches the visitor's widget: not live, not in the session's history.
    const reply = await call(agent, 'POST', `/tickets/${chat.ticketId}/replies`, { body: 'Let me check that for you' })
    expect(reply.statusCode).toBe(201)
    await expect.poll(() => toVisitor.some((m) => m.type === 'message' && m.message.text === 'Let me check that for you')).toBe(true)
    expect(JSON.stringify(toVisitor)).not.toContain('20%')
    const session = await startSession(app, { inboxId: inbox, token: chat.token })
    expect(session.messages.map((m) => m.text)).toEqual(['Hello, my order did not arrive', 'Let me check that for you'])

    const stopped = await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'stop' })
    expect(stopped.json().supervisors).toEqual([])
    const audit = (await call(owner, 'GET', `/audit-log?targetType=ticket&targetId=${chat.ticketId}`)).json().items
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(
      ['chat.supervision_join', 'chat.supervision_stop', 'chat.supervision_watch', 'chat.whispered'].sort(),
    )
    await call(agent, 'POST', `/tickets/${chat.ticketId}/chat/end`)
    expect((await call(admin, 'POST', `/tickets/${chat.ticketId}/chat/supervise`, { mode: 'watch' })).statusCode).toBe(409)
    await setStatus(agent, 'offline')
  })
})
