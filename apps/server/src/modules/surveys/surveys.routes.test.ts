import { REDESIGN_SURVEY_TEMPLATE, type SurveyDto, type SurveyResultsDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'

describe('custom surveys', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })

  const org = (await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: admin.headers, payload: { name: unique('Globex ') } })).json()
  const contact = async (email: string | null, organizationId: number | null = org.id) =>
    (
      await app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: admin.headers,
        payload: { name: 'Rita Redesign', emails: email ? [email] : [], organizationId },
      })
    ).json()
  const inOrg = [`${unique('a')}@globex.test`, `${unique('b')}@globex.test`]
  for (const email of inOrg) await contact(email)
  await contact(null)
  const outsider = `${unique('out')}@other.test`
  await contact(outsider, null)

  let survey: SurveyDto
  const tokens: string[] = []
  const answer = (key: string, answers: Record<string, string | string[]>) =>
    app.inject({ method: 'POST', url: `/api/v1/public/surveys/responses/${key}`, payload: { answers } })

  it('validates questions and lets only admins create surveys', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: admin.headers,
      payload: {
        title: 'Broken',
        questions: [
          { id: 'a', kind: 'single', label: 'One option', required: true, options: ['Only'] },
          { id: 'a', kind: 'text', label: 'Dup', required: false },
        ],
      },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.message).toMatch(/two options.*used twice/)
    expect((await app.inject({ method: 'POST', url: '/api/v1/surveys', headers: agent.headers, payload: REDESIGN_SURVEY_TEMPLATE })).statusCode).toBe(403)

    const created = await app.inject({ method: 'POST', url: '/api/v1/surveys', headers: admin.headers, payload: REDESIGN_SURVEY_TEMPLATE })
    expect(created.statusCode).toBe(201)
    survey = created.json()
    expect(survey).toMatchObject({ kind: 'custom', status: 'draft', slug: 'help-us-redesign-our-products', publicLink: false, responseCount: 0 })
    expect(survey.url).toBe('https://help.acme.test/s/help-us-redesign-our-products')
    const list = (await app.inject({ method: 'GET', url: '/api/v1/surveys', headers: agent.headers })).json()
    expect(list.items.map((s: SurveyDto) => s.id)).toEqual([survey.id])
  })

  it('sends only open surveys, to the segment, once per contact, one email job each', async () => {
    const send = () => app.inject({ method: 'POST', url: `/api/v1/surveys/${survey.id}/send`, headers: admin.headers, payload: { organizationIds: [org.id] } })
    expect((await send()).statusCode).toBe(422)
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/surveys/${survey.id}`, headers: admin.headers, payload: { status: 'open' } })).statusCode).toBe(
      200,
    )
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${survey.id}/send`, headers: admin.headers, payload: {} })).statusCode).toBe(400)
    const first = await send()
    expect(first.json()).toEqual({ matched: 3, queued: 3, alreadyInvited: 0 })
    expect((await send()).json()).toEqual({ matched: 3, queued: 0, alreadyInvited: 3 })
    await app.ctx.jobs.runDue()
    await sink.waitFor(2)
    expect(sink.received.flatMap((m) => m.rcpt).sort()).toEqual([...inOrg].sort())
    expect(sink.received.some((m) => m.rcpt.includes(outsider))).toBe(false)
    for (const m of sink.received) {
      expect(m.parsed.subject).toBe(REDESIGN_SURVEY_TEMPLATE.title)
      expect(m.parsed.headers.get('auto-submitted')).toBe('auto-generated')
      tokens.push(/https:\/\/help\.acme\.test\/s\/(sv_[A-Za-z0-9_-]+)/.exec(m.parsed.text!)![1]!)
    }
    const skipped = await app.ctx.db
      .selectFrom('surveyInvitations')
      .select(['status', 'skipReason'])
      .where('surveyId', '=', survey.id)
      .where('status', '=', 'skipped')
      .execute()
    expect(skipped).toEqual([{ status: 'skipped', skipReason: 'no_email' }])
  })

  it('shows the form, validates required answers and takes one response per invitation', async () => {
    const page = await app.inject({ method: 'GET', url: `/s/${tokens[0]}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<legend>Overall, how happy are you with our products today?')
    expect(page.body).toContain('type="checkbox" name="answers[improve]" value="Speed"')

    const missing = await answer(tokens[0]!, { change: 'x' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toMatch(/please answer "Overall/)
    expect((await answer(tokens[0]!, { overall: '7', product: 'Mobile app' })).statusCode).toBe(400)
    expect((await answer(tokens[0]!, { overall: '4', product: 'Fax machine' })).statusCode).toBe(400)

    const ok = await answer(tokens[0]!, { overall: '4', product: 'Mobile app', improve: ['Speed', 'Notifications'], change: '<b>Dark mode</b>, please' })
    expect(ok.statusCode).toBe(201)
    expect((await answer(tokens[0]!, { overall: '1', product: 'Web banking' })).statusCode).toBe(409)
    expect((await app.inject({ method: 'GET', url: `/s/${tokens[0]}` })).body).toContain('You already answered')
    expect((await answer(`sv_${'x'.repeat(43)}`, { overall: '1' })).statusCode).toBe(404)
  })

  it('accepts an HTML form post and answers it with the thank-you page, or the filled form with the problem', async () => {
    const form = (body: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/public/surveys/responses/${tokens[1]}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      })
    const invalid = await form(new URLSearchParams({ 'answers[change]': '<i>kept</i>' }).toString())
    expect(invalid.statusCode).toBe(400)
    expect(invalid.headers['content-type']).toContain('text/html')
    expect(invalid.body).toContain('role="alert"')
    expect(invalid.body).toContain('&lt;i&gt;kept&lt;/i&gt;</textarea>')
    const body = new URLSearchParams([
      ['answers[overall]', '2'],
      ['answers[product]', 'Web banking'],
      ['answers[improve]', 'Speed'],
      ['answers[improve]', 'Card controls'],
    ])
    const res = await form(body.toString())
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/s/${tokens[1]}?done=1`)
    expect((await app.inject({ method: 'GET', url: res.headers.location as string })).body).toContain('Your answers were recorded')
  })

  it('answers through the public link only when the survey allows it', async () => {
    expect((await app.inject({ method: 'GET', url: `/s/${survey.slug}` })).statusCode).toBe(404)
    expect((await answer(survey.slug, { overall: '5', product: 'Cards' })).statusCode).toBe(404)
    await app.inject({ method: 'PATCH', url: `/api/v1/surveys/${survey.id}`, headers: admin.headers, payload: { publicLink: true } })
    expect((await app.inject({ method: 'GET', url: `/s/${survey.slug}` })).statusCode).toBe(200)
    expect((await answer(survey.slug, { overall: '5', product: 'Savings accounts', change: '=HYPERLINK("x")' })).statusCode).toBe(201)
  })

  it('aggregates per question: average, distributions and free text', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/surveys/${survey.id}/results`, headers: agent.headers })
    expect(res.statusCode).toBe(200)
    const results: SurveyResultsDto = res.json()
    expect(results.responses).toBe(3)
    const [overall, product, improve, change] = results.questions
    expect(overall).toMatchObject({ answered: 3, average: (4 + 2 + 5) / 3 })
    expect(overall!.distribution.find((d) => d.option === '4')?.count).toBe(1)
    expect(product!.distribution).toEqual([
      { option: 'Mobile app', count: 1 },
      { option: 'Web banking', count: 1 },
      { option: 'Debit and credit cards', count: 0 },
      { option: 'Savings accounts', count: 1 },
    ])
    expect(improve).toMatchObject({ answered: 2 })
    expect(improve!.distribution.find((d) => d.option === 'Speed')?.count).toBe(2)
    expect(change!.texts.map((t) => t.value).sort()).toEqual(['<b>Dark mode</b>, please', '=HYPERLINK("x")'].sort())
  })

  it('exports responses as CSV, safe for spreadsheets, and audits it', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/surveys/${survey.id}/responses.csv`, headers: agent.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toContain('help-us-redesign-our-products-responses.csv')
    const lines = res.body.trim().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(
      'response_id,submitted_at,contact,email,order_ref,"Overall, how happy are you with our products today?",Which product do you use most?,What should we improve first?,What one change would make the biggest difference to you?',
    )
    expect(res.body).toContain(`"'=HYPERLINK(""x"")"`)
    expect(res.body).toContain('"Speed; Card controls"')
    const audit = await app.ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'surveys.exported').execute()
    expect(audit).toHaveLength(1)
  })

  it('keeps answered questions and answered surveys', async () => {
    const drop = await app.inject({
      method: 'PATCH',
      url: `/api/v1/surveys/${survey.id}`,
      headers: admin.headers,
      payload: { questions: REDESIGN_SURVEY_TEMPLATE.questions.slice(1) },
    })
    expect(drop.statusCode).toBe(409)
    const relabel = REDESIGN_SURVEY_TEMPLATE.questions.map((q) => (q.id === 'overall' ? { ...q, label: 'How happy are you?' } : q))
    expect(
      (await app.inject({ method: 'PATCH', url: `/api/v1/surveys/${survey.id}`, headers: admin.headers, payload: { questions: relabel } })).statusCode,
    ).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/surveys/${survey.id}`, headers: admin.headers })).statusCode).toBe(409)
    const closed = await app.inject({ method: 'PATCH', url: `/api/v1/surveys/${survey.id}`, headers: admin.headers, payload: { status: 'closed' } })
    expect(closed.json().status).toBe('closed')
    expect((await answer(survey.slug, { overall: '5', product: 'Savings accounts' })).statusCode).toBe(422)
    expect((await app.inject({ method: 'GET', url: `/s/${survey.slug}` })).body).toContain('This survey is closed')

    const empty = (
      await app.inject({ method: 'POST', url: '/api/v1/surveys', headers: admin.headers, payload: { ...REDESIGN_SURVEY_TEMPLATE, title: 'Scratch' } })
    ).json()
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/surveys/${empty.id}`, headers: admin.headers })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: `/api/v1/surveys/${empty.id}`, headers: admin.headers })).statusCode).toBe(404)
  })

  it('rate-limits public answers per client address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 22; i++)
      statuses.push(
        (await app.inject({ method: 'POST', url: `/api/v1/public/surveys/responses/${survey.slug}`, remoteAddress: '203.0.113.9', payload: { answers: {} } }))
          .statusCode,
      )
    expect(statuses.slice(0, 20).every((s) => s !== 429)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429])
  })
})
