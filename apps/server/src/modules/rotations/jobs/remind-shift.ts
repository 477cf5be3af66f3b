import { DateTime } from 'luxon'
import { now } from '../../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { enqueueStaffEmail } from '../../email/staff-email.ts'
import { notify } from '../../tickets/messages.service.ts'
import { notificationEvent } from '../../tickets/tickets.events.ts'

/**
 * Reminds a person of their shift (in-app and by email) the rotation's lead time before it starts.
 * Sent once per shift: the shift row records the reminder, and the email carries a per-shift key.
 */
export const remindShiftJob: JobDefinition<{ shiftId: number }> = {
  name: 'remind-shift',
  label: 'Send shift reminder',
  maxAttempts: 3,
  handle: (ctx, payload) => remindShift(ctx, payload.shiftId),
}

/** Queues the reminder for a shift (at its start minus the lead time); the same shift, person and start queue once. */
export async function enqueueShiftReminder(db: Executor, shift: { id: number; userId: number; startsAt: number }, leadMinutes: number): Promise<void> {
  await enqueueJob(
    db,
    remindShiftJob,
    { shiftId: shift.id },
    { runAt: Math.max(now(), shift.startsAt - leadMinutes * 60_000), idempotencyKey: `shift-reminder:${shift.id}:${shift.userId}:${shift.startsAt}` },
  )
}

async function remindShift(ctx: Ctx, shiftId: number): Promise<void> {
  await inTransaction(ctx, async (trx, emit) => {
    const shift = await trx
      .selectFrom('shifts')
      .leftJoin('rotations', 'rotations.id', 'shifts.rotationId')
      .innerJoin('users', 'users.id', 'shifts.userId')
      .select([
        'shifts.id',
        'shifts.userId',
        'shifts.startsAt',
        'shifts.endsAt',
        'shifts.startedAt',
        'shifts.endedAt',
        'shifts.remindedAt',
        'shifts.reviewRequired',
        'rotations.name as rotationName',
        'rotations.timeZone',
        'rotations.reminderLeadMinutes',
        'users.isActive',
      ])
      .where('shifts.id', '=', shiftId)
      .executeTakeFirst()
    const t = now()
    // Gone, already reminded, already under way or over, or the person was deactivated: nothing to say.
    if (!shift || shift.remindedAt !== null || shift.startedAt !== null || shift.endedAt !== null || shift.endsAt <= t || !shift.isActive) return
    // The shift moved later since this job was queued: the reminder queued for the new start will speak.
    if (t < shift.startsAt - (shift.reminderLeadMinutes ?? 60) * 60_000 - 60_000) return
    const claimed = await trx.updateTable('shifts').set({ remindedAt: t }).where('id', '=', shiftId).where('remindedAt', 'is', null).executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) return
    const zone = shift.timeZone ?? 'UTC'
    const fmt = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("ccc d LLL, HH:mm '('ZZZZ')'")
    const what = shift.rotationName ?? 'support'
    // A shift created while already under way (an all-hands window switched on now) is an invitation, not a reminder.
    const title = shift.startsAt <= t ? `Your ${what} shift is on now, until ${fmt(shift.endsAt)}` : `Your ${what} shift starts ${fmt(shift.startsAt)}`
    const notificationId = await notify(trx, { userId: shift.userId, kind: 'shift_reminder', ticketId: null, actorId: null, title })
    emit(notificationEvent(shift.userId, notificationId))
    await enqueueStaffEmail(trx, {
      userId: shift.userId,
      subject: title,
      text: [
        `Your ${what} shift runs from ${fmt(shift.startsAt)} to ${fmt(shift.endsAt)}.`,
        'You can start it up to 30 minutes early from the home page or the Rotations page.',
        shift.reviewRequired ? 'During this shift your customer replies are reviewed before they are sent.' : '',
        `${ctx.config.publicUrl.replace(/\/$/, '')}/rotations`,
      ]
        .filter(Boolean)
        .join('\n\n'),
      idempotencyKey: `shift-reminder:${shift.id}:${shift.userId}`,
    })
  })
}
