import type { RiskLevel, Role, TrustLevel, UserDto } from '@allhands/contract'
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely'
import { isPostgres } from '../../db/database.ts'
import type { DB } from '../../db/schema.ts'
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

/** The user columns an actor is made of. */
const ACTOR_USER_COLUMNS = ['users.id', 'users.name', 'users.email', 'users.role', 'users.isActive', 'users.trustLevel', 'users.clearance'] as const

/** A row of actorColumns. */
export type ActorRow = {
  id: number
  name: string
  email: string
  role: string
  isActive: number
  trustLevel: string
  clearance: string
  actorTeamIds: string | null
  actorCategoryIds: string | null
  actorShiftUntil: number | null
  actorShiftReviewRequired: number | null
}

/**
 * What an actor is made of, as columns of a select that has `users` in scope: the user's own, and as scalar subqueries
 * the teams, certifications and the shift on at `at`. Every authenticated request reads them with its session or
 * token in one statement (actorOfRow makes the actor).
 */
export function actorColumns(db: Executor, at: number) {
  // Ids as one comma-separated text: the two databases name the aggregate differently.
  const idList = (column: 'teamMembers.teamId' | 'certifications.categoryId') =>
    isPostgres(db) ? sql<string | null>`string_agg(CAST(${sql.ref(column)} AS text), ',')` : sql<string | null>`group_concat(${sql.ref(column)}, ',')`
  return (eb: ExpressionBuilder<DB, 'users'>) => [
    ...ACTOR_USER_COLUMNS,
    eb.selectFrom('teamMembers').select(idList('teamMembers.teamId').as('ids')).whereRef('teamMembers.userId', '=', 'users.id').$asScalar().as('actorTeamIds'),
    eb
      .selectFrom('certifications')
      .select(idList('certifications.categoryId').as('ids'))
      .whereRef('certifications.userId', '=', 'users.id')
      .$asScalar()
      .as('actorCategoryIds'),
    onShiftAt(eb.selectFrom('shifts').whereRef('shifts.userId', '=', 'users.id'), at)
      .select((s) => s.fn.coalesce('endedAt', 'endsAt').as('until'))
      .$asScalar()
      .as('actorShiftUntil'),
    onShiftAt(eb.selectFrom('shifts').whereRef('shifts.userId', '=', 'users.id'), at)
      .select('reviewRequired')
      .$asScalar()
      .as('actorShiftReviewRequired'),
  ]
}

const idsOf = (list: string | null) =>
  list
    ? list
        .split(',')
        .map(Number)
        .sort((a, b) => a - b)
    : []

/** The actor of an actorColumns row, or undefined when the user is deactivated. */
export function actorOfRow(row: ActorRow): Actor | undefined {
  if (!row.isActive) return undefined
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    teamIds: idsOf(row.actorTeamIds),
    trustLevel: row.trustLevel as TrustLevel,
    clearance: row.clearance as RiskLevel,
    certifiedCategoryIds: idsOf(row.actorCategoryIds),
    onShiftUntil: row.actorShiftUntil === null ? null : Number(row.actorShiftUntil),
    shiftReviewRequired: !!row.actorShiftReviewRequired,
  }
}

/** The actor for an active user id, or undefined when the user is gone or deactivated. */
export async function findActiveActor(db: Executor, userId: number): Promise<Actor | undefined> {
  const row = await db.selectFrom('users').select(actorColumns(db, now())).where('users.id', '=', userId).executeTakeFirst()
  return row ? actorOfRow(row) : undefined
}

/** Shifts on at `at` (started early or on time, not ended), the latest ending first, one. */
function onShiftAt<Q extends SelectQueryBuilder<DB, 'shifts' | 'users', object>>(q: Q, at: number) {
  return q
    .where('shifts.endsAt', '>', at)
    .where((eb) => eb(eb.fn.coalesce('shifts.startedAt', 'shifts.startsAt'), '<=', at))
    .where((eb) => eb.or([eb('shifts.endedAt', 'is', null), eb('shifts.endedAt', '>', at)]))
    .orderBy('shifts.endsAt', 'desc')
    .limit(1)
}

/** The shift a person is on at `at` (started early or on time, not ended; the latest ending if several), unselected. */
function shiftOnAt(db: Executor, userId: number, at: number) {
  return onShiftAt(db.selectFrom('shifts').where('userId', '=', userId), at)
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
