import type { RiskLevel, Role, TrustLevel, UserDto } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import type { Actor } from '../../platform/actor.ts'

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export async function teamIdsOf(db: Executor, userIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>()
  if (!userIds.length) return out
  const rows = await db.selectFrom('teamMembers').select(['userId', 'teamId']).where('userId', 'in', userIds).execute()
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.teamId])
  return out
}

/** The actor for an active user id, or undefined when the user is gone or deactivated. */
export async function findActiveActor(db: Executor, userId: number): Promise<Actor | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'isActive', 'trustLevel', 'clearance'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!user?.isActive) return undefined
  const [teams, certs, shift] = await Promise.all([
    teamIdsOf(db, [user.id]),
    db.selectFrom('certifications').select('categoryId').where('userId', '=', user.id).execute(),
    currentShift(db, user.id, now()),
  ])
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role as Role,
    teamIds: teams.get(user.id) ?? [],
    trustLevel: user.trustLevel as TrustLevel,
    clearance: user.clearance as RiskLevel,
    certifiedCategoryIds: certs.map((c) => c.categoryId),
    onShiftUntil: shift?.until ?? null,
    shiftReviewRequired: !!shift?.reviewRequired,
  }
}

/** The shift a person is on at `at` (started early or on time, not ended), if any. */
export async function currentShift(db: Executor, userId: number, at: number) {
  const row = await db
    .selectFrom('shifts')
    .select(['id', 'endsAt', 'endedAt', 'reviewRequired'])
    .where('userId', '=', userId)
    .where('endsAt', '>', at)
    .where((eb) => eb(eb.fn.coalesce('startedAt', 'startsAt'), '<=', at))
    .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', at)]))
    .orderBy('endsAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { id: row.id, until: row.endedAt ?? row.endsAt, reviewRequired: row.reviewRequired } : undefined
}

type UserRow = { id: number; email: string; name: string; role: string; isActive: number; trustLevel: string; clearance: string; createdAt: number }
const USER_COLUMNS = ['id', 'email', 'name', 'role', 'isActive', 'trustLevel', 'clearance', 'createdAt'] as const
export const presentUser = (u: UserRow, teamIds: number[]): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as Role,
  isActive: !!u.isActive,
  teamIds,
  trustLevel: u.trustLevel as TrustLevel,
  clearance: u.clearance as RiskLevel,
  createdAt: u.createdAt,
})

export async function listUsers(db: Executor): Promise<UserDto[]> {
  const users = await db.selectFrom('users').select(USER_COLUMNS).orderBy('name').execute()
  const teams = await teamIdsOf(
    db,
    users.map((u) => u.id),
  )
  return users.map((u) => presentUser(u, teams.get(u.id) ?? []))
}

export async function getUserDto(db: Executor, id: number): Promise<UserDto | undefined> {
  const u = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst()
  if (!u) return undefined
  return presentUser(u, (await teamIdsOf(db, [id])).get(id) ?? [])
}
