import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { seedDemoWorkspace } from '../demo/seed-demo.ts'

describe('training demo data', async () => {
  const app = await buildTestApp()
  const database = { db: app.ctx.db, dialect: app.ctx.dialect, close: async () => {} }
  await seedDemoWorkspace(database, { tickets: 200, contacts: 60, longTickets: 0 })
  const login = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'demo-password' } })
    return { cookie: `allhands_session=${res.cookies.find((c) => c.name === 'allhands_session')?.value}` }
  }

  it('has a published Cards basics course with lessons, a quiz and an anonymized practice ticket', async () => {
    const ines = await login('ines@demo.allhands.test')
    const catalogue = (await app.inject({ method: 'GET', url: '/api/v1/courses', headers: ines })).json()
    const course = catalogue.items.find((c: { title: string }) => c.title === 'Cards basics')
    expect(course).toMatchObject({ published: true, lessonCount: 4, enrolled: true, doneCount: 2, category: { name: 'Cards' } })
    const full = (await app.inject({ method: 'GET', url: `/api/v1/courses/${course.id}`, headers: ines })).json()
    expect(full.lessons.map((l: { kind: string }) => l.kind)).toEqual(['lesson', 'lesson', 'quiz', 'practice'])
    expect(full.lessons.map((l: { state: string }) => l.state)).toEqual(['done', 'done', 'todo', 'todo'])
    expect(full.lessons[3].practice.messages.length).toBeGreaterThan(0)
  })

  it('has one person certified (clearance raised, audited) and a practice reply waiting for a grade', async () => {
    const hannah = await login('hannah@demo.allhands.test')
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: hannah })).json()
    expect(me.participation.clearance).toBe('medium')
    const certs = (await app.inject({ method: 'GET', url: '/api/v1/certifications', headers: hannah })).json().items
    expect(certs.map((c: { category: { name: string } }) => c.category.name)).toContain('Cards')
    const alex = await login('alex@demo.allhands.test')
    const queue = (await app.inject({ method: 'GET', url: '/api/v1/practice-attempts', headers: alex })).json().items
    expect(queue).toHaveLength(1)
    const owner = await login('owner@demo.allhands.test')
    const audit = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?action=user.certified', headers: owner })).json().items
    expect(audit).toHaveLength(1)
  })
})
