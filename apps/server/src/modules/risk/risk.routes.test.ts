import type { RiskRuleDto, TicketDto } from '@allhands/contract'
import { afterEach, describe, expect, it } from 'vitest'
import { postEmail, rawEmail } from '../../../test/email-peers.ts'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'

describe('risk rules and ticket risk', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  afterEach(() => resetClock())

  const get = async (id: number): Promise<TicketDto> => (await app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent.headers })).json()
  const rules = async (): Promise<RiskRuleDto[]> => (await app.inject({ method: 'GET', url: '/api/v1/risk-rules', headers: admin.headers })).json()
  const ruleNamed = async (name: string) => (await rules()).find((r) => r.name === name)!
  const calm = (over: Record<string, unknown> = {}) =>
    buildTicket(app, agent, { subject: 'Address change', body: 'Hello, how do I change my address?', ...over })

  it('seeds default rules so a fresh install is safe, and leaves a calm ticket at low risk', async () => {
    const list = await rules()
    expect(list.map((r) => r.type).sort()).toEqual(['anger', 'keywords', 'keywords', 'language', 'priority', 'priority', 'repeat_contact', 'sla_breach', 'vip'])
    expect(list.every((r) => r.enabled)).toBe(true)
    const t = await calm()
    expect(t.riskLevel).toBe('low')
    expect(t.riskReasons).toEqual([])
    expect((await app.inject({ method: 'GET', url: '/api/v1/risk-rules', headers: agent.headers })).statusCode).toBe(403)
  })

  it('flags topic keywords: money is medium, legal is high, with the reasons', async () => {
    const refund = await buildTicket(app, agent, { subject: 'Money back', body: 'I would like a Refund for last month.' })
    expect(refund.riskLevel).toBe('medium')
    expect(refund.riskReasons).toEqual([expect.objectContaining({ rule: 'Money and outages', level: 'medium', detail: 'Mentions “refund”' })])
    const legal = await buildTicket(app, agent, { subject: 'Account closed', body: 'My lawyer will contact you about the GDPR request.' })
    expect(legal.riskLevel).toBe('high')
    expect(legal.riskReasons[0]).toMatchObject({ rule: 'Legal, security and chargebacks', detail: 'Mentions “lawyer”, “gdpr”' })
  })

  it('flags VIP contacts and organizations on a VIP tier', async () => {
    const plain = await calm()
    const vip = await app.inject({ method: 'PATCH', url: `/api/v1/contacts/${plain.requester.id}`, headers: agent.headers, payload: { vip: true } })
    expect(vip.json().vip).toBe(true)
    // The requester's waiting tickets are reassessed at once.
    expect((await get(plain.id)).riskReasons.map((r) => r.detail)).toEqual(['The requester is a VIP contact'])
    const again = await calm({ requesterId: plain.requester.id })
    expect(again.riskReasons.map((r) => r.detail)).toEqual(['The requester is a VIP contact'])

    const domain = `${unique('big')}.test`
    const org = await app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: agent.headers,
      payload: { name: unique('Big Corp '), domain, tier: 'Enterprise' },
    })
    expect(org.json().tier).toBe('enterprise')
    const fromOrg = await calm({ requester: { email: `cfo@${domain}` } })
    expect(fromOrg.riskLevel).toBe('medium')
    expect(fromOrg.riskReasons[0]?.detail).toBe("The requester's organization is on the enterprise tier")
    await app.inject({ method: 'PATCH', url: `/api/v1/organizations/${org.json().id}`, headers: agent.headers, payload: { tier: null } })
    expect((await get(fromOrg.id)).riskLevel).toBe('low')
  })

  it('flags anger: lexicon, shouting and repeated punctuation', async () => {
    const t = await buildTicket(app, agent, { subject: 'WHY', body: 'THIS IS THE THIRD TIME I ASK, WHERE IS MY CARD???' })
    expect(t.riskLevel).toBe('medium')
    expect(t.riskReasons[0]?.detail).toBe('Frustration: writing in capitals, repeated !!! or ???')
  })

  it('flags a requester who writes again and again', async () => {
    const email = `${unique('again')}@customer.test`
    await calm({ requester: { email } })
    await calm({ requester: { email } })
    const third = await calm({ requester: { email } })
    expect(third.riskReasons.map((r) => r.detail)).toEqual(['The requester opened 3 tickets in 24 hours'])
    // Counted up to 20 only: someone writing all day long costs each new message a bounded read.
    for (let i = 4; i < 20; i++) await calm({ requester: { email } })
    expect((await calm({ requester: { email } })).riskReasons.map((r) => r.detail)).toEqual(['The requester opened at least 20 tickets in 24 hours'])
    expect((await calm({ requester: { email } })).riskReasons.map((r) => r.detail)).toEqual(['The requester opened at least 20 tickets in 24 hours'])
  })

  it('flags urgent and high priority, and reassesses when staff change the priority', async () => {
    const urgent = await calm({ priority: 'urgent' })
    expect(urgent.riskLevel).toBe('high')
    const t = await calm()
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${t.id}`, headers: agent.headers, payload: { priority: 'high' } })
    expect(patched.json()).toMatchObject({ riskLevel: 'medium', riskReasons: [expect.objectContaining({ detail: 'Priority is high' })] })
  })

  it('flags a message in another language than the workspace’s', async () => {
    const t = await buildTicket(app, agent, {
      subject: 'Karte',
      body: 'Hallo, meine Karte wurde nicht akzeptiert und ich kann nicht bezahlen. Bitte helfen Sie mir.',
    })
    expect(t.riskReasons.map((r) => r.detail)).toEqual(['Written in German'])
  })

  it('flags a first-response SLA breach when time passes, without any new message', async () => {
    const t = await calm()
    const answered = await calm()
    await app.inject({ method: 'POST', url: `/api/v1/tickets/${answered.id}/replies`, headers: agent.headers, payload: { body: 'On it.' } })
    advanceClock(25 * 3_600_000)
    await app.ctx.jobs.runDue()
    expect((await get(t.id)).riskReasons.map((r) => r.detail)).toContain('No first response after 24 hours')
    expect((await get(answered.id)).riskReasons).toEqual([])
  })

  it('reassesses on every new customer message (email reply on the thread)', async () => {
    const inbox = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Email', type: 'email', email: { addresses: ['help@acme.test'], displayName: 'Acme Support' } },
    })
    const inboxId = inbox.json().id
    const from = `${unique('mail')}@customer.test`
    const first = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({ from, to: 'help@acme.test', subject: 'Card delivery', text: 'Hello, when will my new card arrive?', messageId: `<first.${from}>` }),
    )
    expect((await get(first.ticketId!)).riskLevel).toBe('low')
    const reply = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({
        from,
        to: 'help@acme.test',
        subject: 'Re: Card delivery',
        text: 'Still nothing. My attorney says this is fraud.',
        headers: { 'In-Reply-To': `<first.${from}>`, References: `<first.${from}>` },
      }),
    )
    expect(reply.ticketId).toBe(first.ticketId)
    const after = await get(first.ticketId!)
    expect(after.riskLevel).toBe('high')
    expect(after.riskReasons[0]?.detail).toBe('Mentions “attorney”, “fraud”')
  })

  it('lets admins edit rules (validated), disable them, reorder them and see what each matched', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/risk-rules',
      headers: admin.headers,
      payload: { name: 'Empty', type: 'keywords', level: 'high', config: {} },
    })
    expect(missing.statusCode).toBe(422)
    expect(missing.json().error.message).toBe('A keywords rule needs words')
    const badLevel = await app.inject({
      method: 'POST',
      url: '/api/v1/risk-rules',
      headers: admin.headers,
      payload: { name: 'x', type: 'vip', level: 'extreme', config: {} },
    })
    expect(badLevel.statusCode).toBe(400)
    const byAgent = await app.inject({
      method: 'POST',
      url: '/api/v1/risk-rules',
      headers: agent.headers,
      payload: { name: 'x', type: 'keywords', level: 'high', config: { words: ['x'] } },
    })
    expect(byAgent.statusCode).toBe(403)

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/risk-rules',
      headers: admin.headers,
      payload: { name: 'Crypto', type: 'keywords', level: 'high', config: { words: ['bitcoin', ' bitcoin ', 'crypto wallet'], tiers: ['ignored'] } },
    })
    expect(created.statusCode, created.body).toBe(201)
    const rule: RiskRuleDto = created.json()
    expect(rule.config).toEqual({ words: ['bitcoin', 'crypto wallet'] })
    const a = await calm({ body: 'Can I send bitcoin to my crypto   wallet?' })
    const b = await calm({ body: 'Bitcoin please' })
    expect(a.riskLevel).toBe('high')

    const matches = await app.inject({ method: 'GET', url: `/api/v1/risk-rules/${rule.id}/matches?limit=1`, headers: admin.headers })
    expect(matches.json().items).toEqual([expect.objectContaining({ ticketId: b.id, detail: 'Mentions “bitcoin”', riskLevel: 'high' })])
    const next = await app.inject({
      method: 'GET',
      url: `/api/v1/risk-rules/${rule.id}/matches?limit=1&cursor=${matches.json().nextCursor}`,
      headers: admin.headers,
    })
    expect(next.json().items.map((m: { ticketId: number }) => m.ticketId)).toEqual([a.id])
    expect((await ruleNamed('Crypto')).matchCount).toBe(2)

    // Disabling reassesses open tickets in the background.
    const off = await app.inject({ method: 'PATCH', url: `/api/v1/risk-rules/${rule.id}`, headers: admin.headers, payload: { enabled: false } })
    expect(off.json()).toMatchObject({ enabled: false, matchCount: 0 })
    await app.ctx.jobs.runDue()
    expect((await get(a.id)).riskLevel).toBe('low')

    const ids = (await rules()).map((r) => r.id)
    const wrong = await app.inject({ method: 'PUT', url: '/api/v1/risk-rules/order', headers: admin.headers, payload: { ids: ids.slice(1) } })
    expect(wrong.statusCode).toBe(422)
    const reordered = await app.inject({ method: 'PUT', url: '/api/v1/risk-rules/order', headers: admin.headers, payload: { ids: [...ids].reverse() } })
    expect(reordered.json().map((r: RiskRuleDto) => r.id)).toEqual([...ids].reverse())

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/risk-rules/${rule.id}`, headers: admin.headers })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: `/api/v1/risk-rules/${rule.id}/matches`, headers: admin.headers })).statusCode).toBe(404)
    const audit = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?targetType=risk_rule', headers: admin.headers })).json().items
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['risk_rule.created', 'risk_rule.updated', 'risk_rule.deleted']))
  })

  it('counts a new sender’s first email ticket once for repeat-contact rules: their second one matches', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/risk-rules',
      headers: admin.headers,
      payload: { name: 'Any contact', type: 'repeat_contact', level: 'medium', config: { tickets: 2, hours: 24 } },
    })
    expect(created.statusCode, created.body).toBe(201)
    try {
      const to = `${unique('repeat')}@acme.test`
      const inbox = await app.inject({
        method: 'POST',
        url: '/api/v1/inboxes',
        headers: admin.headers,
        payload: { name: 'Email', type: 'email', email: { addresses: [to] } },
      })
      const from = `${unique('new')}@customer.test`
      const mail = (subject: string) => postEmail(app, admin.headers, inbox.json().id, rawEmail({ from, to, subject, text: 'Hello there.' }))
      const first = await get((await mail('First question')).ticketId!)
      expect(first.riskReasons).toEqual([])
      const second = await get((await mail('Second question')).ticketId!)
      expect(second.riskReasons.map((r) => r.detail)).toEqual(['The requester opened 2 tickets in 24 hours'])
    } finally {
      await app.inject({ method: 'DELETE', url: `/api/v1/risk-rules/${created.json().id}`, headers: admin.headers })
    }
  })
})

describe('categories', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })

  it('lets admins manage categories and everyone read them', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: admin.headers,
      payload: { name: 'Transfers', keywords: ['transfer', 'IBAN', ' transfer '] },
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().keywords).toEqual(['transfer', 'IBAN'])
    const dup = await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'Transfers' } })
    expect(dup.statusCode).toBe(409)
    expect((await app.inject({ method: 'POST', url: '/api/v1/categories', headers: agent.headers, payload: { name: 'Mine' } })).statusCode).toBe(403)
    const list = await app.inject({ method: 'GET', url: '/api/v1/categories', headers: contributor.headers })
    expect(list.json().map((c: { name: string }) => c.name)).toEqual(['Transfers'])
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/categories/${created.json().id}`,
      headers: admin.headers,
      payload: { name: 'Money transfers' },
    })
    expect(renamed.json()).toMatchObject({ name: 'Money transfers', keywords: ['transfer', 'IBAN'] })
  })

  it('categorises an uncategorised ticket from its keywords; staff set or clear the category', async () => {
    const cards = (
      await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin.headers, payload: { name: 'Cards', keywords: ['card', 'pin'] } })
    ).json()
    const transfers = (await app.inject({ method: 'GET', url: '/api/v1/categories', headers: agent.headers }))
      .json()
      .find((c: { name: string }) => c.name === 'Money transfers')
    const t = await buildTicket(app, agent, { subject: 'PIN', body: 'My card PIN is blocked.' })
    expect(t.categoryId).toBe(cards.id)
    const set = await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${t.id}`, headers: agent.headers, payload: { categoryId: transfers.id } })
    expect(set.json().categoryId).toBe(transfers.id)
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${t.id}`, headers: agent.headers, payload: { categoryId: 99999 } })
    expect(bad.statusCode).toBe(422)
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${t.id}/messages`, headers: agent.headers })).json().items
    expect(messages.at(-1).event).toMatchObject({ type: 'category_changed', to: transfers.id, toName: 'Money transfers' })

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/categories/${transfers.id}`, headers: agent.headers })).statusCode).toBe(403)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/categories/${transfers.id}`, headers: admin.headers })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: `/api/v1/tickets/${t.id}`, headers: agent.headers })).json().categoryId).toBeNull()
  })
})
