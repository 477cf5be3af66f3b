import { now } from '../../../platform/clock.ts'
import type { Ctx } from '../../../platform/context.ts'
import { recurringJob } from '../../../platform/jobs.ts'

const MINUTE = 60_000
/** Mail stored but not routed this long after it arrived (or after its last claim) was interrupted by a crash. */
export const RECOVERY_DELAY_MS = 2 * MINUTE
/** A message still "processing" this long after its claim belongs to a process that died. */
export const ABANDONED_AFTER_MS = 5 * MINUTE
/** Claims after which a message that keeps being interrupted (it may crash the process) waits for an admin. */
export const MAX_CLAIMS = 5
const BATCH = 100

/**
 * Processes mail that was stored but never routed: the process died between keeping the raw bytes and recording the
 * outcome. The mail log's status is the queue (received or processing, indexed), so normal mail costs no job row.
 * A message interrupted MAX_CLAIMS times is marked failed and waits in the failed-mail view for a retry.
 */
export async function recoverInboundEmail(ctx: Ctx): Promise<number> {
  const { processInboundEmail } = await import('../email.inbound.service.ts')
  const t = now()
  const rows = await ctx.db
    .selectFrom('inboundEmails')
    .select(['id', 'status', 'attempts', 'createdAt', 'claimedAt'])
    .where('status', 'in', ['received', 'processing'])
    .orderBy('id')
    .limit(BATCH)
    .execute()
  let recovered = 0
  for (const row of rows) {
    const since = row.claimedAt ?? row.createdAt
    if (since > t - (row.status === 'processing' ? ABANDONED_AFTER_MS : RECOVERY_DELAY_MS)) continue
    if (row.attempts >= MAX_CLAIMS) {
      await ctx.db
        .updateTable('inboundEmails')
        .set({ status: 'failed', error: `Processing was interrupted ${row.attempts} times; retry it from the failed mail view` })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .execute()
      continue
    }
    if (row.status === 'processing')
      await ctx.db.updateTable('inboundEmails').set({ status: 'received' }).where('id', '=', row.id).where('status', '=', 'processing').execute()
    await processInboundEmail(ctx, row.id)
    recovered++
  }
  return recovered
}

/** Every minute: interrupted inbound mail is processed again (see recoverInboundEmail). */
export const { job: recoverInboundEmailJob, schedule: scheduleInboundRecovery } = recurringJob({
  name: 'recover-inbound-email',
  label: 'Recover interrupted inbound email',
  everyMs: MINUTE,
  async run(ctx) {
    await recoverInboundEmail(ctx)
  },
})
