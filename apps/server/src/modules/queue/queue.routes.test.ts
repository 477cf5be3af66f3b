import type { QueueDto, TicketDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { postEmail, rawEmail } from '../../../test/email-peers.ts'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation, unique } from '../../../test/helpers.ts'
import { now } from '../../platform/clock.ts'

describe('rotation queue', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const cards = (await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'Cards', keywords: ['card'] } })).json()
  const loans = (await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'Loans', keywords: ['loan'] } })).json()
  const certify = (userId: number, categoryId: number) =>
    app.ctx.db.insertInto('certifications').values({ userId, categoryId, source: 'admin', grantedById: admin.id, createdAt: now() }).execute()

  const queue = async (as: { headers: Record<string, string> }): Promise<QueueDto> =>
    (await app.inject({ method: 'GET', url: '/api/v1/queue', headers: as.headers })).json()
  const claim = (as: { headers: Record<string, string> }, id: number) => app.inject({ method: 'POST', url: `/api/v1/queue/claim/${id}`, headers: as.headers })
  const get = async (id: number): Promise<TicketDto> => (await app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent.headers })).json()
  /** Leaves earlier tests' tickets out of the queue so each test sees only its own. */
  const clearQueue = () => app.ctx.db.updateTable('tickets').set({ status: 'pending' }).where('status', 'in', ['new', 'open']).execute()

  it('offers nothing to a contributor off shift, and refuses their claims', async () => {
    const off = await buildUser(app, { role: 'contributor' })
    const t = await buildTicket(app, agent, { subject: 'Address', body: 'How do I change my address?' })
    expect(await queue(off)).toMatchObject({ eligible: false, items: [], reason: 'The queue offers tickets only while you are on shift' })
    expect((await app.inject({ method: 'POST', url: '/api/v1/queue/next', headers: off.headers })).statusCode).toBe(403)
    expect((await claim(off, t.id)).statusCode).toBe(403)
  })

  it('offers a contributor on shift only tickets within clearance and in certified (or no) categories, oldest first', async () => {
    await clearQueue()
    const cora = await buildUser(app, { role: 'contributor', name: 'Cora' })
    await putOnShift(app, cora.id)
    await certify(cora.id, cards.id)
    const plain = await buildTicket(app, agent, { subject: 'Address', body: 'How do I change my address?' })
    const card = await buildTicket(app, agent, { subject: 'New card', body: 'My card has not arrived.' })
    const loan = await buildTicket(app, agent, { subject: 'Loan', body: 'Can I get a loan?' })
    const risky = await buildTicket(app, agent, { subject: 'Refund', body: 'I want a refund for my card.' })
    expect([card.categoryId, loan.categoryId, risky.riskLevel]).toEqual([cards.id, loans.id, 'medium'])

    const offered = await queue(cora)
    expect(offered.eligible).toBe(true)
    expect(offered.items.map((i) => i.id)).toEqual([plain.id, card.id])

    const above = await claim(cora, risky.id)
    expect(above.statusCode).toBe(403)
    expect(above.json().error.message).toContain('above your clearance (low)')
    const uncertified = await claim(cora, loan.id)
    expect(uncertified.statusCode).toBe(403)
    expect(uncertified.json().error.message).toContain('not certified')

    // An agent (clearance high) sees every waiting ticket, certified or not — but never a live chat, which chat routing hands out.
    const chatInbox = (
      await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: unique('Chat '), type: 'chat' } })
    ).json()
    const chat = await buildTicket(app, agent, { subject: 'Chat', body: 'Are you there?', inboxId: chatInbox.id })
    expect((await queue(agent)).items.map((i) => i.id)).toEqual([plain.id, card.id, loan.id, risky.id])
    expect((await claim(agent, chat.id)).statusCode).toBe(409)

    const next = await app.inject({ method: 'POST', url: '/api/v1/queue/next', headers: cora.headers })
    expect(next.json().ticket).toMatchObject({ id: plain.id, status: 'open', assignee: { id: cora.id, name: 'Cora' } })
    expect((await claim(cora, plain.id)).statusCode).toBe(409)
    expect((await claim(cora, card.id)).json().assignee.id).toBe(cora.id)
    const empty = await app.inject({ method: 'POST', url: '/api/v1/queue/next', headers: cora.headers })
    expect(empty.json()).toEqual({ ticket: null, reason: 'Nothing waiting within your clearance (low risk) and certified categories' })
    // Holding it, Cora can now open the ticket.
    expect((await app.inject({ method: 'GET', url: `/api/v1/tickets/${card.id}`, headers: cora.headers })).statusCode).toBe(200)
  })

  it('gives a ticket claimed twice at once to exactly one person', async () => {
    await clearQueue()
    const [a, b] = [await buildUser(app, { role: 'contributor' }), await buildUser(app, { role: 'contributor' })]
    await putOnShift(app, a.id)
    await putOnShift(app, b.id)
    const t = await buildTicket(app, agent, { subject: 'Address', body: 'How do I change my address?' })
    const results = await Promise.all([claim(a, t.id), claim(b, t.id)])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
    const winner = results.find((r) => r.statusCode === 200)!.json().assignee.id
    expect((await get(t.id)).assignee?.id).toBe(winner)

    const [t1, t2] = [
      await buildTicket(app, agent, { subject: 'One', body: 'Hello there' }),
      await buildTicket(app, agent, { subject: 'Two', body: 'Hello again' }),
    ]
    const nexts = await Promise.all([a, b].map((u) => app.inject({ method: 'POST', url: '/api/v1/queue/next', headers: u.headers })))
    expect(nexts.map((r) => r.json().ticket.id).sort()).toEqual([t1.id, t2.id].sort())
  })

  it('auto-assigns new tickets round-robin to qualified people on shift, up to the cap', async () => {
    await clearQueue()
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/queue/settings', headers: agent.headers, payload: { autoAssign: true } })).statusCode).toBe(403)
    const bad = await app.inject({ method: 'PATCH', url: '/api/v1/queue/settings', headers: admin.headers, payload: { capPerPerson: 0 } })
    expect(bad.statusCode).toBe(400)
    const on = await app.inject({ method: 'PATCH', url: '/api/v1/queue/settings', headers: admin.headers, payload: { autoAssign: true, capPerPerson: 1 } })
    expect(on.json()).toEqual({ autoAssign: true, capPerPerson: 1 })
    // End earlier tests' shifts so only these two are on duty.
    await app.ctx.db
      .updateTable('shifts')
      .set({ endedAt: now() - 1 })
      .execute()
    const p = await buildUser(app, { role: 'contributor', name: 'Pat' })
    const q = await buildUser(app, { role: 'contributor', name: 'Quinn' })
    const observer = await buildUser(app, { role: 'contributor', name: 'Olly' })
    await setParticipation(app, observer.id, { trustLevel: 'observer' })
    for (const u of [p, q, observer]) await putOnShift(app, u.id)

    const risky = await buildTicket(app, agent, { subject: 'Chargeback', body: 'I filed a chargeback.' })
    const t1 = await buildTicket(app, agent, { subject: 'First', body: 'Hello, a question.' })
    const t2 = await buildTicket(app, agent, { subject: 'Second', body: 'Hello, another question.' })
    const t3 = await buildTicket(app, agent, { subject: 'Third', body: 'Hello, one more question.' })
    await app.ctx.jobs.runDue()
    const holders = await Promise.all([risky, t1, t2, t3].map(async (t) => (await get(t.id)).assignee?.id ?? null))
    expect(holders[0]).toBeNull()
    expect(holders.slice(1, 3).sort()).toEqual([p.id, q.id].sort())
    expect(holders[3]).toBeNull()
    const notes = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: p.headers })).json().items
    expect(notes[0].title).toMatch(/^The rotation queue gave you #/)

    await app.inject({ method: 'PATCH', url: '/api/v1/queue/settings', headers: admin.headers, payload: { autoAssign: false } })
  })
})

describe('hand back to support', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const team = await buildTeam(app)
  const otherTeam = await buildTeam(app)
  const teamAgent = await buildUser(app, { role: 'agent', teamIds: [team] })
  const otherAgent = await buildUser(app, { role: 'agent', teamIds: [otherTeam] })
  const cora = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Cora' })
  const bystander = await buildUser(app, { role: 'contributor', teamIds: [team] })
  await putOnShift(app, cora.id)
  const inbox = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Email', type: 'email', teamId: team, email: { addresses: ['help@acme.test'], displayName: 'Acme Support' } },
    })
  ).json()

  const notifications = async (as: { headers: Record<string, string> }) =>
    (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: as.headers })).json().items as { kind: string; title: string; ticketId: number }[]
  const get = async (id: number): Promise<TicketDto> => (await app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: admin.headers })).json()
  const messages = async (id: number) => (await app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/messages`, headers: admin.headers })).json().items

  it('lets the assignee hand a ticket back with a note; support is told; others may not', async () => {
    const t = await buildTicket(app, teamAgent, { subject: 'Address', body: 'How do I change my address?', teamId: team })
    expect((await app.inject({ method: 'POST', url: `/api/v1/queue/claim/${t.id}`, headers: cora.headers })).statusCode).toBe(200)

    const byBystander = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${t.id}/hand-back`,
      headers: bystander.headers,
      payload: { note: 'Not mine' },
    })
    expect(byBystander.statusCode).toBe(403)
    const empty = await app.inject({ method: 'POST', url: `/api/v1/tickets/${t.id}/hand-back`, headers: cora.headers, payload: { note: '' } })
    expect(empty.statusCode).toBe(400)

    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${t.id}/hand-back`,
      headers: cora.headers,
      payload: { note: 'The customer asks about a court order' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().assignee).toBeNull()
    const log = await messages(t.id)
    expect(log.find((m: { kind: string }) => m.kind === 'note')).toMatchObject({
      text: 'Handed back to support: The customer asks about a court order',
      author: { name: 'Cora' },
    })
    expect(log.at(-1).event).toMatchObject({ type: 'handed_back', from: cora.id, automatic: false })
    expect((await notifications(teamAgent)).map((n) => n.title)).toContain(`Cora handed back #${t.id}: Address — The customer asks about a court order`)
    expect((await notifications(admin)).some((n) => n.kind === 'handed_back' && n.ticketId === t.id)).toBe(true)
    expect((await notifications(otherAgent)).some((n) => n.kind === 'handed_back')).toBe(false)

    const again = await app.inject({ method: 'POST', url: `/api/v1/tickets/${t.id}/hand-back`, headers: teamAgent.headers, payload: { note: 'again' } })
    expect(again.statusCode).toBe(409)
  })

  it('hands a ticket back automatically when a new customer message raises its risk above the holder’s clearance', async () => {
    const from = `${unique('angry')}@customer.test`
    const first = await postEmail(
      app,
      admin.headers,
      inbox.id,
      rawEmail({ from, to: 'help@acme.test', subject: 'Statement', text: 'Hello, where can I find my statement?', messageId: `<s.${from}>` }),
    )
    const ticketId = first.ticketId!
    expect((await get(ticketId)).riskLevel).toBe('low')
    expect((await app.inject({ method: 'POST', url: `/api/v1/queue/claim/${ticketId}`, headers: cora.headers })).statusCode).toBe(200)

    await postEmail(
      app,
      admin.headers,
      inbox.id,
      rawEmail({
        from,
        to: 'help@acme.test',
        subject: 'Re: Statement',
        text: 'THIS IS RIDICULOUS!!! My lawyer will hear about this.',
        headers: { 'In-Reply-To': `<s.${from}>` },
      }),
    )
    // Right away the holder can no longer reply (the policy reads the new risk) …
    const decision = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/reply-decision`, headers: cora.headers })).json()
    expect(decision).toEqual({ mode: 'deny', reason: "This ticket's risk (high) is above your clearance (low)" })
    // … and the queued hand-back returns the ticket to support with the reason.
    await app.ctx.jobs.runDue()
    const after = await get(ticketId)
    expect(after.assignee).toBeNull()
    expect(after.riskLevel).toBe('high')
    const event = (await messages(ticketId)).find((m: { event: { type?: string } | null }) => m.event?.type === 'handed_back')
    expect(event.event).toMatchObject({ automatic: true, from: cora.id })
    expect(event.event.reason).toContain("Risk rose to high, above Cora's clearance (low)")
    expect(event.event.reason).toContain('Mentions “lawyer”')
    const told = (await notifications(teamAgent)).find((n) => n.kind === 'handed_back' && n.ticketId === ticketId)
    expect(told?.title).toContain(`#${ticketId} was handed back automatically from Cora: Risk rose to high`)
    expect((await notifications(cora)).some((n) => n.kind === 'handed_back' && n.ticketId === ticketId)).toBe(true)
    // Running the jobs again changes nothing (the hand-back is done once).
    await app.ctx.jobs.runDue()
    expect((await messages(ticketId)).filter((m: { event: { type?: string } | null }) => m.event?.type === 'handed_back')).toHaveLength(1)
  })

  it('hands back a ticket when staff move it to a category the holder is not certified for', async () => {
    const billing = (await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'Billing', keywords: [] } })).json()
    const t = await buildTicket(app, teamAgent, { subject: 'Question', body: 'Hello, a question.', teamId: team })
    await app.inject({ method: 'POST', url: `/api/v1/queue/claim/${t.id}`, headers: cora.headers })
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${t.id}`, headers: teamAgent.headers, payload: { categoryId: billing.id } })
    await app.ctx.jobs.runDue()
    const after = await get(t.id)
    expect(after.assignee).toBeNull()
    expect((await messages(t.id)).at(-1).event.reason).toContain("Cora is not certified for this ticket's category")
  })
})
