import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { communityWorld, form, mailedToken, newIp, requestLink, signIn, startCommunitySink, topicIdOf } from './community.test-helpers.ts'

describe('community forum', async () => {
  const sink = await startCommunitySink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const { category, api, ask, answer, postsOf, trustedMember } = await communityWorld(app, admin.headers)

  afterEach(() => resetClock())

  it('signs a customer in with a single-use, expiring link and links them to their contact', async () => {
    const agent = await buildUser(app, { role: 'agent' })
    const ticket = await buildTicket(app, agent)
    const email = ticket.requester.email as string
    const ip = newIp()
    expect((await requestLink(app, email, ip)).statusCode).toBe(200)
    const token = await mailedToken(email)
    expect((await app.inject({ method: 'GET', url: `/community/login/${token}` })).body).toContain('Signing in as')
    const first = await form(app, `/community/login/${token}`, {}, { ip })
    expect(first.statusCode).toBe(303)
    expect(first.headers.location).toBe('/community?notice=signedin')
    const again = await form(app, `/community/login/${token}`, {}, { ip })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('invalid, expired or already used')
    const member = await app.ctx.db.selectFrom('communityMembers').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
    expect(member.contactId).toBe(ticket.requester.id)
    // The token itself is never stored, only its hash.
    const stored = await app.ctx.db.selectFrom('communityLoginLinks').select('tokenHash').where('email', '=', email).execute()
    expect(stored.every((r) => r.tokenHash !== token)).toBe(true)

    const late = `${unique('late')}@customer.test`
    await requestLink(app, late)
    const lateToken = await mailedToken(late)
    advanceClock(16 * 60_000)
    expect((await form(app, `/community/login/${lateToken}`, {})).statusCode).toBe(400)
    expect((await form(app, '/community/login/cml_not-a-real-token-at-all-000000', {})).statusCode).toBe(400)
    expect((await form(app, '/community/login', { email: 'not an address' })).body).toContain('Enter a valid email address')
  })

  it('rate-limits sign-in link requests per client address and per email address', async () => {
    const ip = newIp()
    const codes: number[] = []
    for (let i = 0; i < 6; i++) codes.push((await form(app, '/community/login', { email: `${unique('rl')}@customer.test` }, { ip })).statusCode)
    expect(codes.slice(0, 5).every((c) => c === 200)).toBe(true)
    expect(codes[5]).toBe(429)
    const email = `${unique('many')}@customer.test`
    for (let i = 0; i < 5; i++) await form(app, '/community/login', { email })
    const links = await app.ctx.db.selectFrom('communityLoginLinks').select('id').where('email', '=', email).execute()
    expect(links).toHaveLength(3)
  })

  it('holds a new member’s first question for moderation until a moderator approves it', async () => {
    const m = await signIn(app)
    const res = await ask(m, 'How do I freeze my card?', 'I lost my wallet, what now?')
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toContain('notice=held')
    const id = topicIdOf(res.headers.location as string)
    const anonymous = await app.inject({ method: 'GET', url: `/community/t/${id}` })
    expect((await app.inject({ method: 'GET', url: anonymous.headers.location as string })).statusCode).toBe(404)
    const own = await app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie: m.cookie } })
    expect(own.body).toContain('waiting for a moderator')
    const queue = (await api('GET', '/moderation')).json()
    const held = queue.items.find((i: { topic: { id: number } }) => i.topic.id === id)
    expect(held.post.heldReason).toBe('first_post')
    expect((await api('GET', '/moderation', undefined, contributor.headers)).statusCode).toBe(403)
    expect((await api('POST', `/posts/${held.post.id}/approve`)).statusCode).toBe(200)
    const page = await app.inject({ method: 'GET', url: (res.headers.location as string).split('?')[0]! })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('I lost my wallet')
    const audit = await app.ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'community.post_approved').execute()
    expect(audit.length).toBeGreaterThan(0)
    // The second post of an approved member goes out directly.
    expect((await ask(m, 'And how do I unfreeze it?', 'Found the wallet again.')).headers.location).toContain('notice=asked')
  })

  it('lets people answer and vote once, and only the asker or staff accept; reputation follows', async () => {
    const asker = await trustedMember()
    const helper = await trustedMember()
    const q = await ask(asker, 'Why was my card declined?', 'At the supermarket today.')
    const topicId = topicIdOf(q.headers.location as string)
    const a = await answer(helper, topicId, 'Check your daily limit in the app.')
    expect(a.headers.location).toContain('notice=answered')
    const answerId = (await postsOf(topicId)).find((p) => p.kind === 'answer')!.id
    expect((await form(app, `/community/posts/${answerId}/vote`, { value: 'up' }, asker)).headers.location).toContain('notice=voted')
    const twice = await form(app, `/community/posts/${answerId}/vote`, { value: 'up' }, asker)
    expect(twice.statusCode).toBe(409)
    expect(twice.body).toContain('You already voted on this post')
    expect((await form(app, `/community/posts/${answerId}/vote`, { value: 'up' }, helper)).body).toContain('you cannot vote on your own post')
    expect((await api('POST', `/posts/${answerId}/vote`, { value: 1 })).json().score).toBe(2)
    expect((await api('POST', `/posts/${answerId}/vote`, { value: 1 })).statusCode).toBe(409)
    const notAsker = await form(app, `/community/posts/${answerId}/accept`, {}, helper)
    expect(notAsker.statusCode).toBe(403)
    expect((await form(app, `/community/posts/${answerId}/accept`, {}, asker)).headers.location).toContain('notice=accepted')
    const topic = (await api('GET', `/topics/${topicId}`)).json()
    expect(topic.acceptedPostId).toBe(answerId)
    const helperRow = await app.ctx.db.selectFrom('communityMembers').select('reputation').where('email', '=', helper.email).executeTakeFirstOrThrow()
    expect(helperRow.reputation).toBe(10 + 10 + 15)
    // Accepted first, then by votes.
    const page = await app.inject({ method: 'GET', url: topic.url })
    expect(page.body).toContain('Accepted answer')
    expect(page.body.indexOf('Check your daily limit')).toBeGreaterThan(page.body.indexOf('At the supermarket'))
  })

  it('emails followers about new answers and notifies staff followers in the app', async () => {
    const asker = await trustedMember()
    const helper = await trustedMember()
    const q = await ask(asker, 'Can I get a metal card?', 'It looks nice.')
    const topicId = topicIdOf(q.headers.location as string)
    expect((await api('POST', `/topics/${topicId}/follow`, { follow: true })).json().following).toBe(true)
    await answer(helper, topicId, 'Yes, with the premium plan.')
    await app.ctx.jobs.runDue()
    const mail = sink.received.find((m) => m.rcpt.includes(asker.email) && m.parsed.subject === 'New answer: Can I get a metal card?')
    expect(mail?.parsed.text).toContain('Yes, with the premium plan.')
    expect(sink.received.some((m) => m.rcpt.includes(helper.email) && m.parsed.subject === 'New answer: Can I get a metal card?')).toBe(false)
    const notes = await app.ctx.db.selectFrom('notifications').select('title').where('userId', '=', admin.id).where('kind', '=', 'community.answer').execute()
    expect(notes.map((n) => n.title)).toContain('New answer in the community: Can I get a metal card?')
  })

  it('refuses posts with too many links and members posting too fast, with a clear message', async () => {
    const m = await trustedMember()
    const q = await ask(m, 'Link heavy question', 'Plain words.')
    const topicId = topicIdOf(q.headers.location as string)
    const links = Array.from({ length: 5 }, (_, i) => `https://spam${i}.example.com/buy`).join(' ')
    const spam = await answer(m, topicId, `Look: ${links}`)
    expect(spam.statusCode).toBe(422)
    expect(spam.body).toContain('Your post has 5 links; at most 3 are allowed')
    await api('PUT', '/settings', { holdFirstPosts: true, maxLinks: 3, linkAction: 'hold', maxPostsPerHour: 4, flagsToHold: 1, blockedWords: ['casino'] })
    expect((await answer(m, topicId, `Look: ${links}`)).headers.location).toContain('notice=held')
    expect((await answer(m, topicId, 'Visit our casino tonight')).headers.location).toContain('notice=held')
    const tooFast = await answer(m, topicId, 'One more thing')
    expect(tooFast.statusCode).toBe(429)
    expect(tooFast.body).toContain('You are posting too fast: at most 4 posts an hour')
    await api('PUT', '/settings', { holdFirstPosts: true, maxLinks: 3, linkAction: 'refuse', maxPostsPerHour: 10, flagsToHold: 1, blockedWords: [] })
    expect(
      (
        await api(
          'PUT',
          '/settings',
          { holdFirstPosts: false, maxLinks: 3, linkAction: 'refuse', maxPostsPerHour: 10, flagsToHold: 1, blockedWords: [] },
          contributor.headers,
        )
      ).statusCode,
    ).toBe(403)
  })

  it('holds a flagged post, blocks answers on a locked topic, and redirects a merged topic', async () => {
    const m = await trustedMember()
    const other = await trustedMember()
    const q1 = await ask(m, 'Card arrived broken', 'The chip is cracked.')
    const q2 = await ask(other, 'Broken card on arrival', 'Mine too.')
    const [t1, t2] = [topicIdOf(q1.headers.location as string), topicIdOf(q2.headers.location as string)]
    await answer(other, t1, 'Order a replacement in the app.')
    const answerId = (await postsOf(t1)).find((p) => p.kind === 'answer')!.id
    expect((await form(app, `/community/posts/${answerId}/flag`, { reason: 'rude' }, m)).headers.location).toContain('notice=flagged')
    expect((await postsOf(t1)).find((p) => p.id === answerId)!.status).toBe('held')

    expect((await api('PATCH', `/topics/${t1}`, { isLocked: true })).json().isLocked).toBe(true)
    const locked = await answer(other, t1, 'Another answer')
    expect(locked.statusCode).toBe(403)
    expect(locked.body).toContain('locked')
    expect((await api('PATCH', `/topics/${t1}`, { isPinned: true }, contributor.headers)).statusCode).toBe(403)

    const merged = (await api('POST', `/topics/${t2}/merge`, { intoTopicId: t1 })).json()
    expect(merged.id).toBe(t1)
    expect(merged.posts.some((p: { bodyHtml: string }) => p.bodyHtml.includes('Mine too.'))).toBe(true)
    const old = await app.inject({ method: 'GET', url: `/community/t/${t2}` })
    expect(old.statusCode).toBe(301)
    expect(old.headers.location).toMatch(new RegExp(`^/community/t/${t1}-`))
    expect((await api('POST', `/topics/${t2}/merge`, { intoTopicId: t1 })).statusCode).toBe(409)
  })

  it('bans a member: signed out, no new links, no posts', async () => {
    const m = await trustedMember()
    const member = await app.ctx.db.selectFrom('communityMembers').select('id').where('email', '=', m.email).executeTakeFirstOrThrow()
    const pending = `${m.email}`
    await requestLink(app, pending)
    const unusedToken = await mailedToken(pending)
    const banned = await api('POST', `/members/${member.id}/ban`, { reason: 'Spam' })
    expect(banned.json().banReason).toBe('Spam')
    const res = await ask(m, 'Still here?', 'Let me in.')
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toContain('/community/login')
    const login = await form(app, `/community/login/${unusedToken}`, {})
    expect(login.statusCode).toBe(403)
    const before = sink.received.length
    await requestLink(app, m.email)
    expect(sink.received.length).toBe(before)
    expect((await api('POST', `/members/${member.id}/ban`, { reason: 'x' }, contributor.headers)).statusCode).toBe(403)
  })

  it('turns a thread into a ticket with the asker as requester and its accepted answer into a KB draft', async () => {
    const asker = await trustedMember()
    const q = await ask(asker, 'Refund for a double charge', 'I was charged twice for one order.')
    const topicId = topicIdOf(q.headers.location as string)
    const staffAnswer = (await api('POST', `/topics/${topicId}/answers`, { bodyHtml: '<p>We refund double charges within 3 days.</p>' })).json()
    expect(staffAnswer.author.kind).toBe('staff')
    expect((await app.inject({ method: 'GET', url: `/community/t/${topicId}-x` })).statusCode).toBe(301)
    expect((await api('POST', `/topics/${topicId}/kb-draft`)).statusCode).toBe(422)
    await form(app, `/community/posts/${staffAnswer.id}/accept`, {}, asker)

    const withTicket = (await api('POST', `/topics/${topicId}/ticket`)).json()
    expect(withTicket.ticketId).toBeGreaterThan(0)
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${withTicket.ticketId}`, headers: admin.headers })).json()
    const member = await app.ctx.db.selectFrom('communityMembers').select('contactId').where('email', '=', asker.email).executeTakeFirstOrThrow()
    expect(ticket.requester.id).toBe(member.contactId)
    const messages = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${withTicket.ticketId}/messages`, headers: admin.headers })).json()
    const first = (messages.items ?? messages)[0]
    expect(first.html).toContain(`/community/t/${topicId}-`)
    expect((await api('POST', `/topics/${topicId}/ticket`)).statusCode).toBe(409)
    expect((await app.inject({ method: 'GET', url: withTicket.url })).body).toContain('Our support team is handling this question')

    const withDraft = (await api('POST', `/topics/${topicId}/kb-draft`)).json()
    const article = (await app.inject({ method: 'GET', url: `/api/v1/kb/articles/${withDraft.kbArticleId}`, headers: admin.headers })).json()
    expect(article.status).toBe('draft')
    expect(article.title).toBe('Refund for a double charge')
    expect(article.bodyHtml).toContain('We refund double charges within 3 days.')
    expect(article.bodyHtml).toContain(`/community/t/${topicId}-`)

    const item = (
      await app.inject({ method: 'POST', url: '/api/v1/voc/items', headers: admin.headers, payload: { kind: 'pain_point', title: 'Double charges' } })
    ).json()
    expect((await api('POST', `/topics/${topicId}/voc-link`, { itemId: item.id })).json().vocItemId).toBe(item.id)
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/voc/items/${item.id}`, headers: admin.headers })).json()
    expect(JSON.stringify(detail)).toContain(String(withTicket.ticketId))
    expect((await api('POST', `/topics/${topicId}/ticket`, undefined, contributor.headers)).statusCode).toBe(403)
  })

  it('sanitizes hostile HTML in posts and serves pages without script', async () => {
    const m = await trustedMember()
    const q = await ask(m, 'Hostile question here', '<p>Hi</p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a>')
    const topicId = topicIdOf(q.headers.location as string)
    const [question] = await postsOf(topicId)
    expect(question!.bodyHtml).not.toMatch(/script|onerror|javascript:/i)
    const page = await app.inject({ method: 'GET', url: (q.headers.location as string).split('?')[0]! })
    expect(page.body).not.toMatch(/<script/i)
    expect(page.headers['content-security-policy']).toContain("script-src 'none'")
  })

  it('rate-limits questions and answers per client address; follows can be undone', async () => {
    const m = await trustedMember()
    const q = await ask(m, 'Rate limited question', 'Plain words.')
    const topicId = topicIdOf(q.headers.location as string)
    expect((await form(app, `/community/t/${topicId}/follow`, { follow: '0' }, m)).headers.location).toContain('notice=unfollowed')
    expect(await app.ctx.db.selectFrom('communityFollows').select('topicId').where('topicId', '=', topicId).execute()).toHaveLength(0)
    const ip = newIp()
    const codes: number[] = []
    for (let i = 0; i < 21; i++) codes.push((await form(app, `/community/t/${topicId}/answers`, { body: '' }, { cookie: m.cookie, ip })).statusCode)
    expect(codes.slice(0, 20).every((c) => c === 400)).toBe(true)
    expect(codes[20]).toBe(429)
  })

  it('lets admins manage categories', async () => {
    const created = (await api('POST', '/categories', { name: 'Transfers', description: 'Sending money' })).json()
    expect((await api('PATCH', `/categories/${created.id}`, { name: 'Transfers abroad' })).json().name).toBe('Transfers abroad')
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/community/categories/${created.id}`, headers: admin.headers })).statusCode).toBe(200)
    expect((await api('GET', '/categories', undefined, contributor.headers)).json().items.map((c: { name: string }) => c.name)).toEqual(['Cards'])
  })

  it('lists topics for staff and shows categories, profiles and sort tabs publicly', async () => {
    const list = (await api('GET', '/topics?sort=latest&limit=2')).json()
    expect(list.items).toHaveLength(2)
    expect(list.nextCursor).toBeTruthy()
    expect((await api('GET', `/topics?cursor=${list.nextCursor}&limit=2`)).json().items[0].id).not.toBe(list.items[0].id)
    expect((await api('GET', '/topics', undefined, contributor.headers)).statusCode).toBe(403)
    const home = await app.inject({ method: 'GET', url: '/community' })
    expect(home.body).toContain('Cards')
    expect(home.body).toContain('href="/help"')
    const unanswered = await app.inject({ method: 'GET', url: `/community/c/${category.id}?sort=unanswered` })
    expect(unanswered.body).toContain('aria-current="page" href="/community/c/')
    const member = await app.ctx.db.selectFrom('communityMembers').select('id').where('reputation', '>', 0).executeTakeFirstOrThrow()
    expect((await app.inject({ method: 'GET', url: `/community/u/${member.id}` })).body).toContain('reputation')
    expect((await app.inject({ method: 'GET', url: '/community/ask' })).headers.location).toBe('/community/login?returnTo=%2Fcommunity%2Fask')
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/community/categories/${category.id}`, headers: admin.headers })).statusCode).toBe(409)
  })
})
