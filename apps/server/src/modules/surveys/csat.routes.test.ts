import type { CsatRequestDto } from '@allhands/contract'
import { afterAll, describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { sendCsatSurveyJob } from './jobs/send-csat-survey.ts'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { csatForTickets } from './csat.stats.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describe('CSAT after a solve', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  afterAll(() => resetClock())

  const solve = (id: number, status = 'solved') => app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: agent.headers, payload: { status } })
  /** Lets the delay pass and runs the scheduler and the send jobs it queues. */
  const afterDelay = async () => {
    advanceClock(61 * MINUTE)
    await app.ctx.jobs.runDue()
  }
  const requestsOf = async (ticketId: number): Promise<CsatRequestDto[]> =>
    (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/csat`, headers: agent.headers })).json().items
  const mailTo = (address: string) => sink.received.filter((m) => m.rcpt.includes(address))
  const tokenIn = (text: string) => /https:\/\/help\.acme\.test\/survey\/(cs_[A-Za-z0-9_-]+)(?:\s|$)/.exec(text)?.[1]
  const rate = (token: string, payload: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/api/v1/public/surveys/csat/${token}`, payload, headers: { 'content-type': 'application/json' } })

  let token = ''
  let ratedTicketId = 0

  it('emails the requester once the delay passed, with one link per rating and the plain survey link', async () => {
    const email = `${unique('happy')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email, name: 'Dana Scully' } })
    ratedTicketId = ticket.id
    expect((await solve(ticket.id)).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    expect(await requestsOf(ticket.id)).toEqual([])

    await afterDelay()
    await sink.waitFor(1)
    const mail = mailTo(email)[0]!
    expect(mail.parsed.subject).toBe(`How did we do? [#${ticket.id}] ${ticket.subject}`)
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(mail.parsed.text).toContain('Hi Dana,')
    expect(mail.parsed.text).toMatch(/Good, I am satisfied: https:\/\/help\.acme\.test\/survey\/cs_\S+\?rating=good/)
    token = tokenIn(mail.parsed.text!)!
    expect(token).toBeTruthy()
    const [request] = await requestsOf(ticket.id)
    expect(request).toMatchObject({ status: 'sent', email, scale: '3', score: null })
    const stored = await app.ctx.db.selectFrom('csatRequests').select('tokenHash').where('id', '=', request!.id).executeTakeFirstOrThrow()
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(stored.tokenHash).not.toContain(token)

    await afterDelay()
    expect(mailTo(email)).toHaveLength(1)
  })

  it('resends the identical email when the worker died mid-send (same link, same Message-ID), never a second one otherwise', async () => {
    const email = `${unique('crash')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email, name: 'Fox Mulder' } })
    await solve(ticket.id)
    await afterDelay()
    await sink.waitFor(1)
    const [first] = mailTo(email)
    const [request] = await requestsOf(ticket.id)
    // The job ran again: as a retry of an attempt that may have died after claiming, or as a stray first attempt.
    await sendCsatSurveyJob.handle(app.ctx, { requestId: request!.id }, { retry: false })
    expect(mailTo(email)).toHaveLength(1)
    await sendCsatSurveyJob.handle(app.ctx, { requestId: request!.id }, { retry: true })
    expect(mailTo(email)).toHaveLength(2)
    const [, again] = mailTo(email)
    expect(again!.parsed.messageId).toBe(first!.parsed.messageId)
    expect(tokenIn(again!.parsed.text!)).toBe(tokenIn(first!.parsed.text!))
    expect((await app.inject({ method: 'GET', url: `/survey/${tokenIn(again!.parsed.text!)}` })).statusCode).toBe(200)
  })

  it('shows a confirmation on GET without recording anything (mail scanners open links)', async () => {
    const page = await app.inject({ method: 'GET', url: `/survey/${token}?rating=bad` })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('Submit rating')
    expect(page.body).toContain('name="rating" value="bad"')
    const plain = await app.inject({ method: 'GET', url: `/survey/${token}` })
    expect(plain.body).toContain('type="radio" name="rating" value="good"')
    expect((await requestsOf(ratedTicketId))[0]).toMatchObject({ status: 'sent', score: null })
  })

  it('records the rating once from a form post, then one comment, stored as text and rendered escaped', async () => {
    const post = await app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/csat/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'rating=good',
    })
    expect(post.statusCode).toBe(303)
    expect(post.headers.location).toBe(`/survey/${token}?done=rated`)
    const [rated] = await requestsOf(ratedTicketId)
    expect(rated).toMatchObject({ status: 'rated', score: 5, rating: 'good', comment: null })
    const dirty = await app.ctx.db.selectFrom('reportDirtyTickets').select('ticketId').where('ticketId', '=', ratedTicketId).executeTakeFirst()
    expect(dirty?.ticketId).toBe(ratedTicketId)

    const page = await app.inject({ method: 'GET', url: `/survey/${token}?done=rated` })
    expect(page.body).toContain('Your rating was recorded')
    expect(page.body).toMatch(/<label class="block" for="comment">Comment<\/label>/)
    expect(page.body).toContain('Send comment')

    const again = await rate(token, { rating: 'bad' })
    expect(again.statusCode).toBe(200)
    expect(again.json().outcome).toBe('already_rated')
    expect((await requestsOf(ratedTicketId))[0]).toMatchObject({ score: 5, rating: 'good' })

    const evil = '<script>alert("x")</script> & thanks'
    expect((await rate(token, { comment: evil })).json().outcome).toBe('commented')
    expect((await rate(token, { comment: 'second thoughts' })).json().outcome).toBe('already_commented')
    expect((await requestsOf(ratedTicketId))[0]!.comment).toBe(evil)
    const shown = await app.inject({ method: 'GET', url: `/survey/${token}` })
    expect(shown.body).not.toContain('<script>alert')
    expect(shown.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; thanks')
  })

  it('refuses forged tokens with a clear page or JSON error, never a 500', async () => {
    const forged = `cs_${'A'.repeat(43)}`
    const json = await rate(forged, { rating: 'good' })
    expect(json.statusCode).toBe(404)
    expect(json.json().error.message).toMatch(/not valid/)
    const page = await app.inject({ method: 'GET', url: `/survey/${forged}?rating=good` })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('not valid')
    const form = await app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/csat/${forged}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'rating=good',
    })
    expect(form.statusCode).toBe(404)
    expect(form.headers['content-type']).toContain('text/html')
    expect((await rate(token, {})).statusCode).toBe(400)
  })

  it('lists ratings for staff with rating and date filters, and sums them up (also for all-hands summaries)', async () => {
    const good = await app.inject({ method: 'GET', url: '/api/v1/surveys/csat/responses?rating=good', headers: agent.headers })
    expect(good.json().items.map((r: CsatRequestDto) => r.ticket.id)).toContain(ratedTicketId)
    const bad = await app.inject({ method: 'GET', url: '/api/v1/surveys/csat/responses?rating=bad', headers: agent.headers })
    expect(bad.json().items).toEqual([])
    const future = await app.inject({ method: 'GET', url: `/api/v1/surveys/csat/responses?from=${Date.now() + 365 * DAY}`, headers: agent.headers })
    expect(future.json().items).toEqual([])
    expect(await csatForTickets(app.ctx.db, [ratedTicketId, ratedTicketId + 1000], 0)).toEqual({ rated: 1, positiveShare: 1 })
    const summary = (await app.inject({ method: 'GET', url: '/api/v1/surveys/csat/summary?from=0', headers: agent.headers })).json()
    expect(summary).toMatchObject({ rated: 1, good: 1, bad: 0, csat: 1 })
    expect(summary.sent).toBeGreaterThanOrEqual(1)
  })

  it('skips bouncing, automated and merged requesters, with the reason visible', async () => {
    const bouncing = await buildTicket(app, agent, { requester: { email: `${unique('gone')}@customer.test` } })
    await app.ctx.db
      .updateTable('contactIdentities')
      .set({ bouncingAt: Date.now(), bounceReason: '550 no such user' })
      .where('contactId', '=', bouncing.requester.id)
      .execute()
    const robot = await buildTicket(app, agent, { requester: { email: `noreply@${unique('shop')}.test` } })
    const merged = await buildTicket(app, agent)
    const target = await buildTicket(app, agent)
    for (const t of [bouncing, robot]) expect((await solve(t.id)).statusCode).toBe(200)
    const merge = await app.inject({ method: 'POST', url: `/api/v1/tickets/${merged.id}/merge`, headers: agent.headers, payload: { intoTicketId: target.id } })
    expect(merge.statusCode).toBe(200)
    const before = sink.received.length
    await afterDelay()
    expect((await requestsOf(bouncing.id))[0]).toMatchObject({ status: 'skipped', skipReason: 'bouncing' })
    expect((await requestsOf(robot.id))[0]).toMatchObject({ status: 'skipped', skipReason: 'automated_address' })
    expect((await requestsOf(merged.id))[0]).toMatchObject({ status: 'skipped', skipReason: 'merged' })
    expect(await requestsOf(target.id)).toEqual([])
    expect(sink.received.length).toBe(before)
  })

  it('sends one request per solve: solved, reopened and solved again gives two (on the scale then configured)', async () => {
    const settings = (await app.inject({ method: 'GET', url: '/api/v1/surveys/csat/settings', headers: admin.headers })).json()
    const put = await app.inject({ method: 'PUT', url: '/api/v1/surveys/csat/settings', headers: admin.headers, payload: { ...settings, scale: '5' } })
    expect(put.statusCode).toBe(200)
    expect((await app.inject({ method: 'PUT', url: '/api/v1/surveys/csat/settings', headers: agent.headers, payload: settings })).statusCode).toBe(403)

    const email = `${unique('twice')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email } })
    await solve(ticket.id)
    await afterDelay()
    await solve(ticket.id, 'open')
    await solve(ticket.id)
    await afterDelay()
    const requests = await requestsOf(ticket.id)
    expect(requests).toHaveLength(2)
    expect(new Set(requests.map((r) => r.solvedAt)).size).toBe(2)
    expect(requests.every((r) => r.status === 'sent' && r.scale === '5')).toBe(true)
    const mails = mailTo(email)
    expect(mails).toHaveLength(2)
    const latest = tokenIn(mails[1]!.parsed.text!)!
    expect((await rate(latest, { rating: 'good' })).statusCode).toBe(400)
    expect((await rate(latest, { rating: '4' })).json().outcome).toBe('rated')
    expect((await requestsOf(ticket.id)).find((r) => r.status === 'rated')).toMatchObject({ score: 4, rating: '4' })
  })

  it('expires links after the configured days: nothing recorded, a clear page', async () => {
    const email = `${unique('late')}@customer.test`
    const ticket = await buildTicket(app, agent, { requester: { email } })
    await solve(ticket.id)
    await afterDelay()
    const late = tokenIn(mailTo(email)[0]!.parsed.text!)!
    advanceClock(15 * DAY)
    const res = await rate(late, { rating: '5' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.message).toMatch(/expired/)
    const page = await app.inject({ method: 'GET', url: `/survey/${late}?rating=5` })
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('expired')
    await app.ctx.jobs.runDue()
    advanceClock(5 * MINUTE)
    await app.ctx.jobs.runDue()
    expect((await requestsOf(ticket.id))[0]).toMatchObject({ status: 'expired', score: null })
  })

  it('keeps a contributor to the tickets they can see', async () => {
    const contributor = await buildUser(app, { role: 'contributor' })
    expect((await app.inject({ method: 'GET', url: `/api/v1/tickets/${ratedTicketId}/csat`, headers: contributor.headers })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/v1/surveys/csat/responses', headers: contributor.headers })).statusCode).toBe(403)
  })
})
