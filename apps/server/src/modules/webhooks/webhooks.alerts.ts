import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { enqueueStaffEmail } from '../email/staff-email.ts'
import { notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'

/** Deliveries in a row that may fail for good before the webhook is turned off. */
export const FAILURES_TO_DISABLE = 20
/** …or how long every delivery may keep failing. */
export const FAILING_FOR_MS = 24 * 3_600_000

/** Why a webhook with these counters must be turned off now, or null while it may go on. */
export function autoDisableReason(w: { consecutiveFailures: number; failingSince: number | null }, at: number): string | null {
  if (w.consecutiveFailures >= FAILURES_TO_DISABLE) return `Turned off automatically after ${w.consecutiveFailures} failed deliveries in a row`
  if (w.failingSince !== null && at - w.failingSince >= FAILING_FOR_MS)
    return `Turned off automatically: every delivery failed for ${Math.floor((at - w.failingSince) / 3_600_000)} hours`
  return null
}

/**
 * Turns a webhook off for good reason (once, however many workers get here) and tells the admins and owners: an
 * in-app notification each and a staff email, all in the caller's transaction. Returns whether it was still on.
 */
export async function disableFailingWebhook(
  ctx: Ctx,
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  webhook: { id: number; url: string },
  reason: string,
  lastError: string | null,
): Promise<boolean> {
  const t = now()
  const res = await trx
    .updateTable('webhooks')
    .set({ enabled: 0, disabledReason: reason, disabledAt: t, updatedAt: t })
    .where('id', '=', webhook.id)
    .where('enabled', '=', 1)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  await recordAudit(trx, {
    actorId: null,
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: webhook.id,
    data: { url: webhook.url, reason, lastError },
  })
  const admins = await trx.selectFrom('users').select('id').where('role', 'in', ['owner', 'admin']).where('isActive', '=', 1).execute()
  const host = new URL(webhook.url).host
  const title = `Webhook to ${host} was turned off: its deliveries keep failing (Settings → Webhooks)`
  const settingsUrl = `${ctx.config.publicUrl}/settings/webhooks`
  for (const admin of admins) {
    const notificationId = await notify(trx, { userId: admin.id, kind: 'webhook_disabled', ticketId: null, actorId: null, title })
    emit(notificationEvent(admin.id, notificationId))
    await enqueueStaffEmail(trx, {
      userId: admin.id,
      subject: `Webhook to ${host} was turned off`,
      text: [
        `The webhook to ${webhook.url} was turned off.`,
        '',
        `${reason}.`,
        lastError ? `Last error: ${lastError}` : '',
        '',
        'Events are not sent to it until it is enabled again. Check the receiver, look at the delivery log and enable it under',
        settingsUrl,
      ]
        .filter((line, i, all) => line !== '' || all[i - 1] !== '')
        .join('\n'),
      idempotencyKey: `webhook-disabled:${webhook.id}:${t}:${admin.id}`,
    })
  }
  return true
}
