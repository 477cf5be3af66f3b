import type { PageOf, RideAlongDto, RideAlongLiveDto, RideAlongMessageDto, Role } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canRideAlong } from '../../platform/policy.ts'
import { activityFor } from './ride-alongs.mirror.ts'
import { rideAlongChanged, rideAlongRoom } from './ride-alongs.events.ts'
import {
  findActivePair,
  findRideAlong,
  insertRideAlongMessage,
  listActiveRideAlongsOf,
  listEndedRideAlongsOf,
  listRideAlongMessages,
} from './ride-alongs.queries.ts'

const isParticipant = (actor: Pick<Actor, 'id'>, ride: RideAlongDto) => ride.follower.id === actor.id || ride.followed.id === actor.id

/** The ride-along if the actor is one of its two people; a third person is refused (admins too: the side chat is private). */
async function getOwnRideAlong(db: Executor, actor: Actor, id: number): Promise<RideAlongDto> {
  const ride = await findRideAlong(db, id)
  if (!ride) throw notFound('Ride-along', id)
  if (!isParticipant(actor, ride)) throw forbidden('see this ride-along', 'only its follower and the person followed may')
  return ride
}

/** Starts following a person's work; the followed person is told at once (banner) and the start is audited. */
export async function startRideAlong(ctx: Ctx, actor: Actor, followedUserId: number): Promise<RideAlongDto> {
  if (followedUserId === actor.id) throw unprocessable('You cannot ride along with yourself')
  const id = await inTransaction(ctx, async (trx, emit) => {
    const followed = await trx.selectFrom('users').select(['id', 'role', 'isActive']).where('id', '=', followedUserId).executeTakeFirst()
    if (!followed) throw notFound('User', followedUserId)
    if (!followed.isActive) throw unprocessable('This person is deactivated')
    if (!canRideAlong(actor, { id: followed.id, role: followed.role as Role, isActive: !!followed.isActive }))
      throw forbidden('ride along with this person', 'you may ride along with support agents; admins may follow anyone')
    const existing = await findActivePair(trx, actor.id, followedUserId)
    if (existing) throw conflict('You are already riding along with this person', { rideAlongId: existing.id })
    const row = await trx
      .insertInto('rideAlongs')
      .values({ followerId: actor.id, followedId: followedUserId, startedAt: now(), endedAt: null, endedById: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'ride_along.started',
      targetType: 'ride_along',
      targetId: row.id,
      data: { followerId: actor.id, followedId: followedUserId },
    })
    const ride = (await findRideAlong(trx, row.id))!
    for (const e of rideAlongChanged(ride)) emit(e)
    return row.id
  }).catch(async (err) => {
    // Two starts at once: the unique index lets one through; the other gets the same answer as a repeat.
    const existing = await findActivePair(ctx.db, actor.id, followedUserId)
    if (existing && !(err instanceof AppError)) throw conflict('You are already riding along with this person', { rideAlongId: existing.id })
    throw err
  })
  return (await findRideAlong(ctx.db, id))!
}

/** Ends a ride-along (either person may); ending an ended one changes nothing. */
export async function endRideAlong(ctx: Ctx, actor: Actor, id: number): Promise<RideAlongDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const ride = await getOwnRideAlong(trx, actor, id)
    if (!ride.active) return
    const res = await trx
      .updateTable('rideAlongs')
      .set({ endedAt: now(), endedById: actor.id })
      .where('id', '=', id)
      .where('endedAt', 'is', null)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) return
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'ride_along.ended',
      targetType: 'ride_along',
      targetId: id,
      data: { followerId: ride.follower.id, followedId: ride.followed.id },
    })
    for (const e of rideAlongChanged({ ...ride, active: false })) emit(e)
  })
  return (await findRideAlong(ctx.db, id))!
}

/** The actor's ride-alongs: all active ones first (as follower and as followed), then ended ones, newest first. */
export async function listMyRideAlongs(ctx: Ctx, actor: Actor, cursor: number | null, limit: number): Promise<PageOf<RideAlongDto>> {
  const active = cursor === null ? await listActiveRideAlongsOf(ctx.db, actor.id) : []
  const ended = await listEndedRideAlongsOf(ctx.db, actor.id, cursor, limit + 1)
  const page = ended.slice(0, limit)
  return { items: [...active, ...page], nextCursor: ended.length > limit ? String(page.at(-1)!.id) : null }
}

/** A ride-along with what the followed person is doing right now, filtered for the asking person. */
export async function getRideAlongLive(ctx: Ctx, actor: Actor, id: number): Promise<RideAlongLiveDto> {
  const ride = await getOwnRideAlong(ctx.db, actor, id)
  const activity = ride.active ? await activityFor(ctx, actor, ride.followed.id) : []
  return { rideAlong: ride, activity }
}

export async function listSideChat(ctx: Ctx, actor: Actor, id: number, cursor: number | null, limit: number): Promise<PageOf<RideAlongMessageDto>> {
  await getOwnRideAlong(ctx.db, actor, id)
  const rows = await listRideAlongMessages(ctx.db, id, cursor, limit + 1)
  const page = rows.length > limit ? rows.slice(1) : rows
  return { items: page, nextCursor: rows.length > limit ? String(page[0]!.id) : null }
}

/** Posts to the private side chat of an active ride-along; both people get it live. */
export async function postSideChat(ctx: Ctx, actor: Actor, id: number, body: string): Promise<RideAlongMessageDto> {
  const text = body.trim()
  if (!text) throw unprocessable('Write a message first')
  return inTransaction(ctx, async (trx, emit) => {
    const ride = await getOwnRideAlong(trx, actor, id)
    if (!ride.active) throw conflict('This ride-along has ended; its side chat is read-only')
    const createdAt = now()
    const messageId = await insertRideAlongMessage(trx, { rideAlongId: id, authorId: actor.id, body: text, createdAt })
    const message: RideAlongMessageDto = { id: messageId, rideAlongId: id, author: { id: actor.id, name: actor.name }, body: text, createdAt }
    emit({ name: 'ride_along.chat', room: rideAlongRoom(id), payload: { rideAlongId: id, message } })
    return message
  })
}

/** Room guard: `ride-along:<id>` is joinable by its two people while it is active. */
export async function mayJoinRideAlongRoom(db: Executor, actor: Actor, id: number): Promise<boolean> {
  const ride = await findRideAlong(db, id)
  return !!ride && ride.active && isParticipant(actor, ride)
}
