import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { seedKbDemo } from '../demo/kb.demo.ts'

describe('knowledge-base demo data', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent' })

  it('fills the help center with searchable articles, a translation, a review item and gaps', async () => {
    const world = { agents: [{ id: agent.id, name: 'a', teamIds: [] }], contributors: [], teams: {} as never, inboxes: [], contacts: [] }
    await seedKbDemo({ db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }, world)
    await seedKbDemo({ db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }, world)
    const home = await app.inject({ method: 'GET', url: '/help/en' })
    expect(home.body).toContain('Why was my card declined?')
    expect(home.body).not.toContain('agent playbook')
    const search = (await app.inject({ method: 'GET', url: '/api/v1/kb/public/search?q=declined+card&lang=en' })).json()
    expect(search.items[0].title).toBe('Why was my card declined?')
    const de = (await app.inject({ method: 'GET', url: '/api/v1/kb/public/search?q=karte&lang=de' })).json()
    expect(de.items.length).toBeGreaterThan(0)
    const review = (await app.inject({ method: 'GET', url: '/api/v1/kb/articles?status=in_review', headers: agent.headers })).json()
    expect(review.items).toHaveLength(1)
    const gaps = (await app.inject({ method: 'GET', url: '/api/v1/kb/gaps', headers: agent.headers })).json()
    expect(gaps.noResults[0]).toMatchObject({ query: 'apple pay', count: 4 })
    expect(gaps.unhelpful[0].article.title).toBe('How long does a transfer take?')
  })
})
