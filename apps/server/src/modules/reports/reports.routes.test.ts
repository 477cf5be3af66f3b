import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation } from '../../../test/helpers.ts'
import { advanceClock, freezeClock, now, resetClock } from '../../platform/clock.ts'
import { markForReports } from '../../platform/report-queue.ts'
import { drainAll, rebuildReports } from './reports.engine.ts'
import { isoDay } from './reports.service.ts'
import { dayOf } from './reports.rollup.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('reports: facts, rollups, cohorts and the API', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const team = await buildTeam(app)
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Rita Reviewer' })
  const expert = await buildUser(app, { role: 'agent', name: 'Eli Expert' })
  afterEach(() => resetClock())

  const get = (url: string, as: User = admin) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as.headers })
  const send = (method: 'POST' | 'PATCH', url: string, as: User, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const ok = async (p: ReturnType<typeof send>, code = 200) => {
    const res = await p
    expect(res.statusCode, res.body).toBe(code)
    return res.json()
  }
  const setStatus = (id: number, status: string) => ok(send('PATCH', `/tickets/${id}`, admin, { status }))
  const reply = (id: number, as: User, body = 'Here is what to do.') => send('POST', `/tickets/${id}/replies`, as, { body })
  const today = () => isoDay(dayOf(now()))
  const range = (days = 3) => `from=${isoDay(dayOf(now()) - days)}&to=${today()}`

  async function rate(ticketId: number, score: number) {
    const t = await db.selectFrom('tickets').select(['solvedAt', 'requesterId']).where('id', '=', ticketId).executeTakeFirstOrThrow()
    await db
      .insertInto('csatRequests')
      .values({
        ticketId,
        contactId: t.requesterId,
        email: 'c@customer.test',
        solvedAt: t.solvedAt!,
        tokenHash: null,
        status: 'rated',
        skipReason: null,
        scale: 'five',
        sendAt: now(),
        sentAt: now(),
        expiresAt: now() + 86_400_000,
        ratedAt: now(),
        score,
        comment: null,
        createdAt: now(),
      })
      .execute()
    await markForReports(db, [ticketId])
  }

  async function snapshot() {
    const rows = await db.selectFrom('reportRollups').selectAll().execute()
    const live = rows.filter((r) => Object.entries(r).some(([k, v]) => !['scope', 'dim', 'day', 'key'].includes(k) && Number(v) !== 0))
    const norm = live.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)]))))
    const cycles = await db.selectFrom('reportCycles').selectAll().orderBy('ticketId').orderBy('cycle').execute()
    const responders = await db.selectFrom('reportCycleResponders').selectAll().orderBy('ticketId').orderBy('cycle').orderBy('userId').execute()
    return { rollups: norm.sort(), cycles: JSON.stringify(cycles), responders: JSON.stringify(responders) }
  }

  it('measures first response, resolution and reopen per solve cycle', async () => {
    // Exact seconds: a slow request must not add one.
    freezeClock()
    const ticket = await buildTicket(app, admin, { teamId: team })
    advanceClock(600_000)
    expect((await reply(ticket.id, agent)).statusCode).toBe(201)
    advanceClock(3_000_000)
    await setStatus(ticket.id, 'solved')
    advanceClock(86_400_000)
    await setStatus(ticket.id, 'open')
    advanceClock(7_200_000)
    expect((await reply(ticket.id, agent)).statusCode).toBe(201)
    advanceClock(100_000)
    await setStatus(ticket.id, 'solved')
    await drainAll(app.ctx)
    const cycles = await db.selectFrom('reportCycles').selectAll().where('ticketId', '=', ticket.id).orderBy('cycle').execute()
    expect(cycles.map((c) => [c.firstResponseSeconds, c.resolutionSeconds, c.reopened, c.isOpen, c.replies])).toEqual([
      [600, 3600, 1, 0, 1],
      [7200, 7300, 0, 0, 1],
    ])
    const summary = await ok(get(`/reports/summary?${range()}&scope=team:${team}`))
    expect(summary.metrics.created).toBe(1)
    expect(summary.metrics.solved).toBe(2)
    expect(summary.metrics.firstResponse).toMatchObject({ count: 2, avgSeconds: 3900 })
    expect(summary.metrics.resolution).toMatchObject({ count: 2, avgSeconds: 5450 })
    expect(summary.metrics.reopen).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 })
    expect(summary.metrics.repliesPerSolve).toBe(1)
    expect(summary.backlog).toBe(0)
    const series = await ok(get(`/reports/timeseries?${range()}&scope=team:${team}&interval=day`))
    expect(series.points).toHaveLength(4)
    expect(series.points.reduce((n: number, p: { metrics: { solved: number } }) => n + p.metrics.solved, 0)).toBe(2)
  })

  it('credits a rating to the cycle and every responder: contributor (reviewed), reviewer, consulted expert', async () => {
    const cora = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Cora Contributor' })
    await setParticipation(app, cora.id, { trustLevel: 'reviewed', clearance: 'high' })
    await putOnShift(app, cora.id, { ms: 24 * 3600_000 })
    const reviewer = await buildUser(app, { role: 'agent', name: 'Remy Reviewer' })
    const otherTeam = await buildTeam(app)
    const ticket = await buildTicket(app, admin, { teamId: otherTeam })
    await ok(send('PATCH', `/tickets/${ticket.id}`, admin, { teamId: team }))
    const consult = await ok(send('POST', `/tickets/${ticket.id}/consults`, agent, { userId: expert.id, question: 'Is this a known bug?' }), 201)
    advanceClock(60_000)
    await ok(send('POST', `/consults/${consult.id}/messages`, expert, { body: 'Yes, fixed in 2.3.' }), 201)
    const held = await reply(ticket.id, cora, 'Please update to 2.3, that fixes it.')
    expect(held.statusCode, held.body).toBe(202)
    advanceClock(60_000)
    await ok(send('POST', `/reviews/${held.json().review.id}/approve`, reviewer, {}))
    await setStatus(ticket.id, 'solved')
    await rate(ticket.id, 5)
    await drainAll(app.ctx)

    const responders = await db.selectFrom('reportCycleResponders').selectAll().where('ticketId', '=', ticket.id).execute()
    const byUser = Object.fromEntries(responders.map((r) => [r.userId, r]))
    expect(byUser[cora.id]).toMatchObject({ cohort: 'contributor', trustLevel: 'reviewed', replied: 1, reviewedReplies: 1 })
    expect(byUser[reviewer.id]).toMatchObject({ cohort: 'support', reviewed: 1, replied: 0 })
    expect(byUser[agent.id]).toBeUndefined()
    expect(byUser[expert.id]).toMatchObject({ cohort: 'expert', consulted: 1, replied: 0 })

    const cohorts = await ok(get(`/reports/cohorts?${range()}&scope=team:${team}&split=cohort`))
    const row = (g: string) => cohorts.rows.find((r: { group: string }) => r.group === g)
    for (const g of ['contributor', 'expert']) expect(row(g).csat).toMatchObject({ numerator: 1, denominator: 1 })
    expect(row('support').csat).toMatchObject({ numerator: 1, denominator: 1 })
    expect(row('support').isBaseline).toBe(true)
    expect(row('contributor').csatVsBaseline).toMatchObject({ difference: 0, significant: false, enoughData: false })
    const reviewed = await ok(get(`/reports/cohorts?${range()}&scope=team:${team}&split=reviewed&stratify=risk`))
    expect(reviewed.rows.find((r: { group: string }) => r.group === 'reviewed')).toMatchObject({ n: 1, stratum: { key: 'low' } })

    const people = await ok(get(`/reports/breakdown?${range()}&scope=team:${team}&by=person&sort=csatRated`))
    const person = (id: number) => people.rows.find((r: { id: number }) => r.id === id)
    expect(person(cora.id)).toMatchObject({ label: 'Cora Contributor', metrics: { replies: 1, reviewedReplies: 1, csat: { numerator: 1, denominator: 1 } } })
    expect(person(reviewer.id).metrics).toMatchObject({ replies: 0, csat: { denominator: 1 } })
    expect(person(expert.id).metrics.csat.denominator).toBe(1)
    // The team the ticket moved to holds it; the one it left does not.
    expect((await ok(get(`/reports/summary?${range()}&scope=team:${otherTeam}`))).metrics.solved).toBe(0)
  })

  it('compares each group with the baseline inside its stratum, with hand-checked numbers', async () => {
    const day = dayOf(now()) - 200
    const put = (key: string, solved: number, reopened: number, rated: number, positive: number) =>
      db
        .insertInto('reportRollups')
        .values({ scope: 'all', dim: 'cohort_risk', day, key, solved, reopened, csatRated: rated, csatPositive: positive })
        .onConflict((oc) => oc.columns(['scope', 'dim', 'day', 'key']).doNothing())
        .execute()
    await put('support|high', 60, 6, 50, 30)
    await put('contributor|high', 60, 9, 50, 40)
    await put('support|low', 10, 1, 10, 9)
    await put('contributor|low', 5, 0, 4, 4)
    const res = await ok(get(`/reports/cohorts?from=${isoDay(day)}&to=${isoDay(day)}&split=cohort&stratify=risk`))
    expect(res.rows.map((r: { stratum: { key: string }; group: string }) => `${r.stratum.key}:${r.group}`)).toEqual([
      'low:support',
      'low:contributor',
      'high:support',
      'high:contributor',
    ])
    const high = res.rows[3]
    // CSAT 40/50 vs 30/50: difference 0.2, z = 2.182, p = 0.0291; Wilson(40, 50) = [0.6696, 0.8876]
    expect(high.csat.rate).toBe(0.8)
    expect(high.csat.low).toBeCloseTo(0.6696, 3)
    expect(high.csat.high).toBeCloseTo(0.8876, 3)
    expect(high.csatVsBaseline.difference).toBeCloseTo(0.2, 10)
    expect(high.csatVsBaseline.pValue).toBeCloseTo(0.0291, 3)
    expect(high.csatVsBaseline).toMatchObject({ significant: true, enoughData: true })
    // Reopen 9/60 vs 6/60: pooled 0.125, se 0.06038, z 0.828, p 0.408
    expect(high.reopenVsBaseline.pValue).toBeCloseTo(0.408, 2)
    expect(high.reopenVsBaseline.significant).toBe(false)
    expect(res.rows[1]).toMatchObject({ enoughData: false, csatVsBaseline: { significant: false, enoughData: false } })
    // Hand-made rows, not from facts: removed so the rebuild comparison below sees only real ones.
    await db.deleteFrom('reportRollups').where('day', '=', day).execute()
  })

  it('keeps incremental numbers equal to a rebuild after a realistic sequence', async () => {
    const a = await buildTicket(app, admin, { teamId: team, tags: ['billing'] })
    const b = await buildTicket(app, admin)
    advanceClock(120_000)
    await reply(a.id, agent)
    await ok(send('POST', `/tickets/${a.id}/notes`, agent, { body: 'internal' }), 201)
    await ok(send('PATCH', `/tickets/${a.id}`, admin, { tags: ['billing', 'refund'], priority: 'high' }))
    await setStatus(a.id, 'solved')
    await rate(a.id, 2)
    advanceClock(3_600_000)
    await setStatus(a.id, 'open')
    await ok(send('POST', `/tickets/${b.id}/merge`, admin, { intoTicketId: a.id }))
    await reply(a.id, expert)
    await ok(send('PATCH', `/tickets/${a.id}`, admin, { teamId: null, status: 'solved' }))
    await drainAll(app.ctx)
    const incremental = await snapshot()
    expect(incremental.rollups.length).toBeGreaterThan(10)
    await rebuildReports(db)
    expect(await snapshot()).toEqual(incremental)
  })

  it('attributes a reply to who its author was when they wrote it, through promotions and rebuilds', async () => {
    const tess = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Tess Trusted' })
    await setParticipation(app, tess.id, { trustLevel: 'trusted', clearance: 'high' })
    await putOnShift(app, tess.id, { ms: 24 * 3600_000 })
    const ticket = await buildTicket(app, admin, { teamId: team })
    const held = await reply(ticket.id, tess)
    expect(held.statusCode, held.body).toBe(202)
    await ok(send('POST', `/reviews/${held.json().review.id}/approve`, agent, {}))
    await setStatus(ticket.id, 'solved')
    // Promoted to the support team afterwards: the answer above was still a contributor's.
    await ok(send('PATCH', `/users/${tess.id}`, admin, { role: 'agent' }))
    await setParticipation(app, tess.id, { trustLevel: 'agent' })
    const responder = () =>
      db
        .selectFrom('reportCycleResponders')
        .select(['cohort', 'trustLevel'])
        .where('ticketId', '=', ticket.id)
        .where('userId', '=', tess.id)
        .executeTakeFirstOrThrow()
    await drainAll(app.ctx)
    expect(await responder()).toEqual({ cohort: 'contributor', trustLevel: 'trusted' })
    await rebuildReports(db)
    expect(await responder()).toEqual({ cohort: 'contributor', trustLevel: 'trusted' })
  })

  it('answers CSV with the same data, quoted and formula-safe', async () => {
    const evil = await buildTeam(app, '=HYPERLINK("http://evil.test","x")')
    const t = await buildTicket(app, admin, { teamId: evil })
    await reply(t.id, agent)
    await setStatus(t.id, 'solved')
    const res = await get(`/reports/breakdown?${range()}&by=team&format=csv`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="allhands-breakdown-/)
    const [header, ...lines] = res.body.trim().split('\r\n')
    expect(header!.startsWith('team,id,created,solved,')).toBe(true)
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://evil.test"",""x"")",${evil},`))).toBe(true)
    const json = await ok(get(`/reports/breakdown?${range()}&by=team`))
    expect(lines).toHaveLength(json.rows.length)
    for (const path of ['summary', 'timeseries', 'cohorts']) {
      const csv = await get(`/reports/${path}?${range()}&format=csv`)
      expect(csv.statusCode).toBe(200)
      expect(csv.body.split('\r\n')[0]).toMatch(/^[a-z_]+,/)
    }
  })

  it('validates filters and keeps contributors out', async () => {
    const bad = async (query: string, code: number) => expect((await get(`/reports/summary?${query}`)).statusCode, query).toBe(code)
    await bad('from=2026-03-10&to=2026-03-01', 422)
    await bad('from=2024-01-01&to=2026-03-01', 422)
    await bad('from=2026-02-30&to=2026-03-01', 422)
    await bad('from=2026-02-01&to=2026-03-01&scope=inbox:999999', 422)
    await bad('from=2026-02-01&to=2026-03-01&scope=team:999999', 422)
    await bad('from=2026-02-01&to=2026-03-01&scope=everything', 400)
    await bad('from=yesterday', 400)
    expect((await get('/reports/cohorts?split=vibes')).statusCode).toBe(400)
    expect((await get('/reports/breakdown?by=planet')).statusCode).toBe(400)
    expect((await get('/reports/breakdown?limit=100000')).statusCode).toBe(400)
    expect((await get('/reports/summary')).statusCode).toBe(200)
    const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
    for (const path of ['summary', 'timeseries', 'cohorts', 'breakdown']) expect((await get(`/reports/${path}`, contributor)).statusCode).toBe(403)
  })
})
