import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { communityWorld, form, newIp, signIn, startCommunitySink, topicIdOf } from './community.test-helpers.ts'

describe('community search, similar questions and category counts', async () => {
  const sink = await startCommunitySink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const { category, api, ask, answer, postsOf, trustedMember } = await communityWorld(app, admin.headers, 'Payments')
  const search = (q: string, ip = newIp()) =>
    app.inject({ method: 'GET', url: `/community/search?q=${encodeURIComponent(q)}`, headers: { 'x-forwarded-for': ip } })

  const asker = await trustedMember()
  const helper = await trustedMember()
  const paying = topicIdOf((await ask(asker, 'Contactless payments fail abroad', 'My card is refused at terminals in Spain.')).headers.location as string)
  await answer(helper, paying, 'Enable international usage under Card settings.')
  const other = topicIdOf((await ask(asker, 'Where is my monthly statement?', 'I cannot find the PDF.')).headers.location as string)
  const newcomer = await signIn(app)
  const held = topicIdOf((await ask(newcomer, 'Contactless limit question', 'Is there a limit per payment?')).headers.location as string)
  const hidden = topicIdOf((await ask(asker, 'Contactless secret hidden topic', 'Moderators hid this one.')).headers.location as string)
  await api('PATCH', `/topics/${hidden}`, { status: 'hidden' })

  it('finds public topics by title and by answer text, ranked, and leaves out held and hidden topics', async () => {
    const res = await search('contactless')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-security-policy']).toContain("script-src 'none'")
    expect(res.body).toContain('Contactless payments fail abroad')
    expect(res.body).not.toContain('Contactless limit question')
    expect(res.body).not.toContain('Contactless secret hidden topic')
    expect(res.body).not.toContain('monthly statement')
    expect(res.body).toContain('value="contactless"')
    // Answer text is in the topic's document; stemming matches other forms of a word.
    expect((await search('international')).body).toContain('Contactless payments fail abroad')
    expect((await search('payment')).body).toContain('Contactless payments fail abroad')
    expect((await search('statements')).body).toContain('Where is my monthly statement?')
    expect((await search('zebra')).body).toContain('No topics match')
    // The search box is on every community page.
    expect((await app.inject({ method: 'GET', url: '/community' })).body).toContain('action="/community/search"')
  })

  it('tolerates typos: an unknown word becomes the closest word of the forum', async () => {
    const res = await search('contaktless abroad')
    expect(res.body).toContain('Showing results for <strong>contactless abroad</strong>')
    expect(res.body).toContain('Contactless payments fail abroad')
  })

  it('drops text that is no longer public: a hidden answer, a deleted question', async () => {
    await answer(helper, other, 'Statements live under Documents › Wombat archive.')
    expect((await search('wombat')).body).toContain('Where is my monthly statement?')
    const wombat = (await postsOf(other)).find((p) => p.bodyHtml.includes('Wombat'))!
    await api('POST', `/posts/${wombat.id}/reject`)
    expect((await search('wombat')).body).toContain('No topics match')
  })

  it('gives the staff desk the same search as a text filter, over every status', async () => {
    const all = (await api('GET', '/topics?q=contactless')).json()
    expect(all.items.map((t: { id: number }) => t.id).sort()).toEqual([paying, held, hidden].sort())
    expect(all.nextCursor).toBeNull()
    const visible = (await api('GET', '/topics?q=contaktless&status=visible')).json()
    expect(visible.items.map((t: { id: number }) => t.id)).toEqual([paying])
    expect((await api('GET', '/topics?q=contactless', undefined, contributor.headers)).statusCode).toBe(403)
  })

  it('shows similar questions on the ask page before anything is posted', async () => {
    const before = (await api('GET', '/topics?limit=200')).json().items.length
    const res = await form(
      app,
      '/community/ask',
      { categoryId: String(category.id), title: 'Why do contactless payments fail?', body: '', preview: '1' },
      asker,
    )
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Similar questions')
    expect(res.body).toContain('Contactless payments fail abroad')
    expect(res.body).not.toContain('Contactless secret hidden topic')
    expect(res.body).toContain('value="Why do contactless payments fail?"')
    expect((await api('GET', '/topics?limit=200')).json().items.length).toBe(before)
  })

  it('rate-limits searches per client address', async () => {
    const ip = newIp()
    const codes: number[] = []
    for (let i = 0; i < 61; i++) codes.push((await search('card', ip)).statusCode)
    expect(codes.slice(0, 60).every((c) => c === 200)).toBe(true)
    expect(codes[60]).toBe(429)
  })

  it('keeps category counts in step with the visible topics through approve, hide, move, merge and flag', async () => {
    const second = (await api('POST', '/categories', { name: 'Transfers' })).json()
    const member = await trustedMember()
    const a = topicIdOf((await ask(member, 'Counting topic number one', 'One.')).headers.location as string)
    const b = topicIdOf((await ask(member, 'Counting topic number two', 'Two.')).headers.location as string)
    await api('PATCH', `/topics/${a}`, { categoryId: second.id })
    await api('PATCH', `/topics/${b}`, { status: 'hidden' })
    await api('PATCH', `/topics/${b}`, { status: 'visible' })
    await api('POST', `/topics/${b}/merge`, { intoTopicId: a })
    const first = await signIn(app)
    const c = topicIdOf((await ask(first, 'Counting topic number three', 'Three.')).headers.location as string)
    await api('POST', `/posts/${(await postsOf(c))[0]!.id}/approve`)
    await form(app, `/community/posts/${(await postsOf(c))[0]!.id}/flag`, { reason: 'spam' }, member)
    const truth = await app.ctx.db
      .selectFrom('communityTopics')
      .select(['categoryId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'visible')
      .where('mergedIntoId', 'is', null)
      .groupBy('categoryId')
      .execute()
    const expected = new Map(truth.map((r) => [r.categoryId, Number(r.n)]))
    const listed = (await api('GET', '/categories')).json().items as { id: number; topicCount: number }[]
    for (const cat of listed) expect([cat.id, cat.topicCount]).toEqual([cat.id, expected.get(cat.id) ?? 0])
    expect(listed.find((x) => x.id === second.id)!.topicCount).toBe(1)
  })
})
