import type { Role, UserDto } from '@allhands/contract'
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
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'isActive']).where('id', '=', userId).executeTakeFirst()
  if (!user?.isActive) return undefined
  const teams = await teamIdsOf(db, [user.id])
  return { id: user.id, name: user.name, email: user.email, role: user.role as Role, teamIds: teams.get(user.id) ?? [] }
}

type UserRow = { id: number; email: string; name: string; role: string; isActive: number; createdAt: number }
export const presentUser = (u: UserRow, teamIds: number[]): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as Role,
  isActive: !!u.isActive,
  teamIds,
  createdAt: u.createdAt,
})

export async function listUsers(db: Executor): Promise<UserDto[]> {
  const users = await db.selectFrom('users').select(['id', 'email', 'name', 'role', 'isActive', 'createdAt']).orderBy('name').execute()
  const teams = await teamIdsOf(
    db,
    users.map((u) => u.id),
  )
  return users.map((u) => presentUser(u, teams.get(u.id) ?? []))
}

export async function getUserDto(db: Executor, id: number): Promise<UserDto | undefined> {
  const u = await db.selectFrom('users').select(['id', 'email', 'name', 'role', 'isActive', 'createdAt']).where('id', '=', id).executeTakeFirst()
  if (!u) return undefined
  return presentUser(u, (await teamIdsOf(db, [id])).get(id) ?? [])
}
