import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'

describe('tone coach API', async () => {
  const app = await buildTestApp()
  const team = await buildTeam(app)
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
  const ticket = await buildTicket(app, agent, {
    teamId: team,
    body: 'My card was declined. When will the replacement card arrive? How do I change my PIN?',
    requester: { email: 'sam@customer.test', name: 'Sam Customer' },
  })
  const foreign = await buildTicket(app, agent, { body: 'Secret question: where is my refund?' })
  const check = (as: { headers: Record<string, string> }, payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/tone-check', headers: as.headers, payload })

  it('returns hints for a draft, with reading ease and word count', async () => {
    const res = await check(agent, { html: '<p>As I already said, you CANNOT get a new card.</p>' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.wordCount).toBe(10)
    expect(typeof body.readingEase).toBe('number')
    expect(body.hints.map((h: { rule: string }) => h.rule)).toEqual(['greeting', 'sign_off', 'blame', 'all_caps', 'negative_wording'])
  })

  it("uses the ticket's latest customer message and requester name when the caller can see the ticket", async () => {
    const res = await check(contributor, { html: '<p>Your replacement card will arrive on Monday.</p>', ticketId: ticket.id })
    expect(res.statusCode).toBe(200)
    const hints = res.json().hints
    expect(hints.find((h: { rule: string }) => h.rule === 'greeting').suggestion).toBe('Hi Sam,')
    expect(hints.filter((h: { rule: string }) => h.rule === 'unanswered_questions').map((h: { excerpt: string }) => h.excerpt)).toEqual([
      'How do I change my PIN?',
    ])
  })

  it('refuses a ticket the caller cannot see, and says nothing of its content', async () => {
    const res = await check(contributor, { html: '<p>Hi</p>', ticketId: foreign.id })
    expect(res.statusCode).toBe(403)
    expect(res.body).not.toContain('refund')
    expect((await check(contributor, { html: '<p>Hi</p>', ticketId: 999999 })).statusCode).toBe(404)
  })

  it('rejects bad input', async () => {
    expect((await check(agent, { text: 'no html' })).statusCode).toBe(400)
    expect((await check(agent, { html: 'x'.repeat(100_001) })).statusCode).toBe(400)
  })

  it('lets admins switch rules off (audited); disabled rules produce no hints', async () => {
    const put = (as: { headers: Record<string, string> }, rules: object[]) =>
      app.inject({ method: 'PUT', url: '/api/v1/tone-rules', headers: as.headers, payload: { rules } })
    expect((await put(contributor, [{ id: 'greeting', enabled: false }])).statusCode).toBe(403)
    expect((await put(agent, [{ id: 'greeting', enabled: false }])).statusCode).toBe(403)
    expect((await put(admin, [{ id: 'tone_police', enabled: false }])).statusCode).toBe(400)
    const res = await put(admin, [
      { id: 'greeting', enabled: false },
      { id: 'sign_off', enabled: false },
      { id: 'blame', enabled: false },
    ])
    expect(res.statusCode).toBe(200)
    const rules = res.json().rules as { id: string; enabled: boolean }[]
    expect(rules.filter((r) => !r.enabled).map((r) => r.id)).toEqual(['greeting', 'sign_off', 'blame'])
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/tone-rules', headers: contributor.headers })).json()
    expect(listed).toEqual(res.json())
    const hints = (await check(agent, { html: '<p>As I already said, you CANNOT get a new card.</p>' })).json().hints
    expect(hints.map((h: { rule: string }) => h.rule)).toEqual(['all_caps', 'negative_wording'])
    await put(admin, [{ id: 'greeting', enabled: true }])
    const again = (await check(agent, { html: '<p>As I already said, you CANNOT get a new card.</p>' })).json().hints
    expect(again.map((h: { rule: string }) => h.rule)).toEqual(['greeting', 'all_caps', 'negative_wording'])
    const audit = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?action=tone_rules.updated', headers: admin.headers })).json().items
    expect(audit).toHaveLength(2)
    expect(audit[1].data).toEqual({ disabled: { from: [], to: ['blame', 'greeting', 'sign_off'] } })
  })
})
