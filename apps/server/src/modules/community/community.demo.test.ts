import { describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'
import { seedCommunityDemo } from './community.demo.ts'

describe('community demo data', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent', name: 'Demo Agent' })
  for (let i = 0; i < 4; i++) await buildTicket(app, agent)

  it('fills categories, twenty topics with answers, accepted answers, votes and a staff answer, once', async () => {
    const contacts = await app.ctx.db.selectFrom('contacts').select(['id', 'name', 'organizationId']).execute()
    const world = {
      agents: [{ id: agent.id, name: 'Demo Agent', teamIds: [] }],
      contributors: [],
      teams: {} as never,
      inboxes: [],
      contacts: contacts.map((c) => ({ ...c, plan: 'basic' })),
    }
    const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
    await seedCommunityDemo(database, world)
    await seedCommunityDemo(database, world)
    const topics = (await app.inject({ method: 'GET', url: '/api/v1/community/topics?limit=100', headers: agent.headers })).json().items
    expect(topics).toHaveLength(20)
    expect(topics.filter((t: { acceptedPostId: number | null }) => t.acceptedPostId).length).toBeGreaterThanOrEqual(8)
    const withStaff = topics.find((t: { title: string }) => t.title === 'How long does a replacement card take?')
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/community/topics/${withStaff.id}`, headers: agent.headers })).json()
    expect(detail.posts.some((p: { author: { kind: string } }) => p.author.kind === 'staff')).toBe(true)
    const page = await app.inject({ method: 'GET', url: withStaff.url })
    expect(page.body).toContain('Staff')
    expect(page.body).toContain('Accepted answer')
    const reputations = await app.ctx.db.selectFrom('communityMembers').select('reputation').execute()
    expect(reputations.some((m) => m.reputation > 0)).toBe(true)
    expect((await app.inject({ method: 'GET', url: '/community' })).body).toContain('Cards and payments')
  })
})
