import type { OfferSwapInput, ShiftSwapDto, SwapAction } from '@allhands/contract'
import { DateTime } from 'luxon'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { canAcceptShiftSwap, canAdminister, canApproveShiftSwap, canCancelShiftSwap, canOfferShiftSwap } from '../../platform/policy.ts'
import { notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import { enqueueShiftReminder } from './jobs/remind-shift.ts'
import { shiftEvents } from './rotations.events.ts'

/**
 * Shift swaps: the holder (or an admin) offers a shift that has not started to a colleague; only that
 * colleague accepts or declines; when the rotation asks for approval an admin approves or rejects; then
 * the shift changes hands (audited) and the new holder is reminded in time.
 */

function swapQuery(db: Executor) {
  return db
    .selectFrom('shiftSwaps as w')
    .innerJoin('shifts as s', 's.id', 'w.shiftId')
    .leftJoin('rotations as r', 'r.id', 's.rotationId')
    .innerJoin('users as f', 'f.id', 'w.fromUserId')
    .innerJoin('users as t', 't.id', 'w.toUserId')
    .leftJoin('users as d', 'd.id', 'w.decidedById')
    .select([
      'w.id',
      'w.shiftId',
      'w.fromUserId',
      'w.toUserId',
      'w.status',
      'w.note',
      'w.decidedById',
      'w.createdAt',
      'w.decidedAt',
      's.startsAt',
      's.endsAt',
      's.userId as holderId',
      's.startedAt',
      's.endedAt',
      's.rotationId',
      'r.name as rotationName',
      'r.swapRequiresApproval',
      'r.reminderLeadMinutes',
      'f.name as fromName',
      't.name as toName',
      'd.name as decidedByName',
    ])
}
type SwapRow = Awaited<ReturnType<ReturnType<typeof swapQuery>['execute']>>[number]

const present = (actor: Actor, r: SwapRow): ShiftSwapDto => ({
  id: r.id,
  shift: { id: r.shiftId, startsAt: r.startsAt, endsAt: r.endsAt, rotationName: r.rotationName },
  from: { id: r.fromUserId, name: r.fromName },
  to: { id: r.toUserId, name: r.toName },
  status: r.status as ShiftSwapDto['status'],
  note: r.note,
  decidedBy: r.decidedById !== null ? { id: r.decidedById, name: r.decidedByName ?? '' } : null,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
  canAccept: canAcceptShiftSwap(actor, r),
  canApprove: canApproveShiftSwap(actor, r),
  canCancel: canCancelShiftSwap(actor, r),
})

async function getSwapRow(db: Executor, id: number): Promise<SwapRow> {
  const row = await swapQuery(db).where('w.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Shift swap', id)
  return row
}

/** Swaps that concern the person (offered by or to them); admins also see those awaiting approval. Newest first. */
export async function listSwaps(ctx: Ctx, actor: Actor): Promise<ShiftSwapDto[]> {
  const rows = await swapQuery(ctx.db)
    .where((eb) => {
      const mine = [eb('w.fromUserId', '=', actor.id), eb('w.toUserId', '=', actor.id)]
      return eb.or(canAdminister(actor) ? [...mine, eb('w.status', '=', 'awaiting_approval')] : mine)
    })
    .orderBy('w.createdAt', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => present(actor, r))
}

const when = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("d LLL HH:mm 'UTC'")

function tell(emit: (e: DomainEvent) => void, id: number, userIds: number[]) {
  for (const userId of new Set(userIds)) emit({ name: 'shift.changed', userId, payload: { swapId: id } })
}

export async function offerSwap(ctx: Ctx, actor: Actor, shiftId: number, input: OfferSwapInput): Promise<ShiftSwapDto> {
  const id = await inTransaction(ctx, async (trx, emit) => {
    const shift = await trx.selectFrom('shifts').selectAll().where('id', '=', shiftId).executeTakeFirst()
    if (!shift) throw notFound('Shift', shiftId)
    if (shift.userId !== actor.id && !canAdminister(actor)) throw forbidden('offer this shift', 'it is not yours')
    if (!canOfferShiftSwap(actor, shift, now())) throw conflict('Only a shift that has not started can be swapped')
    if (input.toUserId === shift.userId) throw unprocessable('Offer the shift to someone else')
    const to = await trx.selectFrom('users').select(['id', 'isActive']).where('id', '=', input.toUserId).executeTakeFirst()
    if (!to?.isActive) throw unprocessable(`User ${input.toUserId} does not exist or is deactivated`)
    const open = await trx
      .selectFrom('shiftSwaps')
      .select('id')
      .where('shiftId', '=', shiftId)
      .where('status', 'in', ['offered', 'awaiting_approval'])
      .executeTakeFirst()
    if (open) throw conflict('This shift is already offered', { swapId: open.id })
    const row = await trx
      .insertInto('shiftSwaps')
      .values({
        shiftId,
        fromUserId: shift.userId,
        toUserId: input.toUserId,
        status: 'offered',
        note: input.note?.trim() ?? '',
        decidedById: null,
        createdAt: now(),
        decidedAt: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const n = await notify(trx, {
      userId: input.toUserId,
      kind: 'shift_swap',
      ticketId: null,
      actorId: actor.id,
      title: `${actor.name} offers you a shift on ${when(shift.startsAt)}`,
    })
    emit(notificationEvent(input.toUserId, n))
    tell(emit, row.id, [shift.userId, input.toUserId])
    return row.id
  })
  return present(actor, await getSwapRow(ctx.db, id))
}

/** Moves the shift to the person it was offered to: audited, re-reminded, and the calendar told. */
async function handOver(trx: Executor, emit: (e: DomainEvent) => void, actor: Actor, w: SwapRow): Promise<void> {
  const moved = await trx
    .updateTable('shifts')
    .set({ userId: w.toUserId, remindedAt: null })
    .where('id', '=', w.shiftId)
    .where('userId', '=', w.fromUserId)
    .where('startedAt', 'is', null)
    .executeTakeFirst()
  if (Number(moved.numUpdatedRows) !== 1) throw conflict('The shift changed since it was offered')
  await enqueueShiftReminder(trx, { id: w.shiftId, userId: w.toUserId, startsAt: w.startsAt }, w.reminderLeadMinutes ?? 60)
  await recordAudit(trx, {
    actorId: actor.id,
    action: 'shift.swapped',
    targetType: 'shift',
    targetId: w.shiftId,
    data: { swapId: w.id, fromUserId: w.fromUserId, toUserId: w.toUserId, approved: !!w.swapRequiresApproval },
  })
  for (const e of shiftEvents(w.shiftId, [w.fromUserId, w.toUserId])) emit(e)
}

const NEXT: Record<SwapAction, string> = { accept: 'completed', decline: 'declined', approve: 'completed', reject: 'rejected', cancel: 'cancelled' }

export async function actOnSwap(ctx: Ctx, actor: Actor, id: number, action: SwapAction): Promise<ShiftSwapDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const w = await getSwapRow(trx, id)
    const t = now()
    const allowed =
      action === 'accept' || action === 'decline'
        ? canAcceptShiftSwap(actor, w)
        : action === 'cancel'
          ? canCancelShiftSwap(actor, w)
          : canApproveShiftSwap(actor, w)
    if (!allowed) {
      const mayAct =
        action === 'accept' || action === 'decline'
          ? w.toUserId === actor.id
          : action === 'cancel'
            ? w.fromUserId === actor.id || canAdminister(actor)
            : canAdminister(actor)
      if (!mayAct) throw forbidden(`${action} this swap`, action === 'accept' || action === 'decline' ? 'it was not offered to you' : undefined)
      throw conflict(`This swap is ${w.status.replace('_', ' ')}`)
    }
    if ((action === 'accept' || action === 'approve') && (w.startedAt !== null || w.startsAt <= t)) throw conflict('The shift has already started')
    let status = NEXT[action]
    if (action === 'accept') status = w.swapRequiresApproval ? 'awaiting_approval' : 'completed'
    const decided = status !== 'awaiting_approval'
    const updated = await trx
      .updateTable('shiftSwaps')
      .set({ status, decidedById: decided ? actor.id : null, decidedAt: decided ? t : null })
      .where('id', '=', id)
      .where('status', '=', w.status)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('This swap changed meanwhile; reload')
    if (status === 'completed') await handOver(trx, emit, actor, w)
    if (action === 'reject' || action === 'approve' || action === 'decline') {
      const n = await notify(trx, {
        userId: w.fromUserId,
        kind: 'shift_swap',
        ticketId: null,
        actorId: actor.id,
        title: `Your shift swap on ${when(w.startsAt)} was ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'declined'}`,
      })
      emit(notificationEvent(w.fromUserId, n))
    }
    tell(emit, id, [w.fromUserId, w.toUserId])
    if (status === 'awaiting_approval') emit({ name: 'shift.changed', room: 'rotations', payload: { swapId: id } })
  })
  return present(actor, await getSwapRow(ctx.db, id))
}
