import type { AutomationDto, AutomationInput } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { inTransaction } from '../../platform/context.ts'
import { startWebhookReceiver } from '../webhooks/webhooks.test-support.ts'
import { CAP_PER_TICKET_PER_HOUR, scanTimeRules } from './automations.engine.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('automations', async () => {
  const receiver = await startWebhookReceiver()
  // Loopback receivers are allowed here, as WEBHOOKS_ALLOW_PRIVATE=1 allows them in a private network.
  const app = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Billing Bea' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const billing = await buildTeam(app, 'Billing')
  const call = (as: User, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const created: number[] = []
  const create = async (rule: AutomationInput): Promise<AutomationDto> => {
    const res = await call(admin, 'POST', '/automations', rule)
    expect(res.statusCode, res.body).toBe(201)
    created.push(res.json().id)
    return res.json()
  }
  const runJobs = async () => {
    for (let i = 0; i < 20; i++) if (!(await app.ctx.jobs.runDue())) return
  }
  const ticket = async (id: number) => (await call(admin, 'GET', `/tickets/${id}`)).json()
  const messages = async (id: number) => (await call(admin, 'GET', `/tickets/${id}/messages`)).json().items as Record<string, any>[]
  const firings = async (automationId: number) =>
    Number(
      (
        await app.ctx.db
          .selectFrom('automationFirings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('automationId', '=', automationId)
          .executeTakeFirstOrThrow()
      ).n,
    )

  // Each test's rules are switched off afterwards so they do not act on the next test's tickets.
  afterEach(async () => {
    resetClock()
    for (const id of created.splice(0)) await call(admin, 'PATCH', `/automations/${id}`, { enabled: false })
  })

  it('creates, lists, edits, reorders and deletes rules, admins only, and audits the changes', async () => {
    const a = await create({ name: 'First', trigger: 'ticket.created', conditions: { all: [] }, actions: [{ type: 'add_tags', tags: ['one'] }] })
    const b = await create({
      name: 'Second',
      trigger: 'ticket.updated',
      conditions: { any: [{ field: 'ticket.priority', op: 'is', value: 'urgent' }] },
      actions: [{ type: 'set_team', teamId: billing }],
    })
    expect(a).toMatchObject({ enabled: true, runCount: 0, lastFiredAt: null, trigger: 'ticket.created', schedule: null })
    expect(b.position).toBe(a.position + 1)
    const list = await call(admin, 'GET', '/automations')
    expect(list.json().capPerTicketPerHour).toBe(CAP_PER_TICKET_PER_HOUR)
    const ids = (list.json().items as AutomationDto[]).map((r) => r.id)
    const reordered = await call(admin, 'POST', '/automations/reorder', { ids: [b.id, ...ids.filter((id) => id !== b.id)] })
    expect(reordered.statusCode, reordered.body).toBe(200)
    expect(reordered.json().items[0].id).toBe(b.id)
    expect((await call(admin, 'POST', '/automations/reorder', { ids: [b.id] })).statusCode).toBe(422)

    const edited = await call(admin, 'PATCH', `/automations/${a.id}`, { enabled: false, name: 'First, renamed' })
    expect(edited.json()).toMatchObject({ enabled: false, name: 'First, renamed' })
    for (const who of [agent, contributor]) {
      expect((await call(who, 'GET', '/automations')).statusCode).toBe(403)
      expect((await call(who, 'PATCH', `/automations/${a.id}`, { enabled: true })).statusCode).toBe(403)
    }
    expect((await call(admin, 'DELETE', `/automations/${a.id}`)).statusCode).toBe(200)
    expect((await call(admin, 'GET', `/automations/${a.id}`)).statusCode).toBe(404)
    const audit = (await call(admin, 'GET', '/audit-log?action=automation.deleted')).json().items
    expect(audit.some((e: any) => e.targetId === a.id)).toBe(true)
  })

  it('refuses bad conditions and actions with a 422 naming each one', async () => {
    const bad = await call(admin, 'POST', '/automations', {
      name: 'Broken',
      trigger: 'ticket.created',
      conditions: {
        all: [
          { field: 'ticket.subject', op: 'contains', value: 'ok' },
          { field: 'ticket.status', op: 'is', value: 'exploded' },
          { field: 'ticket.nonsense', op: 'is', value: 1 },
          { any: [{ field: 'ticket.priority', op: 'gt', value: 'high' }] },
          { field: 'sla.metric', op: 'is', value: 'first_reply' },
          { field: 'ticket.team', op: 'is', value: 999999 },
        ],
      },
      actions: [
        { type: 'add_note', body: 'Hi {{ constructor }} and {{requester.name}}' },
        { type: 'assign', userId: contributor.id },
        { type: 'call_webhook', url: 'ftp://example.com/x' },
      ],
    })
    expect(bad.statusCode).toBe(422)
    const problems = bad.json().error.details.problems as { path: string; message: string }[]
    const at = (path: string) => problems.find((p) => p.path === path)?.message ?? ''
    expect(at('conditions.all[1]')).toContain('"exploded" is not one of')
    expect(at('conditions.all[2]')).toContain('Unknown field "ticket.nonsense"')
    expect(at('conditions.all[3].any[0]')).toContain('unknown operator')
    expect(at('conditions.all[4]')).toContain('only available to sla.warning, sla.breached rules')
    expect(at('conditions.all[5]')).toContain('There is no team 999999')
    expect(at('actions[0]')).toContain('{{constructor}}')
    expect(at('actions[1]')).toContain('not an active member of support staff')
    expect(at('actions[2]')).toContain('http')
    expect(problems.find((p) => p.path === 'conditions.all[0]')).toBeUndefined()
    const noSchedule = await call(admin, 'POST', '/automations', {
      name: 'T',
      trigger: 'time',
      conditions: { all: [] },
      actions: [{ type: 'add_tags', tags: ['x'] }],
    })
    expect(noSchedule.statusCode).toBe(422)
    expect(noSchedule.json().error.message).toContain('schedule')
    // Shape errors are caught by the schema before the rule is looked at.
    expect((await call(admin, 'POST', '/automations', { name: 'T', trigger: 'nope', conditions: { all: [] }, actions: [] })).statusCode).toBe(400)
  })

  it('fires on a new ticket through the API: subject contains "refund" → tag and route to Billing, once', async () => {
    const rule = await create({
      name: 'Refunds to billing',
      trigger: 'ticket.created',
      conditions: { all: [{ field: 'ticket.subject', op: 'contains', value: 'REFUND' }] },
      actions: [
        { type: 'add_tags', tags: ['refund'] },
        { type: 'set_team', teamId: billing },
        { type: 'assign', userId: agent.id },
        { type: 'set_priority', priority: 'high' },
      ],
    })
    const refund = await buildTicket(app, admin, { subject: 'Please refund my order' })
    const other = await buildTicket(app, admin, { subject: 'Where is my parcel?' })
    // Off the request path: nothing has happened yet when the API answers.
    expect((await ticket(refund.id)).tags).not.toContain('refund')
    await runJobs()
    const after = await ticket(refund.id)
    expect(after.tags).toContain('refund')
    expect(after.team?.id ?? after.teamId).toBe(billing)
    expect(after.assignee?.id ?? after.assigneeId).toBe(agent.id)
    expect(after.priority).toBe('high')
    expect((await ticket(other.id)).tags).not.toContain('refund')
    const history = (await messages(refund.id)).filter((m) => m.kind === 'event').map((m) => m.event)
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'tags_changed', via: 'automation', automationId: rule.id })]))
    const listed = (await call(admin, 'GET', `/automations/${rule.id}`)).json()
    expect(listed.runCount).toBe(1)
    expect(listed.lastFiredAt).toBeGreaterThan(0)
    // The assignee is told, as after a change by hand.
    const notes = (await call(agent, 'GET', '/notifications')).json()
    expect(JSON.stringify(notes)).toContain('Refunds to billing')
  })

  it('never fires a rule on its own changes and stops ping-pong between two rules', async () => {
    const self = await create({
      name: 'Mark touched',
      trigger: 'ticket.updated',
      conditions: { all: [{ field: 'ticket.tags', op: 'includes', value: ['selftest'] }] },
      actions: [{ type: 'add_note', body: 'Touched by {{rule.name}}' }],
    })
    const t1 = await buildTicket(app, admin)
    await call(admin, 'PATCH', `/tickets/${t1.id}`, { tags: ['selftest'] })
    await runJobs()
    expect((await messages(t1.id)).filter((m) => m.kind === 'note')).toHaveLength(1)
    expect(await firings(self.id)).toBe(1)

    const ping = await create({
      name: 'Ping',
      trigger: 'ticket.updated',
      conditions: { all: [{ field: 'ticket.tags', op: 'includes', value: ['ping'] }] },
      actions: [
        { type: 'remove_tags', tags: ['ping'] },
        { type: 'add_tags', tags: ['pong'] },
      ],
    })
    const pong = await create({
      name: 'Pong',
      trigger: 'ticket.updated',
      conditions: { all: [{ field: 'ticket.tags', op: 'includes', value: ['pong'] }] },
      actions: [
        { type: 'remove_tags', tags: ['pong'] },
        { type: 'add_tags', tags: ['ping'] },
      ],
    })
    const t2 = await buildTicket(app, admin)
    await call(admin, 'PATCH', `/tickets/${t2.id}`, { tags: ['ping'] })
    await runJobs()
    expect(await firings(ping.id)).toBe(1)
    expect(await firings(pong.id)).toBe(1)
    expect((await ticket(t2.id)).tags).toEqual(['ping'])
  })

  it(`caps firings per ticket at ${CAP_PER_TICKET_PER_HOUR} an hour`, async () => {
    const ack = await create({
      name: 'Acknowledge notes',
      trigger: 'message.created',
      conditions: { all: [{ field: 'message.body', op: 'contains', value: 'capcheck' }] },
      actions: [{ type: 'add_note', body: 'Seen' }],
    })
    const t = await buildTicket(app, admin)
    for (let i = 0; i < CAP_PER_TICKET_PER_HOUR + 3; i++) {
      expect((await call(admin, 'POST', `/tickets/${t.id}/notes`, { body: `capcheck ${i}` })).statusCode).toBeLessThan(300)
      await runJobs()
    }
    expect(await firings(ack.id)).toBe(CAP_PER_TICKET_PER_HOUR)
    expect((await messages(t.id)).filter((m) => m.kind === 'note' && m.text === 'Seen')).toHaveLength(CAP_PER_TICKET_PER_HOUR)
    // An hour later the ticket may be acted on again.
    advanceClock(3_600_000 + 1000)
    await call(admin, 'POST', `/tickets/${t.id}/notes`, { body: 'capcheck again' })
    await runJobs()
    expect(await firings(ack.id)).toBe(CAP_PER_TICKET_PER_HOUR + 1)
  })

  it('runs time rules on a schedule: pending for 3 days → remind, solved for 4 days → close, once per period', async () => {
    const remind = await create({
      name: 'Remind pending',
      trigger: 'time',
      schedule: { anchor: 'updated', hours: 72 },
      conditions: {
        all: [
          { field: 'ticket.status', op: 'is', value: 'pending' },
          { field: 'ticket.tags', op: 'includes', value: ['timetest'] },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['reminded'] }],
    })
    const close = await create({
      name: 'Close solved',
      trigger: 'time',
      schedule: { anchor: 'solved', hours: 96 },
      conditions: {
        all: [
          { field: 'ticket.status', op: 'is', value: 'solved' },
          { field: 'ticket.tags', op: 'includes', value: ['timetest'] },
        ],
      },
      actions: [{ type: 'set_status', status: 'closed' }],
    })
    const pending = await buildTicket(app, admin, { tags: ['timetest'], status: 'pending' })
    const solved = await buildTicket(app, admin, { tags: ['timetest'] })
    await call(admin, 'PATCH', `/tickets/${solved.id}`, { status: 'solved' })
    await scanTimeRules(app.ctx)
    expect((await ticket(pending.id)).tags).not.toContain('reminded')

    advanceClock(73 * 3_600_000)
    await scanTimeRules(app.ctx)
    expect((await ticket(pending.id)).tags).toContain('reminded')
    expect((await ticket(solved.id)).status).toBe('solved')
    await scanTimeRules(app.ctx)
    expect(await firings(remind.id)).toBe(1)

    advanceClock(24 * 3_600_000)
    await scanTimeRules(app.ctx)
    expect((await ticket(solved.id)).status).toBe('closed')
    expect(await firings(close.id)).toBe(1)
  })

  it('dry-runs a saved or unsaved rule against recent tickets without changing anything', async () => {
    const hit = await buildTicket(app, admin, { subject: 'Dryrun invoice question' })
    await buildTicket(app, admin, { subject: 'Something else entirely' })
    const rule: AutomationInput = {
      name: 'Invoices',
      trigger: 'ticket.created',
      conditions: { all: [{ field: 'ticket.subject', op: 'contains', value: 'dryrun invoice' }] },
      actions: [
        { type: 'add_tags', tags: ['invoice'] },
        { type: 'set_team', teamId: billing },
      ],
    }
    const res = await call(admin, 'POST', '/automations/dry-run', { rule, limit: 50 })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.evaluated).toBeGreaterThan(1)
    expect(body.matched.map((m: any) => m.ticketId)).toEqual([hit.id])
    expect(body.matched[0].wouldDo).toEqual(['Add tags invoice', 'Move to team Billing'])
    expect((await ticket(hit.id)).tags).not.toContain('invoice')
    const saved = await create({ ...rule, enabled: false })
    const again = await call(admin, 'POST', '/automations/dry-run', { automationId: saved.id })
    expect(again.json().matched.map((m: any) => m.ticketId)).toEqual([hit.id])
    expect(
      (await call(admin, 'POST', '/automations/dry-run', { rule: { ...rule, conditions: { all: [{ field: 'x', op: 'is', value: 1 }] } } })).statusCode,
    ).toBe(422)
  })

  it('renders templates logic-lessly: placeholders filled, markup and prototype names stay inert', async () => {
    await create({
      name: 'Escaping',
      trigger: 'ticket.created',
      conditions: { all: [{ field: 'ticket.subject', op: 'contains', value: 'escapetest' }] },
      actions: [{ type: 'add_note', body: 'About {{ticket.subject}} from {{ requester.name }} <b>bold?</b>' }],
    })
    const t = await buildTicket(app, admin, {
      subject: 'escapetest <script>alert(1)</script> {{ constructor }}',
      requester: { email: 'evil@customer.test', name: '<img src=x onerror=alert(1)>' },
    })
    await runJobs()
    const note = (await messages(t.id)).find((m) => m.kind === 'note')!
    expect(note.text).toContain('About escapetest <script>alert(1)</script> {{ constructor }} from <img src=x onerror=alert(1)>')
    expect(note.html).not.toContain('<script')
    expect(note.html).not.toContain('<img')
    expect(note.html).not.toContain('<b>')
    expect(note.html).toContain('&lt;script&gt;')
    expect(note.html).not.toContain('function')
  })

  it('emails the requester and a team and calls a webhook, through jobs, with escaped templates', async () => {
    await app.ctx.db.insertInto('teamMembers').values({ teamId: billing, userId: agent.id }).execute()
    const rule = await create({
      name: 'Tell everyone',
      trigger: 'ticket.created',
      conditions: { all: [{ field: 'ticket.subject', op: 'starts_with', value: 'outbound' }] },
      actions: [
        { type: 'email_requester', subject: 'We got #{{ticket.id}}', body: 'Hi {{requester.firstName}}, about “{{ticket.subject}}”' },
        { type: 'email_team', teamId: billing, subject: 'New: {{ticket.subject}}', body: '{{ticket.url}}' },
        { type: 'call_webhook', url: receiver.url('/automation') },
      ],
    })
    const t = await buildTicket(app, admin, { subject: 'outbound <b>now</b>', requester: { email: 'dana@customer.test', name: 'Dana Doe' } })
    await runJobs()
    const hook = JSON.parse(receiver.at('/automation')[0]!.body)
    expect(hook).toMatchObject({
      type: 'automation.fired',
      automation: { id: rule.id, name: 'Tell everyone' },
      trigger: 'ticket.created',
      ticket: { id: t.id },
    })
    const jobs = await app.ctx.db.selectFrom('jobs').select(['name', 'payload']).where('name', 'in', ['send-automation-email', 'send-staff-email']).execute()
    const toRequester = jobs.map((j) => JSON.parse(j.payload)).find((p) => p.to?.address === 'dana@customer.test')
    expect(toRequester).toMatchObject({ subject: `We got #${t.id}`, text: 'Hi Dana, about “outbound <b>now</b>”' })
    expect(toRequester.html).toContain('outbound &lt;b&gt;now&lt;/b&gt;')
    const toTeam = jobs.map((j) => JSON.parse(j.payload)).find((p) => p.userId === agent.id && p.subject === 'New: outbound <b>now</b>')
    expect(toTeam?.text).toContain(`/tickets/${t.id}`)
  })

  it('fires SLA rules on sla.warning with the metric as a condition', async () => {
    await create({
      name: 'SLA escalation',
      trigger: 'sla.breached',
      conditions: { all: [{ field: 'sla.metric', op: 'is', value: 'first_response' }] },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    })
    const t = await buildTicket(app, admin)
    const breach = (metric: string) =>
      inTransaction(app.ctx, async (_trx, emit) => {
        emit({ name: 'sla.breached', ticket: { id: t.id, teamId: null }, payload: { ticketId: t.id, metric, dueAt: 0, policyId: 1 } })
      })
    await breach('next_response')
    await runJobs()
    expect((await ticket(t.id)).priority).toBe('normal')
    await breach('first_response')
    await runJobs()
    expect((await ticket(t.id)).priority).toBe('urgent')
  })
})
