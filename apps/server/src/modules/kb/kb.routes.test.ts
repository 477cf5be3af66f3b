import { describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'

describe('knowledge base', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  const other = await buildUser(app, { role: 'contributor' })

  const call = async (as: { headers: Record<string, string> } | null, method: string, url: string, payload?: unknown) =>
    app.inject({ method: method as 'GET', url, headers: as?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) })
  const create = async (as: { headers: Record<string, string> }, body: Record<string, unknown>) => {
    const res = await call(as, 'POST', '/api/v1/kb/articles', body)
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }
  const publish = async (id: number) => {
    const res = await call(agent, 'POST', `/api/v1/kb/articles/${id}/publish`, {})
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  const category = (await call(admin, 'POST', '/api/v1/kb/categories', { name: 'Account', description: 'Your account' })).json()
  const section = (await call(agent, 'POST', '/api/v1/kb/sections', { categoryId: category.id, name: 'Sign-in' })).json()

  it('manages categories and sections for publishers only', async () => {
    expect((await call(contributor, 'POST', '/api/v1/kb/categories', { name: 'Nope' })).statusCode).toBe(403)
    expect((await call(contributor, 'POST', '/api/v1/kb/sections', { categoryId: category.id, name: 'Nope' })).statusCode).toBe(403)
    expect((await call(agent, 'POST', '/api/v1/kb/sections', { categoryId: 999999, name: 'Orphan' })).statusCode).toBe(400)
    const renamed = await call(agent, 'PATCH', `/api/v1/kb/sections/${section.id}`, { name: 'Signing in' })
    expect(renamed.json().name).toBe('Signing in')
    const extra = (await call(admin, 'POST', '/api/v1/kb/categories', { name: 'Temporary' })).json()
    const extraSection = (await call(admin, 'POST', '/api/v1/kb/sections', { categoryId: extra.id, name: 'Temp' })).json()
    const art = await create(agent, { title: 'Orphaned later', bodyHtml: '<p>x</p>', sectionId: extraSection.id })
    expect((await call(admin, 'DELETE', `/api/v1/kb/categories/${extra.id}`)).statusCode).toBe(200)
    expect((await call(agent, 'GET', `/api/v1/kb/articles/${art.id}`)).json().sectionId).toBeNull()
    const tree = (await call(contributor, 'GET', '/api/v1/kb/categories')).json()
    expect(tree.items.map((c: { name: string }) => c.name)).toEqual(['Account'])
    expect(tree.items[0].sections[0].name).toBe('Signing in')
  })

  it('holds a contributor draft for review, and only publishers publish', async () => {
    const draft = await create(contributor, { title: 'Reset your password', bodyHtml: '<p>Open settings.</p>', sectionId: section.id })
    expect(draft.status).toBe('draft')
    expect(draft.canPublish).toBe(false)
    expect((await call(contributor, 'POST', `/api/v1/kb/articles/${draft.id}/publish`, {})).statusCode).toBe(403)
    expect((await call(other, 'PATCH', `/api/v1/kb/articles/${draft.id}`, { title: 'Hijack' })).statusCode).toBe(403)
    const submitted = await call(contributor, 'POST', `/api/v1/kb/articles/${draft.id}/submit`)
    expect(submitted.json().status).toBe('in_review')
    expect((await call(contributor, 'POST', `/api/v1/kb/articles/${draft.id}/submit`)).statusCode).toBe(409)
    const queue = (await call(agent, 'GET', '/api/v1/kb/articles?status=in_review')).json()
    expect(queue.items.map((a: { id: number }) => a.id)).toContain(draft.id)
    const rejected = await call(agent, 'POST', `/api/v1/kb/articles/${draft.id}/reject`, { note: 'Add screenshots' })
    expect(rejected.json()).toMatchObject({ status: 'draft', reviewNote: 'Add screenshots' })
    await call(contributor, 'POST', `/api/v1/kb/articles/${draft.id}/submit`)
    const live = await publish(draft.id)
    expect(live.status).toBe('published')
    expect((await call(contributor, 'PATCH', `/api/v1/kb/articles/${draft.id}`, { title: 'Changed live' })).statusCode).toBe(403)
    expect((await call(contributor, 'POST', `/api/v1/kb/articles/${draft.id}/archive`)).statusCode).toBe(403)
  })

  it('keeps every saved version, diffs two and restores an old one as a new version', async () => {
    const a = await create(agent, { title: 'Change your email', bodyHtml: '<p>Go to profile.</p><p>Click email.</p>' })
    await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { bodyHtml: '<p>Go to profile.</p><p>Click the email field.</p>', note: 'clearer' })
    await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { title: 'Change your e-mail address' })
    const sameAgain = await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { title: 'Change your e-mail address' })
    expect(sameAgain.json().version).toBe(3)
    const versions = (await call(contributor, 'GET', `/api/v1/kb/articles/${a.id}/versions`)).json()
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1])
    expect(versions.items[1].note).toBe('clearer')
    const diff = (await call(agent, 'GET', `/api/v1/kb/articles/${a.id}/diff?from=1&to=3`)).json()
    expect(diff.body.filter((p: { added: boolean }) => p.added).map((p: { value: string }) => p.value.trim())).toEqual(['Click the email field.'])
    expect(diff.body.filter((p: { removed: boolean }) => p.removed).map((p: { value: string }) => p.value.trim())).toEqual(['Click email.'])
    expect(diff.title.some((p: { added: boolean; value: string }) => p.added && p.value.includes('e-mail'))).toBe(true)
    expect((await call(agent, 'GET', `/api/v1/kb/articles/${a.id}/diff?from=1&to=9`)).statusCode).toBe(404)
    const restored = (await call(agent, 'POST', `/api/v1/kb/articles/${a.id}/versions/1/restore`)).json()
    expect(restored).toMatchObject({ version: 4, title: 'Change your email' })
    expect(restored.bodyHtml).toContain('Click email.')
    const after = (await call(agent, 'GET', `/api/v1/kb/articles/${a.id}/versions`)).json()
    expect(after.items[0]).toMatchObject({ version: 4, note: 'Restored version 1' })
  })

  it('sanitizes article bodies: no script or event handler reaches any page', async () => {
    const a = await create(agent, {
      title: 'Hostile <b>title</b>',
      bodyHtml: '<p onclick="alert(1)">Safe text</p><script>alert(2)</script><img src="x" onerror="alert(3)"><a href="javascript:alert(4)">link</a>',
    })
    expect(a.bodyHtml).not.toMatch(/script|onerror|onclick|javascript:/i)
    await publish(a.id)
    const page = await call(null, 'GET', a.url)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Safe text')
    expect(page.body).not.toMatch(/<script|onerror|onclick|javascript:/i)
    expect(page.body).toContain('Hostile &lt;b&gt;title&lt;/b&gt;')
    expect(page.headers['content-security-policy']).toContain("script-src 'none'")
  })

  it('shows only published public articles to visitors; internal ones are 404 and deleted ones 410', async () => {
    const pub = await publish((await create(agent, { title: 'Two-factor sign-in', bodyHtml: '<p>Use your authenticator app.</p>', sectionId: section.id })).id)
    const internal = await publish((await create(agent, { title: 'Internal escalation path', bodyHtml: '<p>Call billing.</p>', visibility: 'internal' })).id)
    const draft = await create(agent, { title: 'Unfinished draft', bodyHtml: '<p>wip</p>' })
    expect((await call(null, 'GET', pub.url)).statusCode).toBe(200)
    expect((await call(null, 'GET', internal.url)).statusCode).toBe(404)
    expect((await call(null, 'GET', draft.url)).statusCode).toBe(404)
    expect((await call(null, 'GET', `/api/v1/kb/public/articles/${internal.id}`)).statusCode).toBe(404)
    const home = await call(null, 'GET', '/help/en')
    expect(home.body).toContain('Two-factor sign-in')
    expect(home.body).not.toContain('Internal escalation path')
    expect(home.body).not.toContain('Unfinished draft')
    const list = (await call(null, 'GET', '/api/v1/kb/public/articles?lang=en')).json()
    expect(list.items.map((i: { title: string }) => i.title)).not.toContain('Internal escalation path')
    // the slug is decoration: a stale one redirects to the canonical path
    const stale = await call(null, 'GET', `/help/en/articles/${pub.id}-old-title`)
    expect(stale.statusCode).toBe(301)
    expect(stale.headers.location).toBe(pub.url)
    // a cached page revalidates
    const first = await call(null, 'GET', pub.url)
    const again = await app.inject({ method: 'GET', url: pub.url, headers: { 'if-none-match': String(first.headers.etag) } })
    expect(again.statusCode).toBe(304)
    expect((await call(contributor, 'DELETE', `/api/v1/kb/articles/${pub.id}`)).statusCode).toBe(403)
    expect((await call(agent, 'DELETE', `/api/v1/kb/articles/${pub.id}`)).statusCode).toBe(200)
    const gone = await call(null, 'GET', pub.url)
    expect(gone.statusCode).toBe(410)
    expect(gone.body).toContain('was removed')
    expect((await call(agent, 'GET', `/api/v1/kb/articles/${pub.id}/insert`)).statusCode).toBe(404)
  })

  it('links translations and picks the language from Accept-Language', async () => {
    await call(admin, 'PUT', '/api/v1/kb/settings', { title: 'Help', logoUrl: null, primaryColor: '#112233', accentColor: '#445566', languages: ['en', 'de'] })
    const en = await publish((await create(agent, { title: 'Delete your account', bodyHtml: '<p>Settings, then delete.</p>', sectionId: section.id })).id)
    const de = await create(agent, { title: 'Konto löschen', bodyHtml: '<p>Einstellungen, dann löschen.</p>', lang: 'de', translationOf: en.id })
    expect(de.sectionId).toBe(section.id)
    expect((await call(agent, 'POST', '/api/v1/kb/articles', { title: 'Dup', bodyHtml: 'x', lang: 'de', translationOf: en.id })).statusCode).toBe(409)
    await publish(de.id)
    expect((await call(agent, 'GET', `/api/v1/kb/articles/${en.id}`)).json().translations).toEqual([
      { id: de.id, lang: 'de', title: 'Konto löschen', status: 'published' },
    ])
    const redirect = await app.inject({ method: 'GET', url: '/help', headers: { 'accept-language': 'fr-FR,de;q=0.8,en;q=0.5' } })
    expect(redirect.statusCode).toBe(302)
    expect(redirect.headers.location).toBe('/help/de')
    expect((await app.inject({ method: 'GET', url: '/help', headers: { 'accept-language': 'ja' } })).headers.location).toBe('/help/en')
    const page = await call(null, 'GET', en.url)
    expect(page.body).toContain(`hreflang="de" lang="de">Deutsch</a>`)
    expect(page.body).toContain(`href="${de.url}"`)
    expect(page.body).toContain('--hc-primary:#112233')
    const dePage = await call(null, 'GET', de.url)
    expect(dePage.body).toContain('<html lang="de">')
    const pub = (await call(null, 'GET', `/api/v1/kb/public/articles/${en.id}`)).json()
    expect(pub.translations).toEqual([{ id: de.id, lang: 'de', url: de.url }])
    expect(
      (
        await call(admin, 'PUT', '/api/v1/kb/settings', {
          title: 'x',
          logoUrl: 'javascript:alert(1)',
          primaryColor: 'red;}',
          accentColor: '#fff',
          languages: ['en'],
        })
      ).statusCode,
    ).toBe(400)
    await call(admin, 'PUT', '/api/v1/kb/settings', { title: 'Help', logoUrl: null, primaryColor: '#112233', accentColor: '#445566', languages: ['en'] })
  })

  it('ranks search results, tolerates typos and logs searches without results as gaps', async () => {
    await publish((await create(agent, { title: 'Passcode requirements', bodyHtml: '<p>A passcode needs twelve characters.</p>' })).id)
    await publish((await create(agent, { title: 'Billing history', bodyHtml: '<p>Your invoices and the passcode of the billing portal.</p>' })).id)
    const ranked = (await call(null, 'GET', '/api/v1/kb/public/search?q=passcode&lang=en')).json()
    expect(ranked.items[0].title).toBe('Passcode requirements')
    expect(ranked.items.map((i: { title: string }) => i.title)).toContain('Billing history')
    const typo = (await call(null, 'GET', '/api/v1/kb/public/search?q=pascode&lang=en')).json()
    expect(typo.correctedQuery).toBe('passcode')
    expect(typo.items[0].title).toBe('Passcode requirements')
    const html = await call(null, 'GET', '/help/search?q=pascode+requirments&lang=en')
    expect(html.body).toContain('Passcode requirements')
    expect(html.body).toContain('Showing results for')
    const staff = (await call(agent, 'GET', '/api/v1/kb/search?q=escalation')).json()
    expect(staff.items.map((i: { title: string }) => i.title)).toContain('Internal escalation path')
    const visitors = (await call(null, 'GET', '/api/v1/kb/public/search?q=escalation&lang=en')).json()
    expect(visitors.items).toEqual([])
    await call(null, 'GET', '/help/search?q=quantum+teleport&lang=en')
    await call(null, 'GET', '/help/search?q=Quantum+teleport&lang=en')
    expect((await call(contributor, 'GET', '/api/v1/kb/gaps')).statusCode).toBe(403)
    const gaps = (await call(agent, 'GET', '/api/v1/kb/gaps')).json()
    expect(gaps.noResults).toContainEqual(expect.objectContaining({ query: 'quantum teleport', lang: 'en', count: 2 }))
  })

  it('records votes with comments, lists unhelpful articles and rate-limits voting', async () => {
    const a = await publish((await create(agent, { title: 'Export your data', bodyHtml: '<p>Use the export button.</p>' })).id)
    const yes = await app.inject({
      method: 'POST',
      url: `/help/en/articles/${a.id}/vote`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=yes',
    })
    expect(yes.statusCode).toBe(303)
    expect(yes.headers.location).toBe(`${a.url}?voted=yes#vote`)
    const no = await call(null, 'POST', `/api/v1/kb/public/articles/${a.id}/votes`, { helpful: false, comment: 'Where is <b>the</b> button?' })
    expect(no.statusCode).toBe(201)
    const after = (await call(agent, 'GET', `/api/v1/kb/articles/${a.id}`)).json()
    expect(after).toMatchObject({ helpfulCount: 1, unhelpfulCount: 1 })
    const gaps = (await call(agent, 'GET', '/api/v1/kb/gaps')).json()
    const entry = gaps.unhelpful.find((u: { article: { id: number } }) => u.article.id === a.id)
    expect(entry.comments[0].comment).toBe('Where is <b>the</b> button?')
    expect((await call(null, 'POST', `/api/v1/kb/public/articles/999999/votes`, { helpful: true })).statusCode).toBe(404)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await call(null, 'POST', `/api/v1/kb/public/articles/${a.id}/votes`, { helpful: true })).statusCode)
    expect(statuses).toContain(429)
  })

  it('suggests articles for a ticket and gives the composer a link and the text', async () => {
    const a = await publish((await create(agent, { title: 'Card declined at checkout', bodyHtml: '<p>When a card is declined, check the limit.</p>' })).id)
    const ticket = await buildTicket(app, agent, { subject: 'My card got declined', body: 'The shop declined my card yesterday.' })
    const suggestions = (await call(agent, 'GET', `/api/v1/kb/suggestions?ticketId=${ticket.id}`)).json()
    expect(suggestions.items[0].id).toBe(a.id)
    expect((await call(other, 'GET', `/api/v1/kb/suggestions?ticketId=${ticket.id}`)).statusCode).toBe(404)
    const insert = (await call(agent, 'GET', `/api/v1/kb/articles/${a.id}/insert`)).json()
    expect(insert.url).toMatch(new RegExp(`^https?://.+/help/en/articles/${a.id}-card-declined-at-checkout$`))
    expect(insert.bodyHtml).toContain('check the limit')
    const draft = await create(agent, { title: 'Not yet', bodyHtml: '<p>x</p>' })
    expect((await call(agent, 'GET', `/api/v1/kb/articles/${draft.id}/insert`)).statusCode).toBe(409)
  })
})
