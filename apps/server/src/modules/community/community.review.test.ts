import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { maskSecretPath, requestLogSerializer } from '../../platform/log-redaction.ts'
import { sessionIdOf } from '../auth/sessions.service.ts'
import { cleanCommunitySessions } from './jobs/clean-community-sessions.ts'
import { type Member, communityWorld, form, mailedToken, newIp, requestLink, signIn, startCommunitySink, topicIdOf } from './community.test-helpers.ts'

/** The fixes of the forum's security and correctness review (docs/COMMUNITY.md). */
describe('community forum: review fixes', async () => {
  const sink = await startCommunitySink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Gus Agent' })
  const { api, ask, answer, postsOf, trustedMember } = await communityWorld(app, admin.headers, 'Review')
  const db = app.ctx.db

  afterEach(() => resetClock())

  const memberRow = (m: Member) => db.selectFrom('communityMembers').selectAll().where('email', '=', m.email).executeTakeFirstOrThrow()
  const topicRow = (id: number) => db.selectFrom('communityTopics').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  /** A public question by a trusted member, with its id. */
  const publicTopic = async (m: Member, title = `Question ${unique('t')} about cards`) => {
    const res = await ask(m, title, 'How does this work?')
    expect(res.headers.location).toContain('notice=asked')
    return topicIdOf(res.headers.location as string)
  }
  const staffAnswer = async (topicId: number, text = 'Staff says hello') =>
    (await api('POST', `/topics/${topicId}/answers`, { bodyHtml: `<p>${text}</p>` })).json() as { id: number }
  const postStatus = async (id: number) => (await db.selectFrom('communityPosts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

  it('holds a post only at three distinct reporters, never a staff post or the accepted answer, and caps reports per member', async () => {
    const asker = await trustedMember()
    const writer = await trustedMember()
    const topicId = await publicTopic(asker)
    await answer(writer, topicId, 'An ordinary answer')
    const answerId = (await postsOf(topicId)).find((p) => p.kind === 'answer')!.id
    const reporters = [await signIn(app), await signIn(app), await signIn(app)]
    for (const r of reporters.slice(0, 2)) await form(app, `/community/posts/${answerId}/flag`, { reason: 'spam' }, r)
    expect(await postStatus(answerId)).toBe('visible')
    // The same reporter twice still counts once.
    await form(app, `/community/posts/${answerId}/flag`, { reason: 'spam' }, reporters[0])
    expect(await postStatus(answerId)).toBe('visible')
    await form(app, `/community/posts/${answerId}/flag`, { reason: 'spam' }, reporters[2])
    expect(await postStatus(answerId)).toBe('held')

    const staffTopic = await publicTopic(asker)
    const staffPost = await staffAnswer(staffTopic)
    await answer(writer, staffTopic, 'The answer that gets accepted')
    const accepted = (await postsOf(staffTopic)).find((p) => p.kind === 'answer' && p.id !== staffPost.id)!.id
    expect((await form(app, `/community/posts/${accepted}/accept`, {}, asker)).statusCode).toBe(303)
    for (const r of reporters) {
      await form(app, `/community/posts/${staffPost.id}/flag`, { reason: 'x' }, r)
      await form(app, `/community/posts/${accepted}/flag`, { reason: 'x' }, r)
    }
    expect(await postStatus(staffPost.id)).toBe('visible')
    expect(await postStatus(accepted)).toBe('visible')
    expect((await topicRow(staffTopic)).status).toBe('visible')

    // Ten reports an hour per member: the eleventh is refused.
    const spammer = await signIn(app)
    const many = await publicTopic(asker)
    const posts = []
    for (let i = 0; i < 11; i++) posts.push(await staffAnswer(many, `Staff answer ${i}`))
    const codes = []
    for (const p of posts) codes.push((await form(app, `/community/posts/${p.id}/flag`, { reason: 'x' }, spammer)).statusCode)
    expect(codes.slice(0, 10).every((c) => c === 303)).toBe(true)
    expect(codes[10]).toBe(429)
  })

  it('treats contributors and staff still enrolling in 2FA as not staff on the public pages', async () => {
    const asker = await trustedMember()
    const topicId = await publicTopic(asker)
    const contributor = await buildUser(app, { role: 'contributor' })
    const res = await form(app, `/community/t/${topicId}/answers`, { body: 'Contributor answer' }, { cookie: contributor.headers.cookie })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toMatch(/^\/community\/login/)
    const ask = await app.inject({ method: 'GET', url: '/community/ask', headers: contributor.headers })
    expect(ask.headers.location).toMatch(/^\/community\/login/)

    const enrolling = await buildUser(app, { role: 'agent' })
    const secret = enrolling.headers.cookie.split('=')[1]!
    await db.updateTable('sessions').set({ enrolmentOnly: 1 }).where('id', '=', sessionIdOf(secret)).execute()
    const blocked = await form(app, `/community/t/${topicId}/answers`, { body: 'Enrolling agent answer' }, { cookie: enrolling.headers.cookie })
    expect(blocked.headers.location).toMatch(/^\/community\/login/)

    // A full member of the support team still posts as staff.
    const staffRes = await form(app, `/community/t/${topicId}/answers`, { body: 'Agent answer here' }, { cookie: agent.headers.cookie })
    expect(staffRes.headers.location).toContain('notice=answered')
    const page = await app.inject({ method: 'GET', url: staffRes.headers.location as string })
    expect(page.body).toContain('Agent answer here')
    expect(page.body).not.toContain('Contributor answer')
    expect(page.body).not.toContain('Enrolling agent answer')
  })

  it('serves topics and articles with non-Latin titles at percent-encoded paths', async () => {
    const m = await trustedMember()
    const res = await ask(m, 'Как заблокировать карту', 'Потерял кошелёк.')
    expect(res.statusCode).toBe(303)
    const location = res.headers.location as string
    expect(location).toMatch(/^\/community\/t\/\d+-%D0%BA%D0%B0%D0%BA-/)
    const page = await app.inject({ method: 'GET', url: location.split('?')[0]! })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Как заблокировать карту')
    // The slug-less path redirects to the encoded canonical one.
    const short = await app.inject({ method: 'GET', url: `/community/t/${topicIdOf(location)}` })
    expect(short.statusCode).toBe(301)
    expect(short.headers.location).toBe(location.split('?')[0])

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/kb/articles',
      headers: agent.headers,
      payload: { title: 'Как закрыть счёт', bodyHtml: '<p>Позвоните нам.</p>' },
    })
    expect(created.statusCode, created.body).toBe(201)
    const article = (await app.inject({ method: 'POST', url: `/api/v1/kb/articles/${created.json().id}/publish`, headers: agent.headers, payload: {} })).json()
    const stale = await app.inject({ method: 'GET', url: `/help/${article.lang}/articles/${article.id}-old` })
    expect(stale.statusCode).toBe(301)
    expect(stale.headers.location).toMatch(/%D0%BA%D0%B0%D0%BA-/)
    const live = await app.inject({ method: 'GET', url: stale.headers.location as string })
    expect(live.statusCode).toBe(200)
    expect(live.body).toContain('Как закрыть счёт')
  })

  it('refuses writes with a null, foreign or malformed Origin, or with cookies and no browser header', async () => {
    const m = await signIn(app)
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/community/logout',
        headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'forum.test', 'x-forwarded-for': newIp(), ...headers },
        payload: '',
      })
    expect((await post({ cookie: m.cookie, origin: 'null' })).statusCode).toBe(403)
    expect((await post({ cookie: m.cookie, origin: 'http://[oops' })).statusCode).toBe(403)
    expect((await post({ cookie: m.cookie, origin: 'https://evil.test' })).statusCode).toBe(403)
    expect((await post({ cookie: m.cookie, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403)
    expect((await post({ cookie: m.cookie })).statusCode).toBe(403)
    expect((await post({})).statusCode).toBe(303)
    expect((await post({ cookie: m.cookie, origin: 'http://forum.test' })).statusCode).toBe(303)
  })

  it('masks sign-in and survey tokens in request logs, and opening a link does not sign in', async () => {
    expect(maskSecretPath('/community/login/cml_abcdefghijklmnopqrstuvwxyz')).toBe('/community/login/***')
    expect(maskSecretPath('/survey/tok_123?rating=5')).toBe('/survey/***?rating=5')
    expect(maskSecretPath('/api/v1/invites/inv_1/accept')).toBe('/api/v1/invites/***/accept')
    expect(maskSecretPath('/community/t/12-title')).toBe('/community/t/12-title')
    const line = requestLogSerializer({ method: 'GET', url: '/community/login/cml_secret', hostname: 'h', ip: '1.2.3.4', socket: null } as never)
    expect(JSON.stringify(line)).not.toContain('cml_secret')

    const email = `${unique('peek')}@customer.test`
    await requestLink(app, email)
    const token = await mailedToken(email)
    const opened = await app.inject({ method: 'GET', url: `/community/login/${token}` })
    expect(opened.statusCode).toBe(200)
    expect(opened.cookies.find((c) => c.name === 'allhands_community')).toBeUndefined()
    expect((await form(app, `/community/login/${token}`, {})).statusCode).toBe(303)
  })

  it('gives new members a neutral public name they can change, never a part of their address', async () => {
    const email = `${unique('jane.doe')}@customer.test`
    const m = await signIn(app, email)
    const row = await memberRow(m)
    expect(row.displayName).toBe(`Member ${row.id}`)
    expect(row.displayName).not.toContain(email.split('@')[0])
    const profile = await app.inject({ method: 'GET', url: `/community/u/${row.id}`, headers: { cookie: m.cookie } })
    expect(profile.body).toContain('Your public name')
    expect((await form(app, '/community/profile/name', { displayName: 'me@example.com' }, m)).statusCode).toBe(400)
    const renamed = await form(app, '/community/profile/name', { displayName: 'Card Fan' }, m)
    expect(renamed.statusCode).toBe(303)
    expect((await memberRow(m)).displayName).toBe('Card Fan')
    // Others see no rename form on someone else's profile.
    const other = await signIn(app)
    expect((await app.inject({ method: 'GET', url: `/community/u/${row.id}`, headers: { cookie: other.cookie } })).body).not.toContain('Your public name')
  })

  it('keeps words of held and hidden topics out of the typo vocabulary', async () => {
    const newcomer = await signIn(app)
    const word = `zqx${unique('w').replace(/\W/g, '').toLowerCase()}`
    const res = await ask(newcomer, `Held question ${word}`, 'Waiting for review')
    expect(res.headers.location).toContain('notice=held')
    const known = async () => !!(await db.selectFrom('communityTerms').select('term').where('term', '=', word).executeTakeFirst())
    expect(await known()).toBe(false)
    const trusted = await trustedMember()
    const topicId = await publicTopic(trusted)
    const secret = `qzv${unique('s').replace(/\W/g, '').toLowerCase()}`
    expect((await api('PATCH', `/topics/${topicId}`, { status: 'hidden' })).statusCode).toBe(200)
    await answer(trusted, topicId, `An answer with ${secret}`)
    await staffAnswer(topicId, `Staff mentions ${secret}`)
    expect(!!(await db.selectFrom('communityTerms').select('term').where('term', '=', secret).executeTakeFirst())).toBe(false)
  })

  it('moves the accepted-answer bonus both ways and gives none for answering oneself', async () => {
    const asker = await trustedMember()
    const helper = await trustedMember()
    const rep = async (m: Member) => (await memberRow(m)).reputation
    // Self-answer, self-accept: nothing.
    const own = await publicTopic(asker)
    await answer(asker, own, 'I found it myself')
    const ownAnswer = (await postsOf(own)).find((p) => p.kind === 'answer')!.id
    const before = await rep(asker)
    await form(app, `/community/posts/${ownAnswer}/accept`, {}, asker)
    expect(await rep(asker)).toBe(before)

    // Hiding the accepted answer takes the bonus back.
    const t1 = await publicTopic(asker)
    await answer(helper, t1, 'Here is how')
    const a1 = (await postsOf(t1)).find((p) => p.kind === 'answer')!.id
    const base = await rep(helper)
    await form(app, `/community/posts/${a1}/accept`, {}, asker)
    expect(await rep(helper)).toBe(base + 15)
    expect((await api('POST', `/posts/${a1}/reject`)).statusCode).toBe(200)
    expect(await rep(helper)).toBe(base)
    expect((await topicRow(t1)).acceptedPostId).toBeNull()

    // Merging: the bonus follows the answer under the target's asker.
    const t2 = await publicTopic(asker)
    await answer(helper, t2, 'Another way')
    const a2 = (await postsOf(t2)).find((p) => p.kind === 'answer')!.id
    await form(app, `/community/posts/${a2}/accept`, {}, asker)
    expect(await rep(helper)).toBe(base + 15)
    const target = await publicTopic(helper) // asked by the helper: their own answer earns nothing there
    expect((await api('POST', `/topics/${t2}/merge`, { intoTopicId: target })).statusCode).toBe(200)
    expect((await topicRow(target)).acceptedPostId).toBe(a2)
    expect(await rep(helper)).toBe(base)
  })

  it('approves once under concurrency, accepts once, and turns a topic into one ticket', async () => {
    const newcomer = await signIn(app)
    const res = await ask(newcomer, `Concurrent ${unique('c')} question`, 'Race me')
    const topicId = topicIdOf(res.headers.location as string)
    const question = (await postsOf(topicId))[0]!.id
    const approvals = await Promise.all([api('POST', `/posts/${question}/approve`), api('POST', `/posts/${question}/approve`)])
    expect(approvals.map((r) => r.statusCode)).toEqual([200, 200])
    expect((await memberRow(newcomer)).approvedCount).toBe(1)

    const a = await trustedMember()
    const b = await trustedMember()
    await answer(a, topicId, 'Answer A')
    await answer(b, topicId, 'Answer B')
    const [pa, pb] = (await postsOf(topicId)).filter((p) => p.kind === 'answer')
    const [ra, rb] = [(await memberRow(a)).reputation, (await memberRow(b)).reputation]
    await Promise.all([api('POST', `/posts/${pa!.id}/accept`), api('POST', `/posts/${pb!.id}/accept`)])
    const gained = (await memberRow(a)).reputation - ra + ((await memberRow(b)).reputation - rb)
    expect(gained).toBe(15)

    const tickets = await Promise.all([api('POST', `/topics/${topicId}/ticket`), api('POST', `/topics/${topicId}/ticket`)])
    expect(tickets.map((r) => r.statusCode).sort()).toEqual([200, 409])
    const made = await db.selectFrom('tickets').select('id').where('subject', 'like', 'Concurrent %').execute()
    expect(made).toHaveLength(1)
  })

  it('counts only public posts in a member’s post count', async () => {
    const m = await signIn(app)
    const res = await ask(m, `Counting ${unique('n')} posts`, 'First post waits')
    expect((await memberRow(m)).postCount).toBe(0)
    const topicId = topicIdOf(res.headers.location as string)
    const question = (await postsOf(topicId))[0]!.id
    await api('POST', `/posts/${question}/approve`)
    expect((await memberRow(m)).postCount).toBe(1)
    await answer(m, topicId, 'A public answer of mine')
    expect((await memberRow(m)).postCount).toBe(2)
    const mine = (await postsOf(topicId)).find((p) => p.kind === 'answer')!.id
    await api('POST', `/posts/${mine}/reject`)
    expect((await memberRow(m)).postCount).toBe(1)
  })

  it('answers 404 for ids beyond 32 bits and refuses to merge into a topic that is not public', async () => {
    expect((await app.inject({ method: 'GET', url: '/community/t/9999999999' })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: '/community/t/9999999999-some-title' })).statusCode).toBe(404)
    const m = await trustedMember()
    const from = await publicTopic(m)
    const hidden = await publicTopic(m)
    expect((await api('PATCH', `/topics/${hidden}`, { status: 'hidden' })).statusCode).toBe(200)
    const merge = await api('POST', `/topics/${from}/merge`, { intoTopicId: hidden })
    expect(merge.statusCode).toBe(422)
    expect((await topicRow(from)).mergedIntoId).toBeNull()
  })

  it('cleans up expired member sessions and old sign-in links', async () => {
    const m = await signIn(app)
    const email = `${unique('old')}@customer.test`
    await requestLink(app, email)
    advanceClock(31 * 24 * 3_600_000)
    const removed = await cleanCommunitySessions(db)
    expect(removed.sessions).toBeGreaterThan(0)
    expect(removed.links).toBeGreaterThan(0)
    const member = await memberRow(m)
    expect(await db.selectFrom('communitySessions').select('id').where('memberId', '=', member.id).execute()).toHaveLength(0)
    expect(await db.selectFrom('communityLoginLinks').select('id').where('email', '=', email).execute()).toHaveLength(0)
    // The job is registered and scheduled.
    const queued = await db.selectFrom('jobs').select('name').where('name', '=', 'clean-community-sessions').execute()
    expect(queued.length).toBeGreaterThan(0)
  })

  it('caches public pages for cookieless visitors only, pages answers by fifty, and gives merged topics their own status', async () => {
    const anon = await app.inject({ method: 'GET', url: '/community' })
    expect(anon.headers['cache-control']).toContain('public')
    expect(anon.headers.vary).toContain('Cookie')
    const etag = anon.headers.etag as string
    expect((await app.inject({ method: 'GET', url: '/community', headers: { 'if-none-match': etag } })).statusCode).toBe(304)
    const m = await trustedMember()
    expect((await app.inject({ method: 'GET', url: '/community', headers: { cookie: m.cookie } })).headers['cache-control']).toBe('no-store')

    const topicId = await publicTopic(m)
    for (let i = 0; i < 51; i++) await staffAnswer(topicId, `Numbered answer ${i}.`)
    const path = `/community/t/${topicId}`
    const first = await app.inject({ method: 'GET', url: (await app.inject({ method: 'GET', url: path })).headers.location as string })
    expect(first.body.match(/Numbered answer \d+\./g)).toHaveLength(50)
    expect(first.body).toContain('More answers')
    expect(first.body).toContain('51 answers')
    const second = await app.inject({ method: 'GET', url: `${(await app.inject({ method: 'GET', url: path })).headers.location as string}?page=2` })
    expect(second.body.match(/Numbered answer \d+\./g)).toEqual(['Numbered answer 50.'])

    const other = await publicTopic(m)
    expect((await api('POST', `/topics/${other}/merge`, { intoTopicId: topicId })).statusCode).toBe(200)
    expect((await topicRow(other)).status).toBe('merged')
    expect((await api('PATCH', `/topics/${other}`, { status: 'visible' })).statusCode).toBe(422)
  })
})
