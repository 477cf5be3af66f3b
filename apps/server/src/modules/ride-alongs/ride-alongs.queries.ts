import type { RideAlongDto, RideAlongMessageDto, Role } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { teamIdsOf } from '../users/users.queries.ts'

const RIDE_COLUMNS = [
  'r.id',
  'r.followerId',
  'fr.name as followerName',
  'r.followedId',
  'fd.name as followedName',
  'r.startedAt',
  'r.endedAt',
  'r.endedById',
  'eb.name as endedByName',
] as const

function selectRides(db: Executor) {
  return db
    .selectFrom('rideAlongs as r')
    .innerJoin('users as fr', 'fr.id', 'r.followerId')
    .innerJoin('users as fd', 'fd.id', 'r.followedId')
    .leftJoin('users as eb', 'eb.id', 'r.endedById')
    .select(RIDE_COLUMNS)
}

type RideRow = Awaited<ReturnType<ReturnType<typeof selectRides>['executeTakeFirstOrThrow']>>

export const presentRideAlong = (r: RideRow): RideAlongDto => ({
  id: r.id,
  follower: { id: r.followerId, name: r.followerName },
  followed: { id: r.followedId, name: r.followedName },
  active: r.endedAt === null,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  endedBy: r.endedById !== null ? { id: r.endedById, name: r.endedByName ?? '' } : null,
})

export async function findRideAlong(db: Executor, id: number): Promise<RideAlongDto | undefined> {
  const row = await selectRides(db).where('r.id', '=', id).executeTakeFirst()
  return row && presentRideAlong(row)
}

export async function findActivePair(db: Executor, followerId: number, followedId: number) {
  return db
    .selectFrom('rideAlongs')
    .select('id')
    .where('followerId', '=', followerId)
    .where('followedId', '=', followedId)
    .where('endedAt', 'is', null)
    .executeTakeFirst()
}

/** A person's active ride-alongs, as follower and as followed. */
export async function listActiveRideAlongsOf(db: Executor, userId: number): Promise<RideAlongDto[]> {
  const rows = await selectRides(db)
    .where('r.endedAt', 'is', null)
    .where((eb) => eb.or([eb('r.followerId', '=', userId), eb('r.followedId', '=', userId)]))
    .orderBy('r.id', 'desc')
    .execute()
  return rows.map(presentRideAlong)
}

/** A person's ended ride-alongs, newest first, after the cursor id. */
export async function listEndedRideAlongsOf(db: Executor, userId: number, beforeId: number | null, limit: number): Promise<RideAlongDto[]> {
  let q = selectRides(db)
    .where('r.endedAt', 'is not', null)
    .where((eb) => eb.or([eb('r.followerId', '=', userId), eb('r.followedId', '=', userId)]))
  if (beforeId !== null) q = q.where('r.id', '<', beforeId)
  const rows = await q.orderBy('r.id', 'desc').limit(limit).execute()
  return rows.map(presentRideAlong)
}

export async function listAllActiveRideAlongs(db: Executor, limit: number): Promise<RideAlongDto[]> {
  const rows = await selectRides(db).where('r.endedAt', 'is', null).orderBy('r.startedAt').limit(limit).execute()
  return rows.map(presentRideAlong)
}

/** Who rides along with this person right now, with what each follower may see (role and teams). */
export async function listFollowersOf(
  db: Executor,
  followedId: number,
): Promise<{ rideAlongId: number; follower: { id: number; role: Role; teamIds: number[] } }[]> {
  const rows = await db
    .selectFrom('rideAlongs as r')
    .innerJoin('users as u', 'u.id', 'r.followerId')
    .select(['r.id', 'r.followerId', 'u.role'])
    .where('r.followedId', '=', followedId)
    .where('r.endedAt', 'is', null)
    .where('u.isActive', '=', 1)
    .execute()
  if (!rows.length) return []
  const teams = await teamIdsOf(
    db,
    rows.map((r) => r.followerId),
  )
  return rows.map((r) => ({ rideAlongId: r.id, follower: { id: r.followerId, role: r.role as Role, teamIds: teams.get(r.followerId) ?? [] } }))
}

export async function insertRideAlongMessage(db: Executor, m: { rideAlongId: number; authorId: number; body: string; createdAt: number }): Promise<number> {
  const row = await db.insertInto('rideAlongMessages').values(m).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** The side chat, oldest first, `limit` messages before the cursor id (the newest when no cursor). */
export async function listRideAlongMessages(db: Executor, rideAlongId: number, beforeId: number | null, limit: number): Promise<RideAlongMessageDto[]> {
  let q = db
    .selectFrom('rideAlongMessages as m')
    .innerJoin('users as u', 'u.id', 'm.authorId')
    .select(['m.id', 'm.rideAlongId', 'm.authorId', 'u.name as authorName', 'm.body', 'm.createdAt'])
    .where('m.rideAlongId', '=', rideAlongId)
  if (beforeId !== null) q = q.where('m.id', '<', beforeId)
  const rows = await q.orderBy('m.id', 'desc').limit(limit).execute()
  return rows
    .reverse()
    .map((r) => ({ id: r.id, rideAlongId: r.rideAlongId, author: { id: r.authorId, name: r.authorName }, body: r.body, createdAt: r.createdAt }))
}
