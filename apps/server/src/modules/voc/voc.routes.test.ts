import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser, setParticipation } from '../../../test/helpers.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

type User = Awaited<ReturnType<typeof buildUser>>
const WEEK = 7 * 24 * 3600_000

describe('voice-of-customer board', async () => {
  const app = await buildTestApp()
  const owner = await buildUser(app, { role: 'owner' })
  const admin = await buildUser(app, { role: 'admin' })
  const support = await buildTeam(app, 'Support')
  const product = await buildTeam(app, 'Product')
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent', teamIds: [support] })
  const reviewedAgent = await buildUser(app, { role: 'agent', name: 'Rita Reviewed', teamIds: [support] })
  await setParticipation(app, reviewedAgent.id, { trustLevel: 'reviewed' })
  const contributor = await buildUser(app, { role: 'contributor', name: 'Pat Product', teamIds: [product] })
  afterEach(() => resetClock())

  const call = (as: User, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const createItem = async (payload: Record<string, unknown> = {}) => {
    const res = await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: `Item ${Math.random()}`, ...payload })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: number; status: string; title: string }
  }
  const ticketFrom = (email: string, overrides: Record<string, unknown> = {}) =>
    buildTicket(app, agent, { requester: { email, name: `${email.split('@')[0]} Customer` }, teamId: support, ...overrides })
  const link = (as: User, itemId: number, payload: Record<string, unknown>) => call(as, 'POST', `/voc/items/${itemId}/links`, payload)
  const detail = async (itemId: number, as: User = agent) => {
    const res = await call(as, 'GET', `/voc/items/${itemId}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('creates items with sanitized descriptions and http(s) tracker links only; bad input is refused clearly', async () => {
    const res = await call(agent, 'POST', '/voc/items', {
      kind: 'feature_request',
      title: '  Dark mode  ',
      description: '<p>Please <b>add</b> it<script>alert(1)</script><img src=x onerror=alert(1)></p>',
      trackerUrl: 'https://tracker.example/ISSUE-1',
    })
    expect(res.statusCode, res.body).toBe(201)
    const item = res.json()
    expect(item).toMatchObject({ title: 'Dark mode', status: 'new', kind: 'feature_request', trackerUrl: 'https://tracker.example/ISSUE-1', linkCount: 0 })
    expect(item.descriptionHtml).not.toMatch(/script|onerror/)
    expect(item.descriptionText).toContain('Please add it')
    expect(item.createdBy).toMatchObject({ id: agent.id, name: 'Alex Agent' })
    const plain = await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: 'Plain', description: 'Line one\n\nFees & charges' })
    expect(plain.json()).toMatchObject({ descriptionHtml: '<p>Line one</p><p>Fees &amp; charges</p>', descriptionText: 'Line one\n\nFees & charges' })

    const js = await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: 'x', trackerUrl: 'javascript:alert(1)' })
    expect(js.statusCode).toBe(422)
    expect(js.json().error.message).toMatch(/http/)
    expect((await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: 'x', trackerUrl: 'not a url' })).statusCode).toBe(422)
    expect((await call(agent, 'POST', '/voc/items', { kind: 'bug', title: 'x' })).statusCode).toBe(400)
    expect((await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: '' })).statusCode).toBe(400)
    expect((await call(agent, 'POST', '/voc/items', { kind: 'pain_point', title: '   ' })).statusCode).toBe(422)
    expect((await call(agent, 'PATCH', `/voc/items/${item.id}`, {})).statusCode).toBe(400)
    expect((await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'done' })).statusCode).toBe(400)
    const cleared = await call(agent, 'PATCH', `/voc/items/${item.id}`, { trackerUrl: null, title: 'Dark mode everywhere' })
    expect(cleared.json()).toMatchObject({ trackerUrl: null, title: 'Dark mode everywhere' })
  })

  it('links tickets with the customer quote (default: the first customer message), counts customers and organizations, trend and first/last seen', async () => {
    await call(admin, 'POST', '/organizations', { name: 'Globex', domain: 'globex.test' })
    const item = await createItem({ title: 'Card declined abroad' })
    advanceClock(-3 * WEEK)
    const old = await ticketFrom('ann@globex.test', { body: 'My card was declined in Spain.\n\nPlease help, I am stuck at the hotel.' })
    resetClock()
    const recent = await ticketFrom('bob@globex.test', { body: 'Card declined at a shop in Paris' })
    const other = await ticketFrom('cid@example.test', { body: 'Declined again in Rome' })
    const again = await ticketFrom('ann@globex.test', { body: 'Declined once more, now in Lisbon' })

    const first = await link(agent, item.id, { ticketId: old.id })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({
      quote: 'My card was declined in Spain. Please help, I am stuck at the hotel.',
      ticket: { id: old.id },
      linkedBy: { id: agent.id },
    })
    const quoted = await link(agent, item.id, { ticketId: recent.id, quote: '<b>"It just says declined"</b>' })
    expect(quoted.json().quote).toBe('<b>"It just says declined"</b>')
    expect((await link(agent, item.id, { ticketId: other.id })).statusCode).toBe(201)
    expect((await link(agent, item.id, { ticketId: again.id })).statusCode).toBe(201)
    const dup = await link(agent, item.id, { ticketId: old.id })
    expect(dup.statusCode).toBe(409)
    expect((await link(agent, item.id, {})).statusCode).toBe(400)
    expect((await link(agent, item.id, { ticketId: 999999 })).statusCode).toBe(404)
    expect((await link(agent, 999999, { ticketId: old.id })).statusCode).toBe(404)

    const d = await detail(item.id)
    expect(d.item).toMatchObject({ linkCount: 4, customerCount: 3, organizationCount: 1, firstSeenAt: old.createdAt, lastSeenAt: again.createdAt })
    expect(d.customers[0]).toMatchObject({ name: 'ann Customer', links: 2 })
    expect(d.organizations).toEqual([{ id: expect.any(Number), name: 'Globex', links: 3 }])
    expect(d.links.map((l: { ticket: { id: number } }) => l.ticket.id)).toEqual([again.id, other.id, recent.id, old.id])
    expect(d.trend).toHaveLength(12)
    expect(d.trend.at(-1).links).toBe(3)
    expect(d.trend.reduce((s: number, w: { links: number }) => s + w.links, 0)).toBe(4)
    expect(d.history).toMatchObject([{ from: null, to: 'new', actor: { id: agent.id } }])

    const panel = await call(agent, 'GET', `/tickets/${recent.id}/voc-items`)
    expect(panel.json().items).toMatchObject([
      { item: { id: item.id, title: 'Card declined abroad' }, quote: '<b>"It just says declined"</b>', canUnlink: true },
    ])
    const contact = await call(agent, 'GET', `/contacts/${again.requester.id}/voc`)
    expect(contact.json().items).toMatchObject([{ item: { id: item.id }, links: 2 }])

    const linkId = d.links[0].id
    expect((await call(agent, 'DELETE', `/voc/links/${linkId}`)).statusCode).toBe(200)
    expect((await detail(item.id)).item).toMatchObject({ linkCount: 3, customerCount: 3, lastSeenAt: other.createdAt })
    expect((await call(agent, 'DELETE', `/voc/links/${linkId}`)).statusCode).toBe(404)
  })

  it('links survey answers (staff only), quoting the longest free-text answer', async () => {
    const item = await createItem({ title: 'Cheaper international transfers' })
    const t = now()
    const ticket = await ticketFrom('sue@x.test')
    const survey = await app.ctx.db
      .insertInto('surveys')
      .values({ kind: 'custom', slug: `s${t}`, title: 'Feedback', intro: '', status: 'active', questions: '[]', createdById: null, createdAt: t, updatedAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    const response = await app.ctx.db
      .insertInto('surveyResponses')
      .values({ surveyId: survey.id, contactId: ticket.requester.id, invitationId: null, createdAt: t - 1000 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await app.ctx.db
      .insertInto('surveyAnswers')
      .values([
        { responseId: response.id, questionId: 'rating', value: '4' },
        { responseId: response.id, questionId: 'why', value: 'Fees for sending money abroad are <b>too high</b>' },
      ])
      .execute()
    expect((await link(contributor, item.id, { surveyResponseId: response.id })).statusCode).toBe(403)
    expect((await link(agent, item.id, { surveyResponseId: response.id, ticketId: ticket.id })).statusCode).toBe(400)
    expect((await link(agent, item.id, { surveyResponseId: 999999 })).statusCode).toBe(404)
    const res = await link(agent, item.id, { surveyResponseId: response.id })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      ticket: null,
      surveyResponseId: response.id,
      quote: 'Fees for sending money abroad are <b>too high</b>',
      seenAt: t - 1000,
    })
    expect((await link(agent, item.id, { surveyResponseId: response.id })).statusCode).toBe(409)
    expect((await detail(item.id)).item).toMatchObject({ linkCount: 1, customerCount: 1 })
    expect((await detail(item.id, contributor)).links[0].quote).toBeNull()
  })

  it('lists the board by status with counts, title search and sorts; paginates', async () => {
    const tag = `Zebra${Date.now()}`
    const a = await createItem({ title: `${tag} export broken` })
    const b = await createItem({ title: `${tag} export slow`, status: 'planned' })
    const c = await createItem({ title: `${tag} import`, kind: 'feature_request' })
    const t1 = await ticketFrom('one@x.test')
    const t2 = await ticketFrom('two@x.test')
    await link(agent, b.id, { ticketId: t1.id })
    await link(agent, b.id, { ticketId: t2.id })
    await link(agent, c.id, { ticketId: t2.id })
    const res = await call(contributor, 'GET', `/voc/items?q=${tag.toLowerCase()}`)
    expect(res.statusCode).toBe(200)
    const page = res.json()
    expect(page.items.map((i: { id: number }) => i.id)).toEqual([b.id, c.id, a.id])
    expect(page.counts).toEqual({ new: 2, planned: 1, in_progress: 0, shipped: 0, declined: 0 })
    const exported = (await call(agent, 'GET', `/voc/items?q=${tag}%20export&status=new`)).json()
    expect(exported.items.map((i: { id: number }) => i.id)).toEqual([a.id])
    expect(exported.counts.planned).toBe(1)
    const kinds = (await call(agent, 'GET', `/voc/items?q=${tag}&kind=feature_request`)).json()
    expect(kinds.items.map((i: { id: number }) => i.id)).toEqual([c.id])
    const bySeen = (await call(agent, 'GET', `/voc/items?q=${tag}&sort=last_seen`)).json()
    expect(bySeen.items.map((i: { id: number }) => i.id)).toEqual([c.id, b.id, a.id])
    const p1 = (await call(agent, 'GET', `/voc/items?q=${tag}&limit=2`)).json()
    expect(p1.items).toHaveLength(2)
    const p2 = (await call(agent, 'GET', `/voc/items?q=${tag}&limit=2&cursor=${p1.nextCursor}`)).json()
    expect([...p1.items, ...p2.items].map((i: { id: number }) => i.id)).toEqual([b.id, c.id, a.id])
    expect(p2.nextCursor).toBeNull()
    expect((await call(agent, 'GET', '/voc/items?cursor=garbage')).statusCode).toBe(400)
    expect((await call(agent, 'GET', '/voc/items?sort=random')).statusCode).toBe(400)
  })

  it('lets contributors see the board and link tickets they can see, but not manage, ship, send or delete', async () => {
    const item = await createItem()
    const own = await ticketFrom('mine@x.test', { teamId: product })
    const foreign = await ticketFrom('theirs@x.test', { teamId: support })
    const linked = await link(contributor, item.id, { ticketId: own.id, quote: 'They really need this' })
    expect(linked.statusCode, linked.body).toBe(201)
    expect((await link(contributor, item.id, { ticketId: foreign.id })).statusCode).toBe(403)
    expect((await call(contributor, 'PATCH', `/voc/items/${item.id}`, { status: 'shipped' })).statusCode).toBe(403)
    expect((await call(contributor, 'POST', '/voc/items', { kind: 'pain_point', title: 'Mine' })).statusCode).toBe(403)
    expect((await call(contributor, 'DELETE', `/voc/items/${item.id}`)).statusCode).toBe(403)
    expect((await call(contributor, 'POST', `/voc/items/${item.id}/notifications/send`)).statusCode).toBe(403)
    expect((await call(contributor, 'POST', '/voc/suggestions/refresh')).statusCode).toBe(403)

    await link(agent, item.id, { ticketId: foreign.id, quote: 'Secret words' })
    const seen = await detail(item.id, contributor)
    expect(seen.canManage).toBe(false)
    expect(seen.notifications).toEqual([])
    const quotes = seen.links.map((l: { quote: string | null; ticket: unknown }) => [l.quote, l.ticket === null])
    expect(quotes).toEqual([
      [null, true],
      ['They really need this', false],
    ])
    // A contributor may remove their own link, not someone else's.
    const agentLink = seen.links.find((l: { quote: string | null }) => l.quote === null).id
    expect((await call(contributor, 'DELETE', `/voc/links/${agentLink}`)).statusCode).toBe(403)
    expect((await call(contributor, 'DELETE', `/voc/links/${linked.json().id}`)).statusCode).toBe(200)

    expect((await call(agent, 'DELETE', `/voc/items/${item.id}`)).statusCode).toBe(403)
    expect((await call(admin, 'DELETE', `/voc/items/${item.id}`)).statusCode).toBe(200)
    expect((await call(agent, 'GET', `/voc/items/${item.id}`)).statusCode).toBe(404)
    const audit = await app.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'voc.item_deleted').where('targetId', '=', item.id).execute()
    expect(audit).toHaveLength(1)
  })

  it('ships an item: one notification per customer on their latest ticket → send → a reply on the ticket, sent once', async () => {
    const item = await createItem({ title: 'Instant card freeze' })
    const older = await ticketFrom('dana@x.test', { body: 'I want to freeze my card' })
    const newer = await ticketFrom('dana@x.test', { body: 'Still no freeze button' })
    const eve = await ticketFrom('eve@x.test', { body: 'Freeze please' })
    for (const t of [older, newer, eve]) await link(agent, item.id, { ticketId: t.id })
    expect((await detail(item.id)).notifications).toEqual([])

    const shipped = await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'in_progress' })
    expect(shipped.json().status).toBe('in_progress')
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'shipped' })
    const d = await detail(item.id)
    expect(d.item.shippedAt).toEqual(expect.any(Number))
    expect(d.history.map((h: { from: string | null; to: string }) => `${h.from}>${h.to}`)).toEqual(['in_progress>shipped', 'new>in_progress', 'null>new'])
    expect(d.notifications).toHaveLength(2)
    const dana = d.notifications.find((n: { contact: { name: string } }) => n.contact.name === 'dana Customer')
    expect(dana).toMatchObject({ status: 'prepared', ticket: { id: newer.id } })
    expect(dana.body).toContain('Hi dana,')
    expect(dana.body).toContain('"Instant card freeze"')
    expect(dana.body).toContain(`#${newer.id}`)
    expect(dana.body).toContain('Alex Agent')

    // Shipping again (after moving back) prepares nothing twice.
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'in_progress' })
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'shipped' })
    expect((await detail(item.id)).notifications).toHaveLength(2)

    const edited = await call(agent, 'PATCH', `/voc/notifications/${dana.id}`, { body: 'Hi Dana <3, the freeze button is live!' })
    expect(edited.json().body).toBe('Hi Dana <3, the freeze button is live!')
    const sent = await call(agent, 'POST', `/voc/notifications/${dana.id}/send`)
    expect(sent.statusCode, sent.body).toBe(200)
    expect(sent.json()).toMatchObject({ status: 'sent', messageId: expect.any(Number), sentBy: { id: agent.id } })
    const messages = (await call(agent, 'GET', `/tickets/${newer.id}/messages`)).json().items as { id: number; kind: string; text: string; html: string }[]
    const reply = messages.find((m) => m.id === sent.json().messageId)!
    expect(reply.kind).toBe('reply')
    expect(reply.text).toBe('Hi Dana <3, the freeze button is live!')
    expect(reply.html).toContain('&lt;3')
    // Sending twice never sends twice.
    const again = await call(agent, 'POST', `/voc/notifications/${dana.id}/send`)
    expect(again.json()).toMatchObject({ status: 'sent', messageId: sent.json().messageId })
    const after = (await call(agent, 'GET', `/tickets/${newer.id}/messages`)).json().items.filter((m: { kind: string }) => m.kind === 'reply')
    expect(after).toHaveLength(1)
    expect((await call(agent, 'PATCH', `/voc/notifications/${dana.id}`, { body: 'changed' })).statusCode).toBe(409)

    // A customer linked after shipping gets theirs prepared too; Send all sends the rest.
    const late = await ticketFrom('finn@x.test', { body: 'Freeze?' })
    await link(agent, item.id, { ticketId: late.id })
    const all = await call(agent, 'POST', `/voc/items/${item.id}/notifications/send`)
    expect(all.statusCode, all.body).toBe(200)
    expect(all.json().items.map((n: { status: string }) => n.status)).toEqual(['sent', 'sent', 'sent'])
    const contactPanel = (await call(agent, 'GET', `/contacts/${newer.requester.id}/voc`)).json()
    expect(contactPanel.notifications).toMatchObject([{ itemTitle: 'Instant card freeze', status: 'sent' }])
    expect((await call(contributor, 'GET', `/contacts/${newer.requester.id}/voc`)).json().notifications).toEqual([])
  })

  it('holds the close-the-loop reply for review when the sender is reviewed, and records failures', async () => {
    const item = await createItem({ title: 'Statements in PDF' })
    const ticket = await ticketFrom('gil@x.test')
    const merged = await ticketFrom('hal@x.test')
    const into = await ticketFrom('hal2@x.test')
    await link(agent, item.id, { ticketId: ticket.id })
    await link(agent, item.id, { ticketId: merged.id })
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'shipped' })
    await call(agent, 'POST', `/tickets/${merged.id}/merge`, { intoTicketId: into.id })
    const notifications = (await detail(item.id)).notifications
    const gil = notifications.find((n: { ticket: { id: number } }) => n.ticket.id === ticket.id)
    const hal = notifications.find((n: { ticket: { id: number } }) => n.ticket.id === merged.id)
    const held = await call(reviewedAgent, 'POST', `/voc/notifications/${gil.id}/send`)
    expect(held.json()).toMatchObject({ status: 'held', reviewId: expect.any(Number), messageId: null })
    const review = await call(admin, 'GET', `/reviews/${held.json().reviewId}`)
    expect(review.statusCode).toBe(200)
    expect((await call(reviewedAgent, 'POST', `/voc/notifications/${gil.id}/send`)).json().status).toBe('held')
    const failed = await call(agent, 'POST', `/voc/notifications/${hal.id}/send`)
    expect(failed.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/merged/) })
  })

  it('uses the workspace template (admins change it, audited)', async () => {
    expect((await call(agent, 'PUT', '/voc/settings', { shippedTemplate: 'x' })).statusCode).toBe(403)
    const put = await call(owner, 'PUT', '/voc/settings', {
      shippedTemplate: 'Dear {{requester.firstName}}: {{item.title}} is live ({{unknown}}) — {{agent.name}}',
    })
    expect(put.statusCode).toBe(200)
    const item = await createItem({ title: 'Round-ups' })
    await link(agent, item.id, { ticketId: (await ticketFrom('ida@x.test')).id })
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'shipped' })
    expect((await detail(item.id)).notifications[0].body).toBe('Dear ida: Round-ups is live ({{unknown}}) — Alex Agent')
    await call(owner, 'PUT', '/voc/settings', { shippedTemplate: (await call(agent, 'GET', '/voc/settings')).json().shippedTemplate })
  })

  it('suggests new items from similar recent tickets and links to existing items; accept and dismiss persist', async () => {
    // A run only sees the last 30 days: move past everything the earlier tests created.
    await app.ctx.db
      .updateTable('tickets')
      .set((eb) => ({ createdAt: eb('createdAt', '-', 40 * 24 * 3600_000) }))
      .execute()
    await app.ctx.db.deleteFrom('vocSuggestions').execute()
    const refunds = [
      'Refund not showing up in my account, the merchant says it was sent',
      'Merchant refund missing from my account',
      'Where is my refund? The merchant confirmed the refund',
    ]
    const refundTickets = []
    for (const [i, body] of refunds.entries()) refundTickets.push(await ticketFrom(`refund${i}@x.test`, { subject: 'Refund missing', body }))
    const existing = await createItem({ title: 'Overdraft fee charged twice', description: 'Customers see the overdraft fee twice on their statement' })
    const feeTickets = [
      await ticketFrom('fee1@x.test', { subject: 'Overdraft fee twice', body: 'The overdraft fee was charged twice on my statement' }),
      await ticketFrom('fee2@x.test', { subject: 'Double overdraft fee', body: 'Why is the overdraft fee on my statement twice?' }),
    ]
    await ticketFrom('lonely@x.test', { subject: 'Change my address', body: 'I moved to a new flat' })

    const res = await call(agent, 'POST', '/voc/suggestions/refresh')
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.computedAt).toBeGreaterThan(now() - 60_000)
    expect(body.ticketsCompared).toBe(6)
    const byKind = Object.fromEntries(body.items.map((s: { kind: string }) => [s.kind, s]))
    expect(byKind.link_item).toMatchObject({ item: { id: existing.id }, tickets: feeTickets.map((t) => ({ id: t.id })) })
    expect(byKind.new_item.tickets.map((t: { id: number }) => t.id)).toEqual(refundTickets.map((t) => t.id))
    expect(byKind.new_item.title.toLowerCase()).toContain('refund')
    expect(body.items).toHaveLength(2)

    // Refreshing again proposes the same, stored once.
    expect(
      (await call(agent, 'POST', '/voc/suggestions/refresh'))
        .json()
        .items.map((s: { id: number }) => s.id)
        .sort(),
    ).toEqual(body.items.map((s: { id: number }) => s.id).sort())
    expect((await call(contributor, 'GET', '/voc/suggestions')).json().items).toHaveLength(2)

    const accepted = await call(agent, 'POST', `/voc/suggestions/${byKind.new_item.id}/accept`, { title: 'Refunds go missing', kind: 'pain_point' })
    expect(accepted.statusCode, accepted.body).toBe(200)
    expect(accepted.json()).toMatchObject({ title: 'Refunds go missing', linkCount: 3, customerCount: 3 })
    const refundItem = await detail(accepted.json().id)
    expect(refundItem.links.map((l: { quote: string }) => l.quote).sort()).toEqual([...refunds].sort())
    expect((await call(agent, 'POST', `/voc/suggestions/${byKind.new_item.id}/accept`, {})).statusCode).toBe(409)

    expect((await call(agent, 'POST', `/voc/suggestions/${byKind.link_item.id}/dismiss`)).statusCode).toBe(200)
    const afterDismiss = (await call(agent, 'POST', '/voc/suggestions/refresh')).json()
    expect(afterDismiss.items).toEqual([])
    expect((await detail(existing.id)).item.linkCount).toBe(0)
    expect((await call(agent, 'POST', '/voc/suggestions/999999/dismiss')).statusCode).toBe(404)
  })

  it('announces item, link and status changes in the voc room (ids only)', async () => {
    const events: { name: string; room?: string; payload: Record<string, unknown> }[] = []
    const off = app.ctx.realtime.onPublish((e) => events.push(e))
    const item = await createItem()
    const ticket = await ticketFrom('live@x.test')
    await link(agent, item.id, { ticketId: ticket.id })
    await call(agent, 'PATCH', `/voc/items/${item.id}`, { status: 'planned' })
    off()
    const voc = events.filter((e) => e.name === 'voc.changed')
    expect(voc).toHaveLength(3)
    expect(voc.every((e) => e.room === 'voc' && e.payload.itemId === item.id)).toBe(true)
    expect(voc[1]!.payload).toEqual({ itemId: item.id, ticketIds: [ticket.id], contactIds: [ticket.requester.id] })
  })

  it('runs the daily suggestions job and queues the next day once', async () => {
    await app.ctx.db.deleteFrom('jobs').where('name', '=', 'compute-voc-suggestions').execute()
    const { scheduleVocSuggestions } = await import('./jobs/compute-voc-suggestions.ts')
    await scheduleVocSuggestions(app.ctx.db)
    await scheduleVocSuggestions(app.ctx.db)
    const queued = await app.ctx.db.selectFrom('jobs').selectAll().where('name', '=', 'compute-voc-suggestions').execute()
    expect(queued).toHaveLength(1)
    advanceClock(24 * 3600_000 + 1000)
    const before = now()
    await app.ctx.jobs.runDue()
    const jobs = await app.ctx.db.selectFrom('jobs').select(['status', 'idempotencyKey']).where('name', '=', 'compute-voc-suggestions').orderBy('id').execute()
    expect(jobs.map((j) => j.status)).toEqual(['done', 'pending'])
    expect(jobs[1]!.idempotencyKey).not.toBe(jobs[0]!.idempotencyKey)
    const run = await app.ctx.db.selectFrom('settings').select('value').where('key', '=', 'vocSuggestionsRun').executeTakeFirstOrThrow()
    expect(JSON.parse(run.value).computedAt).toBeGreaterThanOrEqual(before)
  })
})
