import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { createTestDatabase } from '../../../test/helpers.ts'
import { createSession, resolveSession } from '../auth/sessions.service.ts'
import { findActiveActor } from './users.queries.ts'

describe('the actor a request acts as', async () => {
  // A database of its own whose statements the test hears, so it can count them.
  const target = await createTestDatabase({ migrated: true })
  const statements: string[] = []
  const database = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, onQuery: (q) => statements.push(q.sql) })
  await migrateToLatest(database.db)
  const db = database.db
  afterAll(async () => {
    await database.close()
    await target.drop()
  })

  const t = Date.now()
  const user = await db
    .insertInto('users')
    .values({ email: 'actor@example.com', name: 'Ada Actor', role: 'contributor', passwordHash: null, isActive: 1, createdAt: t, updatedAt: t })
    .returning('id')
    .executeTakeFirstOrThrow()
  const teams = await db
    .insertInto('teams')
    .values([12, 3].map((n) => ({ name: `Team ${n}`, createdAt: t })))
    .returning('id')
    .execute()
  await db
    .insertInto('teamMembers')
    .values(teams.map((team) => ({ teamId: team.id, userId: user.id })))
    .execute()
  const category = await db.insertInto('categories').values({ name: 'Cards', keywords: '[]', createdAt: t }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('certifications').values({ userId: user.id, categoryId: category.id, source: 'manual', grantedById: null, createdAt: t }).execute()
  const shiftEnds = t + 3_600_000
  // One shift over, one on now (started early, review required), one later.
  await db
    .insertInto('shifts')
    .values([
      { rotationId: null, userId: user.id, startsAt: t - 7_200_000, endsAt: t - 3_600_000, startedAt: null, endedAt: null, reviewRequired: 0, createdAt: t },
      { rotationId: null, userId: user.id, startsAt: t + 60_000, endsAt: shiftEnds, startedAt: t - 60_000, endedAt: null, reviewRequired: 1, createdAt: t },
      { rotationId: null, userId: user.id, startsAt: t + 7_200_000, endsAt: t + 9_000_000, startedAt: null, endedAt: null, reviewRequired: 0, createdAt: t },
    ])
    .execute()

  const expected = {
    id: user.id,
    name: 'Ada Actor',
    role: 'contributor',
    teamIds: teams.map((team) => team.id).sort((a, b) => a - b),
    certifiedCategoryIds: [category.id],
    onShiftUntil: shiftEnds,
    shiftReviewRequired: true,
  }

  it('reads a session, its user, teams, certifications and current shift in one statement', async () => {
    const { sessionId } = await createSession(db, user.id, { ip: '127.0.0.1', userAgent: 'test' })
    statements.length = 0
    const session = await resolveSession(db, sessionId)
    expect(session?.actor).toMatchObject(expected)
    expect(statements.filter((s) => /^select/i.test(s.trim()))).toHaveLength(1)
  })

  it('finds an active user as an actor, and none once deactivated or without teams and shifts', async () => {
    expect(await findActiveActor(db, user.id)).toMatchObject(expected)
    const loner = await db
      .insertInto('users')
      .values({ email: 'loner@example.com', name: 'Lone', role: 'agent', passwordHash: null, isActive: 1, createdAt: t, updatedAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(await findActiveActor(db, loner.id)).toMatchObject({ teamIds: [], certifiedCategoryIds: [], onShiftUntil: null, shiftReviewRequired: false })
    await db.updateTable('users').set({ isActive: 0 }).where('id', '=', loner.id).execute()
    expect(await findActiveActor(db, loner.id)).toBeUndefined()
  })
})
