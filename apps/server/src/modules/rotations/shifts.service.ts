import type { CreateShiftInput, CurrentShiftDto, MyShiftsDto, QuotaProgressDto, RotationKind, ShiftDto, ShiftListQuery } from '@allhands/contract'
import { DateTime } from 'luxon'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canEndShift, canManageRotations, canOfferShiftSwap, canStartShift, shiftAttendance } from '../../platform/policy.ts'
import { enqueueShiftReminder } from './jobs/remind-shift.ts'
import { shiftEvents } from './rotations.events.ts'
import { snippetsOf } from './rotations.queries.ts'

/** Shifts: the calendar, one's own shifts and quotas, starting and ending, and admins' single-shift edits. */

const MAX_RANGE_MS = 62 * 86_400_000
const MAX_SHIFTS = 2000

function shiftQuery(db: Executor) {
  return db
    .selectFrom('shifts')
    .innerJoin('users', 'users.id', 'shifts.userId')
    .leftJoin('rotations', 'rotations.id', 'shifts.rotationId')
    .select([
      'shifts.id',
      'shifts.rotationId',
      'shifts.userId',
      'shifts.startsAt',
      'shifts.endsAt',
      'shifts.startedAt',
      'shifts.endedAt',
      'shifts.reviewRequired',
      'users.name as userName',
      'rotations.name as rotationName',
      'rotations.kind as rotationKind',
    ])
}
type ShiftRow = Awaited<ReturnType<ReturnType<typeof shiftQuery>['execute']>>[number]

async function presentShifts(db: Executor, actor: Actor, rows: ShiftRow[]): Promise<ShiftDto[]> {
  const t = now()
  const open = rows.length
    ? await db
        .selectFrom('shiftSwaps')
        .select(['id', 'shiftId'])
        .where(
          'shiftId',
          'in',
          rows.map((r) => r.id),
        )
        .where('status', 'in', ['offered', 'awaiting_approval'])
        .execute()
    : []
  const swapOf = new Map(open.map((s) => [s.shiftId, s.id]))
  return rows.map((r) => ({
    id: r.id,
    rotation: r.rotationId !== null && r.rotationName !== null ? { id: r.rotationId, name: r.rotationName, kind: r.rotationKind as RotationKind } : null,
    user: { id: r.userId, name: r.userName },
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    reviewRequired: !!r.reviewRequired,
    attendance: shiftAttendance(r, t),
    canStart: canStartShift(actor, r, t),
    canEnd: canEndShift(actor, r, t),
    canSwap: canOfferShiftSwap(actor, r, t) && !swapOf.has(r.id),
    canRemove: canManageRotations(actor) && r.startedAt === null && r.endedAt === null,
    pendingSwapId: swapOf.get(r.id) ?? null,
  }))
}

async function getShiftRow(db: Executor, id: number): Promise<ShiftRow> {
  const row = await shiftQuery(db).where('shifts.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Shift', id)
  return row
}

export async function getShift(ctx: Ctx, actor: Actor, id: number): Promise<ShiftDto> {
  return (await presentShifts(ctx.db, actor, [await getShiftRow(ctx.db, id)]))[0]!
}

/** Who is on duty between two instants (at most 62 days), optionally for one rotation, person or team. */
export async function listShifts(ctx: Ctx, actor: Actor, q: ShiftListQuery): Promise<ShiftDto[]> {
  if (q.to <= q.from) throw badRequest('`to` must be after `from`')
  if (q.to - q.from > MAX_RANGE_MS) throw badRequest('The range covers at most 62 days')
  let query = shiftQuery(ctx.db).where('shifts.startsAt', '<', q.to).where('shifts.endsAt', '>', q.from)
  if (q.rotationId) query = query.where('shifts.rotationId', '=', q.rotationId)
  if (q.userId) query = query.where('shifts.userId', '=', q.userId)
  if (q.teamId) {
    const teamId = q.teamId
    query = query.where('shifts.userId', 'in', (eb) => eb.selectFrom('teamMembers').select('userId').where('teamId', '=', teamId))
  }
  const rows = await query.orderBy('shifts.startsAt').orderBy('shifts.id').limit(MAX_SHIFTS).execute()
  return presentShifts(ctx.db, actor, rows)
}

/** Progress towards each rotation's yearly quota: shifts attended in the rotation's current calendar year. */
async function quotasOf(db: Executor, userId: number, t: number): Promise<QuotaProgressDto[]> {
  const rotations = await db
    .selectFrom('rotations')
    .select(['id', 'name', 'timeZone', 'quotaPerYear'])
    .where('quotaPerYear', 'is not', null)
    .where('id', 'in', (eb) =>
      eb.selectFrom('shifts').select('rotationId').where('userId', '=', userId).where('rotationId', 'is not', null).$narrowType<{ rotationId: number }>(),
    )
    .orderBy('name')
    .execute()
  const out: QuotaProgressDto[] = []
  for (const r of rotations) {
    const year = DateTime.fromMillis(t, { zone: r.timeZone }).startOf('year')
    const shifts = await db
      .selectFrom('shifts')
      .select(['userId', 'startsAt', 'endsAt', 'startedAt', 'endedAt'])
      .where('userId', '=', userId)
      .where('rotationId', '=', r.id)
      .where('startsAt', '>=', year.toMillis())
      .where('startsAt', '<', year.plus({ years: 1 }).toMillis())
      .execute()
    const attended = shifts.filter((s) => {
      const a = shiftAttendance(s, t)
      return a === 'attended' || a === 'late' || a === 'ended_early' || (a === 'on_duty' && s.startedAt !== null)
    }).length
    out.push({ rotation: { id: r.id, name: r.name }, year: year.year, quota: r.quotaPerYear!, attended, scheduled: shifts.length })
  }
  return out
}

/** The signed-in person's current and next shifts, a short history and quota progress. */
export async function myShifts(ctx: Ctx, actor: Actor): Promise<MyShiftsDto> {
  const t = now()
  const upcomingRows = await shiftQuery(ctx.db)
    .where('shifts.userId', '=', actor.id)
    .where('shifts.endsAt', '>', t)
    .where('shifts.endedAt', 'is', null)
    .orderBy('shifts.startsAt')
    .limit(21)
    .execute()
  const recentRows = await shiftQuery(ctx.db)
    .where('shifts.userId', '=', actor.id)
    .where((eb) => eb.or([eb('shifts.endsAt', '<=', t), eb('shifts.endedAt', 'is not', null)]))
    .orderBy('shifts.startsAt', 'desc')
    .limit(10)
    .execute()
  const [upcoming, recent] = await Promise.all([presentShifts(ctx.db, actor, upcomingRows), presentShifts(ctx.db, actor, recentRows)])
  const current = upcoming.find((s) => s.attendance === 'on_duty') ?? null
  const future = upcoming.filter((s) => s !== current)
  return { current, next: future[0] ?? null, upcoming: future.slice(0, 20), recent, quotas: await quotasOf(ctx.db, actor.id, t) }
}

/** The shift the person is on now, as the core policy sees it, with its rotation's snippet set. */
export async function currentShiftOf(ctx: Ctx, actor: Actor): Promise<CurrentShiftDto> {
  const t = now()
  const row = await ctx.db
    .selectFrom('shifts')
    .leftJoin('rotations', 'rotations.id', 'shifts.rotationId')
    .select([
      'shifts.id',
      'shifts.rotationId',
      'shifts.startsAt',
      'shifts.endsAt',
      'shifts.endedAt',
      'shifts.reviewRequired',
      'rotations.name',
      'rotations.kind',
      'rotations.snippets',
    ])
    .where('shifts.userId', '=', actor.id)
    .where('shifts.endsAt', '>', t)
    .where((eb) => eb(eb.fn.coalesce('shifts.startedAt', 'shifts.startsAt'), '<=', t))
    .where((eb) => eb.or([eb('shifts.endedAt', 'is', null), eb('shifts.endedAt', '>', t)]))
    .orderBy('shifts.endsAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return { shift: null }
  return {
    shift: {
      id: row.id,
      rotationId: row.rotationId,
      rotationName: row.name,
      kind: (row.kind as RotationKind | null) ?? null,
      startsAt: row.startsAt,
      endsAt: row.endedAt ?? row.endsAt,
      reviewRequired: !!row.reviewRequired,
      snippets: row.snippets === null ? [] : snippetsOf({ snippets: row.snippets }),
    },
  }
}

/** Starts one's own shift: on time, or up to 30 minutes early (customer-facing rights begin then). */
export async function startShift(ctx: Ctx, actor: Actor, id: number): Promise<ShiftDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const s = await getShiftRow(trx, id)
    const t = now()
    if (s.userId !== actor.id) throw forbidden('start this shift', 'it is not yours')
    if (s.startedAt !== null || s.endedAt !== null) throw conflict('This shift was already started')
    if (!canStartShift(actor, s, t)) throw conflict(t >= s.endsAt ? 'This shift is over' : 'A shift can be started at most 30 minutes early')
    const done = await trx.updateTable('shifts').set({ startedAt: t }).where('id', '=', id).where('startedAt', 'is', null).executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw conflict('This shift was already started')
    for (const e of shiftEvents(id, [s.userId])) emit(e)
  })
  return getShift(ctx, actor, id)
}

/** Ends a shift now: customer-facing rights stop at once. The holder or an admin may end it. */
export async function endShift(ctx: Ctx, actor: Actor, id: number): Promise<ShiftDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const s = await getShiftRow(trx, id)
    const t = now()
    if (s.userId !== actor.id && !canManageRotations(actor)) throw forbidden('end this shift', 'it is not yours')
    if (s.endedAt !== null) throw conflict('This shift has already ended')
    if (!canEndShift(actor, s, t)) throw conflict(t >= s.endsAt ? 'This shift is over' : 'This shift has not started yet')
    await trx
      .updateTable('shifts')
      .set((eb) => ({ endedAt: t, startedAt: eb.fn.coalesce('startedAt', eb.val(s.startsAt)) }))
      .where('id', '=', id)
      .where('endedAt', 'is', null)
      .execute()
    if (s.userId !== actor.id)
      await recordAudit(trx, { actorId: actor.id, action: 'shift.ended_by_admin', targetType: 'shift', targetId: id, data: { userId: s.userId } })
    for (const e of shiftEvents(id, [s.userId])) emit(e)
  })
  return getShift(ctx, actor, id)
}

/** An admin adds a single shift (to a rotation or standalone). */
export async function createShift(ctx: Ctx, actor: Actor, input: CreateShiftInput): Promise<ShiftDto> {
  if (!canManageRotations(actor)) throw forbidden('add shifts')
  if (input.endsAt <= input.startsAt) throw unprocessable('A shift must end after it starts')
  if (input.endsAt - input.startsAt > 31 * 86_400_000) throw unprocessable('A shift lasts at most 31 days')
  const id = await inTransaction(ctx, async (trx, emit) => {
    const user = await trx.selectFrom('users').select(['id', 'isActive']).where('id', '=', input.userId).executeTakeFirst()
    if (!user?.isActive) throw unprocessable(`User ${input.userId} does not exist or is deactivated`)
    const rotation = input.rotationId
      ? await trx.selectFrom('rotations').select(['id', 'reviewRequired', 'reminderLeadMinutes']).where('id', '=', input.rotationId).executeTakeFirst()
      : null
    if (input.rotationId && !rotation) throw unprocessable(`Rotation ${input.rotationId} does not exist`)
    const row = await trx
      .insertInto('shifts')
      .values({
        rotationId: input.rotationId,
        userId: input.userId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        startedAt: null,
        endedAt: null,
        reviewRequired: (input.reviewRequired ?? !!rotation?.reviewRequired) ? 1 : 0,
        createdAt: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await enqueueShiftReminder(trx, { id: row.id, userId: input.userId, startsAt: input.startsAt }, rotation?.reminderLeadMinutes ?? 60)
    await recordAudit(trx, { actorId: actor.id, action: 'shift.added', targetType: 'shift', targetId: row.id, data: { ...input } })
    for (const e of shiftEvents(row.id, [input.userId])) emit(e)
    return row.id
  })
  return getShift(ctx, actor, id)
}

/** An admin removes a shift that has not started; a generated slot stays removed when the rotation regenerates. */
export async function deleteShift(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageRotations(actor)) throw forbidden('remove shifts')
  await inTransaction(ctx, async (trx, emit) => {
    const s = await trx.selectFrom('shifts').selectAll().where('id', '=', id).executeTakeFirst()
    if (!s) throw notFound('Shift', id)
    if (s.startedAt !== null || s.endedAt !== null) throw conflict('A shift that was started is part of the attendance record; end it instead')
    if (s.rotationId !== null && s.plannedUserId !== null)
      await trx
        .insertInto('shiftSkips')
        .values({ rotationId: s.rotationId, userId: s.plannedUserId, startsAt: s.startsAt })
        .onConflict((oc) => oc.doNothing())
        .execute()
    await trx.deleteFrom('shifts').where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'shift.removed',
      targetType: 'shift',
      targetId: id,
      data: { userId: s.userId, startsAt: s.startsAt, endsAt: s.endsAt },
    })
    for (const e of shiftEvents(id, [s.userId])) emit(e)
  })
}
