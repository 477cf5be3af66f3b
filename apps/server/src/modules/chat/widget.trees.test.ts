import type { DecisionTreeDefinition } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { buildChatInbox, startSession } from './widget.test-support.ts'

/** Printer help: a question, an email-free path to "still need help", and a resolved ending. */
const printerHelp = (): DecisionTreeDefinition => ({
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'What happens?',
      text: '<p>What does the printer do?</p>',
      variable: 'symptom',
      choices: [
        { label: 'Paper jam', next: 'jam' },
        { label: 'Nothing at all', next: 'serial' },
      ],
    },
    { id: 'jam', type: 'action', title: 'Open the tray', text: '<p>Open tray 2 and pull the sheet.</p>', action: { kind: 'resolved' } },
    { id: 'serial', type: 'input', title: 'Serial number', text: '<p>The serial is on the back.</p>', variable: 'serial', next: 'restart' },
    { id: 'restart', type: 'end', title: 'Restart it', text: '<p>Hold the power button for ten seconds.</p>' },
  ],
})

describe('guided help in the chat widget', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Ada Agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const inboxId = await buildChatInbox(app, admin)
  const call = (as: { headers: Record<string, string> } | null, method: string, url: string, payload?: unknown) =>
    app.inject({ method: method as 'POST', url, headers: as?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) })
  let ip = '10.9.0.1'
  const widget = (path: string, payload: object) => app.inject({ method: 'POST', url: `/api/v1/widget/tree/${path}`, payload, remoteAddress: ip })

  const createTree = async (name: string, audience: string, publish = true) => {
    const created = await call(agent, 'POST', '/api/v1/decision-trees', { name, audience, draft: printerHelp() })
    expect(created.statusCode, created.body).toBe(201)
    if (publish) expect((await call(agent, 'POST', `/api/v1/decision-trees/${created.json().id}/publish`)).statusCode).toBe(200)
    return created.json().id as number
  }
  const tree = await createTree('Printer help', 'public')
  const agentsOnly = await createTree('Agent printer script', 'agents')
  const unpublished = await createTree('Printer draft', 'public', false)
  const settings = (body: object) => call(admin, 'PATCH', `/api/v1/chat/inboxes/${inboxId}/settings`, body)

  it('lets admins offer only a published customer tree, audited; contributors cannot', async () => {
    expect((await call(contributor, 'PATCH', `/api/v1/chat/inboxes/${inboxId}/settings`, { widgetTreeId: tree })).statusCode).toBe(403)
    expect((await settings({ widgetTreeId: agentsOnly })).statusCode).toBe(400)
    expect((await settings({ widgetTreeId: unpublished })).statusCode).toBe(400)
    expect((await settings({ widgetTreeId: 999999 })).statusCode).toBe(400)
    const ok = await settings({ widgetTreeId: tree })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().widgetTreeId).toBe(tree)
    const audit = await app.ctx.db
      .selectFrom('auditLog')
      .select('data')
      .where('action', '=', 'chat.settings_changed')
      .where('targetId', '=', inboxId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(typeof audit.data === 'string' ? JSON.parse(audit.data) : audit.data)).toContain(`"widgetTreeId":${tree}`)
    expect((await startSession(app, { inboxId })).tree).toEqual({ name: 'Printer help', description: '' })
  })

  it('runs the tree to a happy ending without opening anything', async () => {
    await settings({ widgetTreeId: tree })
    const s = await startSession(app, { inboxId })
    const started = await widget('start', { token: s.token })
    expect(started.statusCode, started.body).toBe(201)
    const run = started.json()
    expect(run.step).toMatchObject({ nodeId: 'start', choices: [{ label: 'Paper jam' }, { label: 'Nothing at all' }], needsEmail: false })
    const jam = (await widget('answer', { token: s.token, run: run.token, choice: 0 })).json()
    expect(jam.step).toMatchObject({ nodeId: 'jam', terminal: true })
    const done = (await widget('answer', { token: s.token, run: run.token, resolved: true })).json()
    expect(done).toMatchObject({ status: 'ended', outcome: 'resolved', ticketId: null })
    expect((await widget('handoff', { token: s.token, run: run.token })).statusCode).toBe(409)
    // The help-center API does not take widget runs.
    expect((await call(null, 'GET', `/api/v1/public/decision-tree-runs/${run.token}`)).statusCode).toBe(404)
  })

  it('hands an unresolved run to an offline ticket with the path when nobody is online, once', async () => {
    await settings({ widgetTreeId: tree })
    const s = await startSession(app, { inboxId })
    const run = (await widget('start', { token: s.token })).json()
    await widget('answer', { token: s.token, run: run.token, choice: 1 })
    await widget('answer', { token: s.token, run: run.token, value: 'SN-4711' })
    const ended = (await widget('answer', { token: s.token, run: run.token, resolved: false })).json()
    expect(ended).toMatchObject({ status: 'ended', outcome: 'ticket', ticketId: null })
    expect((await widget('handoff', { token: s.token, run: run.token, name: 'Olga', email: 'bad' })).statusCode).toBe(400)
    const res = await widget('handoff', { token: s.token, run: run.token, name: 'Olga', email: 'olga@customer.test', message: 'It beeps twice.' })
    expect(res.statusCode, res.body).toBe(201)
    const { mode, ticketId } = res.json()
    expect(mode).toBe('offline')
    const ticket = (await call(agent, 'GET', `/api/v1/tickets/${ticketId}`)).json()
    expect(ticket.subject).toBe('Printer help: Restart it')
    expect(ticket.tags).toEqual(expect.arrayContaining(['chat-offline', 'decision-tree']))
    const [first] = (await call(agent, 'GET', `/api/v1/tickets/${ticketId}/messages`)).json().items
    expect(first.fullText).toContain('Path taken:')
    expect(first.fullText).toContain('What happens? — Nothing at all')
    expect(first.fullText).toContain('serial: SN-4711')
    expect(first.fullText).toContain('It beeps twice.')
    expect((await widget('handoff', { token: s.token, run: run.token, name: 'Olga', email: 'olga@customer.test' })).statusCode).toBe(409)
    const analytics = (await call(agent, 'GET', `/api/v1/decision-trees/${tree}/analytics`)).json()
    expect(analytics.channels.widget).toBeGreaterThanOrEqual(2)
    expect(analytics.outcomes.ticket).toBeGreaterThanOrEqual(1)
  })

  it('starts a chat whose first message is the path when an agent is online', async () => {
    await settings({ widgetTreeId: tree })
    ip = '10.9.0.2'
    expect((await call(agent, 'PUT', '/api/v1/chat/me', { status: 'online' })).statusCode).toBe(200)
    try {
      const s = await startSession(app, { inboxId })
      const run = (await widget('start', { token: s.token })).json()
      await widget('answer', { token: s.token, run: run.token, choice: 1 })
      await widget('answer', { token: s.token, run: run.token, value: 'SN-9' })
      await widget('answer', { token: s.token, run: run.token, resolved: false })
      // The inbox's pre-chat form asks for a name.
      expect((await widget('handoff', { token: s.token, run: run.token })).statusCode).toBe(400)
      const res = await widget('handoff', { token: s.token, run: run.token, fields: { name: 'Chet' } })
      expect(res.statusCode, res.body).toBe(201)
      const out = res.json()
      expect(out.mode).toBe('chat')
      expect(out.message.text).toContain('Path taken:')
      const again = await startSession(app, { inboxId, token: s.token })
      expect(again.conversation?.ticketId).toBe(out.ticketId)
      const ticket = (await call(agent, 'GET', `/api/v1/tickets/${out.ticketId}`)).json()
      expect(ticket.subject).toBe('Printer help: Restart it')
      expect(ticket.tags).toEqual(expect.arrayContaining(['chat', 'decision-tree']))
    } finally {
      await call(agent, 'PUT', '/api/v1/chat/me', { status: 'offline' })
    }
  })

  it('resumes a run mid-way and while its hand-over waits; not once resolved, handed over or no longer offered', async () => {
    await settings({ widgetTreeId: tree })
    ip = '10.9.0.4'
    const s = await startSession(app, { inboxId })
    const run = (await widget('start', { token: s.token })).json()
    await widget('answer', { token: s.token, run: run.token, choice: 1 })
    const resumed = await widget('resume', { token: s.token, run: run.token })
    expect(resumed.statusCode, resumed.body).toBe(200)
    expect(resumed.json()).toMatchObject({
      token: run.token,
      treeName: 'Printer help',
      status: 'active',
      outcome: null,
      step: { nodeId: 'serial', title: 'Serial number', input: { kind: 'text', variable: 'serial' }, needsEmail: false },
      ticketId: null,
    })
    // Resuming changes nothing: the run goes on from there.
    expect((await widget('answer', { token: s.token, run: run.token, value: 'SN-1' })).json().step).toMatchObject({ nodeId: 'restart' })
    expect((await widget('resume', { token: s.token, run: run.token })).json().step).toMatchObject({ nodeId: 'restart', terminal: true })
    await widget('answer', { token: s.token, run: run.token, resolved: false })
    expect((await widget('resume', { token: s.token, run: run.token })).json()).toMatchObject({
      status: 'ended',
      outcome: 'ticket',
      step: null,
      ticketId: null,
    })
    expect((await widget('handoff', { token: s.token, run: run.token, name: 'Rita', email: 'rita@customer.test' })).statusCode).toBe(201)
    expect((await widget('resume', { token: s.token, run: run.token })).statusCode).toBe(409)

    const happy = (await widget('start', { token: s.token })).json()
    await widget('answer', { token: s.token, run: happy.token, choice: 0 })
    await widget('answer', { token: s.token, run: happy.token, resolved: true })
    expect((await widget('resume', { token: s.token, run: happy.token })).statusCode).toBe(409)

    // Another inbox's visitor, an unknown visitor, a run of a tree the inbox no longer offers: nothing to resume.
    const other = await buildChatInbox(app, admin, 'Other chat')
    const stranger = await startSession(app, { inboxId: other })
    const open = (await widget('start', { token: s.token })).json()
    expect((await widget('resume', { token: stranger.token, run: open.token })).statusCode).toBe(404)
    expect((await widget('resume', { token: 'nope-not-a-token', run: open.token })).statusCode).toBe(401)
    expect((await widget('resume', { token: s.token, run: 'not-a-run-token' })).statusCode).toBe(404)
    await settings({ widgetTreeId: null })
    expect((await widget('resume', { token: s.token, run: open.token })).statusCode).toBe(404)
  })

  it('refuses unknown visitors, other sites and inboxes without a tree', async () => {
    await settings({ widgetTreeId: tree, allowedOrigins: ['https://shop.example'] })
    ip = '10.9.0.3'
    const s = await startSession(app, { inboxId }, { origin: 'https://shop.example' })
    expect((await widget('start', { token: 'nope-not-a-token' })).statusCode).toBe(401)
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/tree/start',
      payload: { token: s.token },
      headers: { origin: 'https://evil.example' },
    })
    expect(foreign.statusCode).toBe(403)
    const resumeForeign = await app.inject({
      method: 'POST',
      url: '/api/v1/widget/tree/resume',
      payload: { token: s.token, run: 'xxxxxxxxxxxx' },
      headers: { origin: 'https://evil.example' },
    })
    expect(resumeForeign.statusCode).toBe(403)
    await settings({ widgetTreeId: null, allowedOrigins: [] })
    expect((await startSession(app, { inboxId })).tree).toBeNull()
    expect((await widget('start', { token: s.token })).statusCode).toBe(404)
    // A tree unpublished later is simply no longer offered.
    await settings({ widgetTreeId: tree })
    await app.ctx.db.updateTable('decisionTrees').set({ publishedVersionId: null }).where('id', '=', tree).execute()
    expect((await startSession(app, { inboxId })).tree).toBeNull()
  })
})
