import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { postEmail, rawEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('expert consults', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const support = await buildTeam(app, 'Support')
  const engineering = await buildTeam(app, 'Engineering')
  const billing = await buildTeam(app, 'Billing')
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent', teamIds: [support] })
  const engineer = await buildUser(app, { role: 'contributor', name: 'Erin Engineer', teamIds: [engineering] })
  const engineer2 = await buildUser(app, { role: 'contributor', name: 'Eli Engineer', teamIds: [engineering] })
  const accountant = await buildUser(app, { role: 'contributor', name: 'Bea Billing', teamIds: [billing] })
  const stranger = await buildUser(app, { role: 'contributor', name: 'Sam Stranger' })
  const supportAddress = 'help@acme.test'
  let inboxId: number

  beforeAll(async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Email', type: 'email', email: { addresses: [supportAddress], displayName: 'Acme Support' } },
    })
    expect(res.statusCode).toBe(201)
    inboxId = res.json().id
  })
  afterEach(() => resetClock())

  const ask = (as: User, ticketId: number, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/consults`, headers: as.headers, payload })
  const get = (as: User, url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as.headers })
  const post = (as: User, url: string, payload?: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const notificationsOf = async (as: User) => (await get(as, '/notifications')).json().items as { kind: string; title: string; ticketId: number | null }[]

  it('asks a person: assigned to them, notified in the app and by email with a signed reply address', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support, subject: 'Export to CSV crashes' })
    const res = await ask(agent, ticket.id, { userId: engineer.id, question: 'Is the CSV export crash a known bug?', dueInHours: 4 })
    expect(res.statusCode, res.body).toBe(201)
    const consult = res.json()
    expect(consult).toMatchObject({
      ticket: { id: ticket.id, subject: 'Export to CSV crashes' },
      askedBy: { id: agent.id, name: 'Alex Agent' },
      assignee: { id: engineer.id, name: 'Erin Engineer' },
      team: null,
      status: 'open',
      overdue: false,
      isAsker: true,
    })
    expect(consult.dueAt - consult.createdAt).toBe(4 * 3600_000)
    const notes = await notificationsOf(engineer)
    expect(notes[0]).toMatchObject({ kind: 'consult', ticketId: null })
    expect(notes[0]!.title).toContain('Is the CSV export crash')
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(1)
    expect(mail.rcpt).toEqual([engineer.email])
    expect(mail.parsed.subject).toBe(`[Consult #${consult.id}] Ticket #${ticket.id}: Export to CSV crashes`)
    expect(mail.parsed.replyTo?.text).toMatch(new RegExp(`^help\\+consult-${consult.id}-[a-z0-9_-]{8}@acme\\.test$`))
    expect(mail.parsed.text).toContain('never to the customer')
  })

  it('asks a team without an on-call person: nobody assigned, every member notified', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const res = await ask(agent, ticket.id, { teamId: billing, question: 'Can we refund twice in a month?' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ team: { id: billing, name: 'Billing' }, assignee: null })
    expect(res.json().dueAt - res.json().createdAt).toBe(24 * 3600_000)
    expect((await notificationsOf(accountant)).some((n) => n.title.includes('refund twice'))).toBe(true)
    const mine = (await get(accountant, '/consults?mine=team')).json().items
    expect(mine.map((c: { id: number }) => c.id)).toContain(res.json().id)
    expect((await get(accountant, '/consults?mine=assigned')).json().items).toEqual([])
  })

  it('routes a team consult to the person on its on-call rotation when there is one', async () => {
    const rotation = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: admin.headers,
      payload: {
        kind: 'recurring',
        name: 'Engineering on call',
        timeZone: 'UTC',
        cohort: { userIds: [engineer2.id], teamIds: [] },
        oncallTeamId: engineering,
        schedule: { frequency: 'weekly', weekdays: [1], hours: { start: '09:00', end: '10:00' } },
      },
    })
    expect(rotation.statusCode, rotation.body).toBe(201)
    const shiftId = await putOnShift(app, engineer2.id)
    await app.ctx.db.updateTable('shifts').set({ rotationId: rotation.json().id }).where('id', '=', shiftId).execute()
    const ticket = await buildTicket(app, agent, { teamId: support })
    const res = await ask(agent, ticket.id, { teamId: engineering, question: 'Who owns the sync service?' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().assignee).toEqual({ id: engineer2.id, name: 'Eli Engineer' })
    expect((await notificationsOf(engineer2)).some((n) => n.title.includes('sync service'))).toBe(true)
    expect((await notificationsOf(engineer)).some((n) => n.title.includes('sync service'))).toBe(false)
    // Off shift again: the team is asked as a whole.
    await app.ctx.db.updateTable('shifts').set({ endedAt: now() }).where('id', '=', shiftId).execute()
    const next = await ask(agent, ticket.id, { teamId: engineering, question: 'And who reviews the fix?' })
    expect(next.json().assignee).toBeNull()
  })

  it('lets the consulted person answer in the app without seeing the customer conversation, and the asker resolve', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support, subject: 'Webhook retries' })
    const consult = (await ask(agent, ticket.id, { teamId: engineering, question: 'How often do webhooks retry?' })).json()
    const seen = await get(engineer, `/consults/${consult.id}`)
    expect(seen.statusCode).toBe(200)
    expect(seen.json().consult).toMatchObject({
      question: 'How often do webhooks retry?',
      canViewTicket: false,
      isConsultee: true,
      ticket: { subject: 'Webhook retries' },
    })
    expect((await get(engineer, `/tickets/${ticket.id}/messages`)).statusCode).toBe(403)
    expect((await get(engineer, `/tickets/${ticket.id}`)).statusCode).toBe(403)

    const answer = await post(engineer, `/consults/${consult.id}/messages`, { body: 'Five times, with exponential backoff.' })
    expect(answer.statusCode, answer.body).toBe(201)
    expect(answer.json().consult).toMatchObject({ status: 'answered', assignee: { id: engineer.id } })
    expect(answer.json().messages).toEqual([
      expect.objectContaining({
        text: 'Five times, with exponential backoff.',
        isAnswer: true,
        via: 'app',
        author: { id: engineer.id, name: 'Erin Engineer' },
      }),
    ])
    expect((await notificationsOf(agent)).some((n) => n.title.startsWith('Erin Engineer answered'))).toBe(true)

    const panel = (await get(agent, `/tickets/${ticket.id}/consults`)).json().items
    expect(panel).toEqual([expect.objectContaining({ id: consult.id, status: 'answered', canViewTicket: true })])
    const followUp = await post(agent, `/consults/${consult.id}/messages`, { body: 'Even for 410 Gone?' })
    expect(followUp.json().consult.status).toBe('open')
    expect(followUp.json().messages[1].isAnswer).toBe(false)

    const resolved = await post(agent, `/consults/${consult.id}/resolve`)
    expect(resolved.statusCode).toBe(200)
    expect(resolved.json().status).toBe('resolved')
    expect((await post(agent, `/consults/${consult.id}/resolve`)).statusCode).toBe(409)
    expect((await post(engineer, `/consults/${consult.id}/messages`, { body: 'late' })).statusCode).toBe(409)
  })

  it('never lets a consultant reply to the customer, even on shift', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    await ask(agent, ticket.id, { userId: engineer.id, question: 'Quick check?' })
    await putOnShift(app, engineer.id)
    await setParticipation(app, engineer.id, { trustLevel: 'agent', clearance: 'high' })
    const res = await post(engineer, `/tickets/${ticket.id}/replies`, { body: 'Hi customer, engineer here' })
    expect(res.statusCode).toBe(403)
    const notes = await post(engineer, `/tickets/${ticket.id}/notes`, { body: 'sneaky note' })
    expect(notes.statusCode).toBe(403)
    await setParticipation(app, engineer.id, { trustLevel: 'reviewed', clearance: 'low' })
  })

  it('hides a consult from people who are neither asker, asked, nor able to see the ticket', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const consult = (await ask(agent, ticket.id, { userId: accountant.id, question: 'Private question about an invoice' })).json()
    for (const url of [`/consults/${consult.id}`]) expect((await get(stranger, url)).statusCode).toBe(404)
    expect((await post(stranger, `/consults/${consult.id}/messages`, { body: 'hi' })).statusCode).toBe(404)
    expect((await post(stranger, `/consults/${consult.id}/resolve`)).statusCode).toBe(404)
    expect((await post(stranger, `/consults/${consult.id}/assign`, { userId: stranger.id })).statusCode).toBe(404)
    expect((await get(stranger, `/tickets/${ticket.id}/consults`)).statusCode).toBe(403)
    const list = (await get(stranger, '/consults')).json().items
    expect(list.map((c: { id: number }) => c.id)).not.toContain(consult.id)
    expect((await get(stranger, '/consults?mine=team')).json().items).toEqual([])
    // Another engineer was not asked either: the consult went to one person, not their team.
    expect((await get(engineer2, `/consults/${consult.id}`)).statusCode).toBe(404)
  })

  it('does not let a contributor ask about a ticket they cannot see, and checks the input', async () => {
    const hidden = await buildTicket(app, agent, { teamId: support })
    expect((await ask(stranger, hidden.id, { teamId: engineering, question: 'What is in this ticket?' })).statusCode).toBe(403)
    const own = await buildTicket(app, agent, { teamId: engineering })
    expect((await ask(engineer, own.id, { userId: accountant.id, question: 'Billing question from engineering' })).statusCode).toBe(201)
    expect((await ask(agent, own.id, { question: 'Nobody to ask' })).statusCode).toBe(400)
    expect((await ask(agent, own.id, { teamId: billing, userId: accountant.id, question: 'Both' })).statusCode).toBe(400)
    expect((await ask(agent, own.id, { teamId: 999999, question: 'No such team' })).statusCode).toBe(422)
    expect((await ask(agent, own.id, { userId: agent.id, question: 'Myself' })).statusCode).toBe(422)
    expect((await ask(agent, own.id, { userId: engineer.id, question: '' })).statusCode).toBe(400)
    expect((await ask(agent, own.id, { userId: engineer.id, question: 'x', dueInHours: 0 })).statusCode).toBe(400)
    expect((await ask(agent, 999999, { userId: engineer.id, question: 'x' })).statusCode).toBe(404)
  })

  it('assigns a team consult only to a member of that team', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const consult = (await ask(agent, ticket.id, { teamId: engineering, question: 'Who takes this?' })).json()
    expect((await post(agent, `/consults/${consult.id}/assign`, { userId: accountant.id })).statusCode).toBe(422)
    const res = await post(engineer, `/consults/${consult.id}/assign`, { userId: engineer2.id })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().assignee).toEqual({ id: engineer2.id, name: 'Eli Engineer' })
    expect((await get(engineer2, '/consults?mine=assigned')).json().items.map((c: { id: number }) => c.id)).toContain(consult.id)
  })

  it('flags overdue consults and lists them first', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const later = (await ask(agent, ticket.id, { userId: accountant.id, question: 'Not urgent', dueInHours: 48 })).json()
    const soon = (await ask(agent, ticket.id, { userId: accountant.id, question: 'Urgent', dueInHours: 1 })).json()
    expect(soon.overdue).toBe(false)
    advanceClock(2 * 3600_000)
    const list = (await get(accountant, '/consults?mine=assigned&status=unresolved')).json().items as { id: number; overdue: boolean }[]
    const ids = list.map((c) => c.id)
    expect(ids.indexOf(soon.id)).toBeLessThan(ids.indexOf(later.id))
    expect(list.find((c) => c.id === soon.id)!.overdue).toBe(true)
    expect(list.find((c) => c.id === later.id)!.overdue).toBe(false)
    const overdue = (await get(agent, '/consults?overdue=true')).json().items.map((c: { id: number }) => c.id)
    expect(overdue).toContain(soon.id)
    expect(overdue).not.toContain(later.id)
    // Answered consults are no longer overdue.
    await post(accountant, `/consults/${soon.id}/messages`, { body: 'Done' })
    expect((await get(agent, `/consults/${soon.id}`)).json().consult.overdue).toBe(false)
  })

  it('pages consults with a cursor', async () => {
    const first = (await get(agent, '/consults?limit=2')).json()
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = (await get(agent, `/consults?limit=2&cursor=${first.nextCursor}`)).json()
    expect(second.items.map((c: { id: number }) => c.id)).not.toContain(first.items[0].id)
    expect((await get(agent, '/consults?cursor=nonsense')).statusCode).toBe(400)
  })

  it('takes an answer by email from the consulted person into the consult, never into the ticket', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support, subject: 'SSO login loop' })
    await app.ctx.jobs.runDue()
    const before = sink.received.length
    const consult = (await ask(agent, ticket.id, { userId: engineer.id, question: 'Is the SSO loop fixed in 4.2?' })).json()
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(before + 1)
    expect(mail.rcpt).toEqual([engineer.email])
    const replyTo = mail.parsed.replyTo!.text
    const messagesBefore = (await get(agent, `/tickets/${ticket.id}/messages`)).json().items.length

    const result = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({
        from: `Erin Engineer <${engineer.email}>`,
        to: replyTo,
        subject: `Re: ${mail.parsed.subject}`,
        text: `Yes, fixed in 4.2.1.\n\nOn Thu, 26 Nov 2026 at 09:00, Acme Support <help@acme.test> wrote:\n> ${consult.question}\n`,
      }),
    )
    expect(result.disposition).toBe('consult')
    expect(result.messageId).toBeNull()
    const detail = (await get(agent, `/consults/${consult.id}`)).json()
    expect(detail.consult).toMatchObject({ status: 'answered', assignee: { id: engineer.id } })
    expect(detail.messages).toEqual([expect.objectContaining({ text: 'Yes, fixed in 4.2.1.', via: 'email', isAnswer: true })])
    const messages = (await get(agent, `/tickets/${ticket.id}/messages`)).json().items
    expect(messages).toHaveLength(messagesBefore)
    expect(messages.some((m: { text: string }) => m.text.includes('4.2.1'))).toBe(false)
  })

  it('refuses consult mail with a forged tag or from someone who was not asked, into the mail log', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support })
    const consult = (await ask(agent, ticket.id, { userId: engineer.id, question: 'Forgery check' })).json()
    const countTickets = async () => (await get(admin, '/tickets?limit=200')).json().items.length
    const ticketsBefore = await countTickets()

    const forged = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({ from: engineer.email, to: `help+consult-${consult.id}-aaaaaaaa@acme.test`, subject: 'Re: consult', text: 'Forged answer' }),
    )
    expect(forged.disposition).toBe('rejected')
    const wrongSender = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({ from: accountant.email, to: await replyAddressFor(consult.id), subject: 'Re: consult', text: 'Not my consult' }),
    )
    expect(wrongSender.disposition).toBe('rejected')
    const outsider = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({ from: 'mallory@evil.test', to: await replyAddressFor(consult.id), subject: 'Re: consult', text: 'Let me in' }),
    )
    expect(outsider.disposition).toBe('rejected')
    expect((await get(agent, `/consults/${consult.id}`)).json().messages).toEqual([])
    expect(await countTickets()).toBe(ticketsBefore)
    const log = (await get(admin, '/inbound-emails?disposition=rejected')).json().items as { id: number; error: string | null }[]
    expect(log.find((m) => m.id === forged.inboundEmailId)?.error).toMatch(/forged/)
    expect(log.find((m) => m.id === wrongSender.inboundEmailId)?.error).toMatch(/was not asked/)
  })

  it('finds experts from consult history without revealing ticket content', async () => {
    const ticket = await buildTicket(app, agent, { teamId: support, subject: 'Secret merger invoice', tags: ['invoices'] })
    const consult = (await ask(agent, ticket.id, { userId: accountant.id, question: 'How do we credit a duplicated invoice for Globex?' })).json()
    await post(accountant, `/consults/${consult.id}/messages`, { body: 'Issue a credit note from the billing console.' })
    const res = await get(stranger, '/expertise?q=duplicated%20invoice')
    expect(res.statusCode).toBe(200)
    const items = res.json().items
    expect(items[0]).toMatchObject({ user: { id: accountant.id, name: 'Bea Billing' }, teams: [{ id: billing, name: 'Billing' }], matchedCount: 1 })
    expect(items[0].topics).toContain('invoices')
    expect(res.body).not.toContain('Globex')
    expect(res.body).not.toContain('Secret merger')
    expect(res.body).not.toContain(`"ticketId"`)
    // A team whose name matches brings its members in, after people with matching answers.
    const byTeam = (await get(agent, '/expertise?q=engineering')).json().items.map((e: { user: { id: number } }) => e.user.id)
    expect(byTeam).toEqual(expect.arrayContaining([engineer.id, engineer2.id]))
    expect((await get(agent, '/expertise?q=zzzunknownword')).json().items).toEqual([])
  })

  it('uses the default due time from the settings, which only admins change', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/consult-settings', headers: agent.headers, payload: { defaultDueHours: 2 } })).statusCode).toBe(403)
    const res = await app.inject({ method: 'PUT', url: '/api/v1/consult-settings', headers: admin.headers, payload: { defaultDueHours: 2 } })
    expect(res.json()).toEqual({ defaultDueHours: 2 })
    const ticket = await buildTicket(app, agent, { teamId: support })
    const consult = (await ask(agent, ticket.id, { userId: engineer.id, question: 'Default due?' })).json()
    expect(consult.dueAt - consult.createdAt).toBe(2 * 3600_000)
    const audit = (await get(admin, '/audit-log?action=consults.settings_changed')).json().items
    expect(audit[0].data).toMatchObject({ to: { defaultDueHours: 2 } })
  })

  async function replyAddressFor(consultId: number): Promise<string> {
    const { consultReplyAddress } = await import('./consults.addresses.ts')
    const { workspaceSecret } = await import('../settings/settings.service.ts')
    return consultReplyAddress(supportAddress, consultId, await workspaceSecret(app.ctx.db, 'emailTagSecret'))
  }
})
