import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift } from '../../../test/helpers.ts'
import type { DomainEvent } from '../../platform/realtime.ts'

type User = Awaited<ReturnType<typeof buildUser>>
type Macro = { id: number; name: string; usageCount: number; scope: string; canEdit: boolean; bodyHtml: string; actions: Record<string, unknown> }

describe('macros', async () => {
  const app = await buildTestApp()
  const support = await buildTeam(app, 'Support')
  const billing = await buildTeam(app, 'Billing')
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent', teamIds: [support] })
  const otherAgent = await buildUser(app, { role: 'agent', name: 'Olive Other' })
  const contributor = await buildUser(app, { role: 'contributor', name: 'Pat Product', teamIds: [support] })
  await app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: admin.headers, payload: { workspaceName: 'Acme & Co' } })

  const call = (as: User, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload !== undefined ? { payload: payload as object } : {}) })
  const create = async (as: User, payload: Record<string, unknown>): Promise<Macro> => {
    const res = await call(as, 'POST', '/macros', payload)
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }
  const list = async (as: User, q?: string): Promise<Macro[]> => {
    const res = await call(as, 'GET', `/macros${q ? `?q=${encodeURIComponent(q)}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json().items
  }
  const messagesOf = async (ticketId: number) => (await call(admin, 'GET', `/tickets/${ticketId}/messages`)).json().items as Record<string, any>[]

  it('keeps personal macros to their owner and lets only admins manage shared ones', async () => {
    const mine = await create(agent, { name: 'My thanks', body: 'Thanks!' })
    expect(mine).toMatchObject({ scope: 'personal', owner: { id: agent.id, name: 'Alex Agent' }, approvedForContributors: false, usageCount: 0, canEdit: true })
    expect((await list(agent)).map((m) => m.id)).toContain(mine.id)
    // Nobody else sees it, admins included.
    for (const other of [otherAgent, admin]) {
      expect((await list(other)).map((m) => m.id)).not.toContain(mine.id)
      expect((await call(other, 'GET', `/macros/${mine.id}`)).statusCode).toBe(404)
      expect((await call(other, 'PATCH', `/macros/${mine.id}`, { name: 'Taken' })).statusCode).toBe(404)
      expect((await call(other, 'DELETE', `/macros/${mine.id}`)).statusCode).toBe(404)
    }
    const renamed = await call(agent, 'PATCH', `/macros/${mine.id}`, { name: 'My warm thanks' })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json()).toMatchObject({ name: 'My warm thanks', bodyHtml: '<p>Thanks!</p>' })

    const agentShared = await call(agent, 'POST', '/macros', { name: 'Shared by agent', body: 'Hi', scope: 'shared' })
    expect(agentShared.statusCode).toBe(403)
    expect(agentShared.json().error.message).toMatch(/admins/)
    expect((await call(agent, 'PATCH', `/macros/${mine.id}`, { scope: 'shared' })).statusCode).toBe(403)

    const shared = await create(admin, { name: 'Team greeting', body: 'Hello from the team', scope: 'shared' })
    expect(shared).toMatchObject({ scope: 'shared', owner: null, createdBy: { id: admin.id, name: 'Ada Admin' } })
    const seenByAgent = (await list(agent)).find((m) => m.id === shared.id)
    expect(seenByAgent).toMatchObject({ canEdit: false })
    expect((await call(agent, 'GET', `/macros/${shared.id}`)).statusCode).toBe(200)
    expect((await call(agent, 'PATCH', `/macros/${shared.id}`, { name: 'Mine now' })).statusCode).toBe(403)
    expect((await call(agent, 'DELETE', `/macros/${shared.id}`)).statusCode).toBe(403)
    expect((await call(admin, 'PATCH', `/macros/${shared.id}`, { body: '<p>Hello from <b>all</b> of us</p>' })).json().bodyHtml).toBe(
      '<p>Hello from <b>all</b> of us</p>',
    )
    const audit = await app.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorId'])
      .where('targetType', '=', 'macro')
      .where('targetId', '=', shared.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['macro.created', 'macro.updated'])

    // An admin sharing their own personal macro, then deleting it.
    const adminOwn = await create(admin, { name: 'Admin draft', body: 'Draft' })
    const promoted = await call(admin, 'PATCH', `/macros/${adminOwn.id}`, { scope: 'shared', approvedForContributors: true })
    expect(promoted.json()).toMatchObject({ scope: 'shared', owner: null, approvedForContributors: true })
    expect((await list(otherAgent)).map((m) => m.id)).toContain(adminOwn.id)
    expect((await call(admin, 'DELETE', `/macros/${adminOwn.id}`)).json()).toEqual({ ok: true })
    expect((await call(admin, 'GET', `/macros/${adminOwn.id}`)).statusCode).toBe(404)
    expect((await call(agent, 'DELETE', `/macros/${mine.id}`)).statusCode).toBe(200)
    expect((await list(agent)).map((m) => m.id)).not.toContain(mine.id)
  })

  it('sanitizes the body on save and lists by usage, then name, filtered by words of the name', async () => {
    const res = await call(agent, 'POST', '/macros', {
      name: 'Zz sanitized',
      body: '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">there</a><img src=x onerror=alert(1)></p>',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().bodyHtml).not.toMatch(/script|onclick|onerror|javascript/)
    expect(res.json().bodyHtml).toContain('Hi ')
    const plain = await create(agent, { name: 'Zz plain', body: 'Line & one\n\nLine two' })
    expect(plain.bodyHtml).toBe('<p>Line &amp; one</p><p>Line two</p>')

    const a = await create(agent, { name: 'Refund approved', body: 'Refunded' })
    const b = await create(agent, { name: 'Refund declined', body: 'Sorry' })
    const c = await create(agent, { name: 'Another refund note', body: 'Noted' })
    const ticket = await buildTicket(app, agent, { teamId: support })
    for (let i = 0; i < 2; i++) expect((await call(agent, 'POST', `/tickets/${ticket.id}/macros/${b.id}/apply`)).statusCode).toBe(200)
    const refunds = await list(agent, 'REFUND')
    expect(refunds.map((m) => m.id)).toEqual([b.id, c.id, a.id])
    expect(refunds[0]!.usageCount).toBe(2)
    expect((await list(agent, 'refund approved')).map((m) => m.id)).toEqual([a.id])
    expect(await list(agent, '100%_')).toEqual([])
  })

  it('renders placeholders with escaped values and refuses unknown ones on save', async () => {
    const ticket = await buildTicket(app, agent, {
      teamId: support,
      subject: 'Order <b>#12</b> missing',
      requester: { email: 'mallory@customer.test', name: '<img src=x onerror=alert(1)> Mallory' },
    })
    const macro = await create(agent, {
      name: 'Everything',
      body:
        '<p>Hi {{ticket.requester.firstName}} ({{ticket.requester.name}}, {{ ticket.requester.email }}), about #{{ticket.id}} "{{ticket.subject}}": ' +
        '{{agent.firstName}} / {{agent.name}} / {{agent.email}} at {{workspace.name}}</p>',
    })
    const res = await call(agent, 'POST', `/macros/${macro.id}/preview`, { ticketId: ticket.id })
    expect(res.statusCode, res.body).toBe(200)
    const html: string = res.json().html
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>')
    expect(html).toContain('Hi &lt;img (&lt;img src=x onerror=alert(1)&gt; Mallory, mallory@customer.test)')
    expect(html).toContain(`about #${ticket.id} "Order &lt;b&gt;#12&lt;/b&gt; missing"`)
    expect(html).toContain(`Alex / Alex Agent / ${agent.email} at Acme &amp; Co`)

    for (const bad of [
      '{{constructor}}',
      '{{__proto__}}',
      '{{ toString }}',
      '{{ticket.requester.constructor}}',
      '{{agent.password}}',
      '&#123;&#123;constructor&#125;&#125;',
    ]) {
      const refused = await call(agent, 'POST', '/macros', { name: 'Sneaky', body: `<p>Hi ${bad}</p>` })
      expect(refused.statusCode, bad).toBe(400)
      expect(refused.json().error.message).toMatch(/Unknown placeholders/)
      expect(refused.json().error.details.knownPlaceholders).toContain('ticket.requester.firstName')
    }
    const listed = await call(agent, 'POST', '/macros', { name: 'Sneaky', body: '{{constructor}} and {{ __proto__ }} and {{ticket.id}}' })
    expect(listed.json().error.details.unknownPlaceholders).toEqual(['constructor', '__proto__'])
    const inNote = await call(agent, 'POST', '/macros', { name: 'Sneaky note', actions: { note: 'See {{ticket.secret}}' } })
    expect(inNote.statusCode).toBe(400)
    expect(inNote.json().error.details.unknownPlaceholders).toEqual(['ticket.secret'])
    expect((await call(agent, 'PATCH', `/macros/${macro.id}`, { body: 'Hi {{constructor}}' })).statusCode).toBe(400)
  })

  it('applies actions like a manual change: history events, live events, note, usage count', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support, tags: ['old', 'keep'], requester: { email: 'dana@customer.test', name: 'Dana Scully' } })
    const macro = await create(admin, {
      name: 'Escalate to billing',
      scope: 'shared',
      body: '<p>Hi {{ticket.requester.firstName}}, our billing team will follow up.</p>',
      actions: {
        status: 'pending',
        priority: 'high',
        addTags: ['Billing', 'escalated'],
        removeTags: ['old'],
        assignee: 'me',
        teamId: billing,
        note: 'Escalated by {{agent.name}} for {{ticket.requester.name}}',
      },
    })
    expect(macro.actions).toEqual({
      status: 'pending',
      priority: 'high',
      addTags: ['billing', 'escalated'],
      removeTags: ['old'],
      assignee: 'me',
      teamId: billing,
      note: '<p>Escalated by {{agent.name}} for {{ticket.requester.name}}</p>',
    })
    const events: DomainEvent[] = []
    const off = app.ctx.realtime.onPublish((e) => events.push(e))
    const res = await call(agent, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/apply`)
    off()
    expect(res.statusCode, res.body).toBe(200)
    const applied = res.json()
    expect(applied.html).toBe('<p>Hi Dana, our billing team will follow up.</p>')
    expect(applied.ticket).toMatchObject({
      id: ticket.id,
      status: 'pending',
      priority: 'high',
      tags: ['billing', 'escalated', 'keep'],
      assignee: { id: agent.id, name: 'Alex Agent' },
      teamId: billing,
    })
    const messages = await messagesOf(ticket.id)
    const history = messages.filter((m) => m.kind === 'event').map((m) => m.event.type)
    expect(history).toEqual(expect.arrayContaining(['status_changed', 'priority_changed', 'tags_changed', 'assigned', 'team_changed']))
    expect(messages.filter((m) => m.kind === 'event').every((m) => m.author.id === agent.id)).toBe(true)
    const note = messages.find((m) => m.kind === 'note')
    expect(note).toMatchObject({ html: '<p>Escalated by Alex Agent for Dana Scully</p>', author: { type: 'user', id: agent.id } })
    // Nothing was sent to the customer: the reply only goes to the composer.
    expect(messages.filter((m) => m.kind === 'reply')).toEqual([])
    expect(events.filter((e) => e.ticket?.id === ticket.id).map((e) => e.name)).toEqual(expect.arrayContaining(['ticket.updated', 'message.created']))
    expect((await call(agent, 'GET', `/macros/${macro.id}`)).json()).toMatchObject({ usageCount: 1, lastUsedAt: expect.any(Number) })

    // Applying again changes nothing that is already so, but still counts and still adds the note.
    const again = await call(agent, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/apply`)
    expect(again.statusCode).toBe(200)
    expect((await call(agent, 'GET', `/macros/${macro.id}`)).json().usageCount).toBe(2)
    expect((await messagesOf(ticket.id)).filter((m) => m.event?.type === 'status_changed')).toHaveLength(1)
  })

  it('previews without side effects', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const macro = await create(agent, { name: 'Solve it', body: 'Done, {{ticket.requester.firstName}}!', actions: { status: 'solved', note: 'Solved' } })
    const before = (await call(agent, 'GET', `/tickets/${ticket.id}`)).json()
    const beforeMessages = await messagesOf(ticket.id)
    const res = await call(agent, 'POST', `/macros/${macro.id}/preview`, { ticketId: ticket.id })
    expect(res.json()).toEqual({ html: '<p>Done, Casey!</p>' })
    expect((await call(agent, 'GET', `/tickets/${ticket.id}`)).json()).toEqual(before)
    expect(await messagesOf(ticket.id)).toEqual(beforeMessages)
    expect((await call(agent, 'GET', `/macros/${macro.id}`)).json()).toMatchObject({ usageCount: 0, lastUsedAt: null })
    expect((await call(agent, 'POST', `/macros/${macro.id}/preview`, { ticketId: 99999999 })).statusCode).toBe(404)
    expect((await call(otherAgent, 'POST', `/macros/${macro.id}/preview`, { ticketId: ticket.id })).statusCode).toBe(404)
  })

  it('limits rotation contributors to shared macros approved for them', async () => {
    const teamTicket = await buildTicket(app, agent, { teamId: support })
    const foreignTicket = await buildTicket(app, agent, { teamId: billing })
    const approved = await create(admin, {
      name: 'Rotation hello',
      scope: 'shared',
      approvedForContributors: true,
      body: 'Hi {{ticket.requester.firstName}}',
      actions: { note: 'Rotation reply drafted' },
    })
    const notApproved = await create(admin, { name: 'Staff only', scope: 'shared', body: 'Internal wording' })
    const personal = await create(agent, { name: 'Alex only', body: 'Mine' })

    expect((await call(contributor, 'POST', '/macros', { name: 'Mine', body: 'x' })).statusCode).toBe(403)
    const visible = (await list(contributor)).map((m) => m.id)
    expect(visible).toContain(approved.id)
    expect(visible).not.toContain(notApproved.id)
    expect(visible).not.toContain(personal.id)
    expect((await list(contributor)).every((m) => m.scope === 'shared' && !m.canEdit)).toBe(true)
    expect((await call(contributor, 'GET', `/macros/${notApproved.id}`)).statusCode).toBe(403)
    expect((await call(contributor, 'GET', `/macros/${personal.id}`)).statusCode).toBe(404)
    expect((await call(contributor, 'PATCH', `/macros/${approved.id}`, { name: 'x' })).statusCode).toBe(403)

    const refused = await call(contributor, 'POST', `/tickets/${teamTicket.id}/macros/${notApproved.id}/apply`)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toMatch(/not approved/)
    expect((await call(contributor, 'POST', `/macros/${notApproved.id}/preview`, { ticketId: teamTicket.id })).statusCode).toBe(403)
    expect((await call(contributor, 'POST', `/tickets/${foreignTicket.id}/macros/${approved.id}/apply`)).statusCode).toBe(404)

    await putOnShift(app, contributor.id)
    const ok = await call(contributor, 'POST', `/tickets/${teamTicket.id}/macros/${approved.id}/apply`)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().html).toBe('<p>Hi Casey</p>')
    expect((await messagesOf(teamTicket.id)).find((m) => m.kind === 'note')).toMatchObject({ text: 'Rotation reply drafted', author: { id: contributor.id } })

    // Approval is for shared macros without field changes (contributors cannot change ticket fields).
    const withStatus = await call(admin, 'POST', '/macros', {
      name: 'x',
      scope: 'shared',
      approvedForContributors: true,
      body: 'Hi',
      actions: { status: 'solved' },
    })
    expect(withStatus.statusCode).toBe(400)
    expect(withStatus.json().error.message).toMatch(/contributors cannot change ticket fields/)
    expect((await call(admin, 'POST', '/macros', { name: 'x', approvedForContributors: true, body: 'Hi' })).statusCode).toBe(400)
    expect((await call(admin, 'PATCH', `/macros/${approved.id}`, { actions: { priority: 'urgent' } })).statusCode).toBe(400)
    // Making a shared macro personal withdraws the approval.
    const madePersonal = await call(admin, 'PATCH', `/macros/${approved.id}`, { scope: 'personal' })
    expect(madePersonal.json()).toMatchObject({ scope: 'personal', owner: { id: admin.id }, approvedForContributors: false })
    expect((await list(contributor)).map((m) => m.id)).not.toContain(approved.id)
  })

  it('refuses invalid payloads with 400 (and references that do not exist with 422)', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const bad: [Record<string, unknown>, number, RegExp?][] = [
      [{ body: 'Hi' }, 400],
      [{ name: '', body: 'Hi' }, 400],
      [{ name: '   ', body: 'Hi' }, 400, /name/],
      [{ name: 'x' }, 400, /reply text or at least one action/],
      [{ name: 'x', body: '<script>alert(1)</script>' }, 400, /reply text or at least one action/],
      [{ name: 'x', body: 'Hi', scope: 'team' }, 400],
      [{ name: 'x', body: 'Hi', actions: { status: 'done' } }, 400],
      [{ name: 'x', body: 'Hi', actions: { priority: 'asap' } }, 400],
      [{ name: 'x', body: 'Hi', actions: { deleteTicket: true } }, 400],
      [{ name: 'x', body: 'Hi', actions: { addTags: ['has space'] } }, 400],
      [{ name: 'x', body: 'Hi', actions: { addTags: ['a'], removeTags: ['A'] } }, 400, /both added and removed/],
      [{ name: 'x', body: 'Hi', actions: { assignee: 'someone' } }, 400],
      [{ name: 'x', body: 'Hi', actions: { note: '' } }, 400],
      [{ name: 'x', body: 'Hi', actions: { note: '<script>x</script>' } }, 400, /note/],
      [{ name: 'x', body: 'Hi', extra: 1 }, 400],
      [{ name: 'x', body: 'x'.repeat(50001) }, 400],
      [{ name: 'x', body: 'Hi', actions: { assignee: 99999999 } }, 422, /does not exist/],
      [{ name: 'x', body: 'Hi', actions: { assignee: contributor.id } }, 422, /cannot be assigned/],
      [{ name: 'x', body: 'Hi', actions: { teamId: 99999999 } }, 422, /does not exist/],
    ]
    for (const [payload, status, message] of bad) {
      const res = await call(agent, 'POST', '/macros', payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(status)
      if (message) expect(res.json().error.message).toMatch(message)
    }
    const macro = await create(agent, { name: 'Valid', body: 'Hi' })
    expect((await call(agent, 'PATCH', `/macros/${macro.id}`, {})).statusCode).toBe(400)
    expect((await call(agent, 'PATCH', `/macros/${macro.id}`, { name: 'x', usageCount: 99 })).statusCode).toBe(400)
    expect((await call(agent, 'GET', '/macros/abc')).statusCode).toBe(400)
    expect((await call(agent, 'POST', `/macros/${macro.id}/preview`, {})).statusCode).toBe(400)
    expect((await call(agent, 'POST', `/macros/${macro.id}/preview`, { ticketId: 'one' })).statusCode).toBe(400)
    expect((await call(agent, 'POST', `/tickets/${ticket.id}/macros/0/apply`)).statusCode).toBe(400)
    expect((await call(agent, 'POST', `/tickets/${ticket.id}/macros/99999999/apply`)).statusCode).toBe(404)
    expect((await call(agent, 'GET', `/macros?limit=0`)).statusCode).toBe(400)
    // Nothing half-saved: the macro is as it was.
    expect((await call(agent, 'GET', `/macros/${macro.id}`)).json()).toMatchObject({ name: 'Valid', bodyHtml: '<p>Hi</p>' })
  })

  it('refuses a macro whose assignee can no longer take tickets without changing anything', async () => {
    const leaving = await buildUser(app, { role: 'agent', name: 'Leo Leaving' })
    const ticket = await buildTicket(app, agent, { teamId: support })
    const macro = await create(agent, { name: 'To Leo', body: 'Leo will help', actions: { assignee: leaving.id, note: 'Handing to Leo' } })
    await call(admin, 'PATCH', `/users/${leaving.id}`, { isActive: false })
    const res = await call(agent, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/apply`)
    expect(res.statusCode).toBe(422)
    expect((await messagesOf(ticket.id)).filter((m) => m.kind !== 'customer')).toEqual([])
    expect((await call(agent, 'GET', `/macros/${macro.id}`)).json().usageCount).toBe(0)
  })
})
