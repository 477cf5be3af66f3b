import type { RiskLevel, Role, TrustLevel, UserDto } from '@allhands/contract'
import { sql } from 'kysely'
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

/** The user columns an actor is made of: sign-in reads them in the same query as the session or token. */
export const ACTOR_USER_COLUMNS = ['users.id', 'users.name', 'users.email', 'users.role', 'users.isActive', 'users.trustLevel', 'users.clearance'] as const
export type ActorUserRow = { id: number; name: string; email: string; role: string; isActive: number; trustLevel: string; clearance: string }

/** The actor for an active user id, or undefined when the user is gone or deactivated. */
export async function findActiveActor(db: Executor, userId: number): Promise<Actor | undefined> {
  const user = await db.selectFrom('users').select(ACTOR_USER_COLUMNS).where('id', '=', userId).executeTakeFirst()
  return user ? actorOfUser(db, user) : undefined
}

/** The actor for a user row already read (ACTOR_USER_COLUMNS), or undefined when the user is deactivated. */
export async function actorOfUser(db: Executor, user: ActorUserRow): Promise<Actor | undefined> {
  if (!user.isActive) return undefined
  // Teams, certifications and the current shift in one round trip: every authenticated request reads them.
  // Typed: PostgreSQL resolves the first two parts' column types before it meets the shift's.
  const noTime = sql<number | null>`CAST(NULL AS bigint)`
  const noFlag = sql<number | null>`CAST(NULL AS integer)`
  const rows = await db
    .selectFrom('teamMembers')
    .select(['teamId as id', sql.lit('team').as('kind'), noTime.as('until'), noFlag.as('reviewRequired')])
    .where('userId', '=', user.id)
    .unionAll(
      db
        .selectFrom('certifications')
        .select(['categoryId as id', sql.lit('certification').as('kind'), noTime.as('until'), noFlag.as('reviewRequired')])
        .where('userId', '=', user.id),
    )
    .unionAll(
      db
        .selectFrom(
          shiftOnAt(db, user.id, now())
            .select(['id', sql.lit('shift').as('kind'), (eb) => eb.fn.coalesce('endedAt', 'endsAt').as('until'), 'reviewRequired'])
            .as('shift'),
        )
        .selectAll(),
    )
    .execute()
  const shift = rows.find((r) => r.kind === 'shift')
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role as Role,
    teamIds: rows.filter((m) => m.kind === 'team').map((m) => m.id),
    trustLevel: user.trustLevel as TrustLevel,
    clearance: user.clearance as RiskLevel,
    certifiedCategoryIds: rows.filter((m) => m.kind === 'certification').map((m) => m.id),
    onShiftUntil: shift?.until === undefined || shift.until === null ? null : Number(shift.until),
    shiftReviewRequired: !!shift?.reviewRequired,
  }
}

/** The shift a person is on at `at` (started early or on time, not ended; the latest ending if several), unselected. */
function shiftOnAt(db: Executor, userId: number, at: number) {
  return db
    .selectFrom('shifts')
    .where('userId', '=', userId)
    .where('endsAt', '>', at)
    .where((eb) => eb(eb.fn.coalesce('startedAt', 'startsAt'), '<=', at))
    .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', at)]))
    .orderBy('endsAt', 'desc')
    .limit(1)
}

/** The shift a person is on at `at`, if any. */
export async function currentShift(db: Executor, userId: number, at: number) {
  const row = await shiftOnAt(db, userId, at).select(['id', 'endsAt', 'endedAt', 'reviewRequired']).executeTakeFirst()
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
