import { now } from '../../../platform/clock.ts'
import type { JobDefinition } from '../../../platform/jobs.ts'

/** Safety net for inbound mail: processes a stored raw message that the request handling did not finish. */
export const processInboundEmailJob: JobDefinition<{ inboundEmailId: number }> = {
  name: 'process-inbound-email',
  label: 'Process inbound email',
  maxAttempts: 5,
  async handle(ctx, { inboundEmailId }) {
    const { processInboundEmail } = await import('../email.inbound.service.ts')
    const row = await ctx.db.selectFrom('inboundEmails').select(['status', 'createdAt']).where('id', '=', inboundEmailId).executeTakeFirst()
    if (!row || row.status === 'processed') return
    // A row left "processing" by a crashed process is taken over once it is clearly abandoned.
    if (row.status === 'processing') {
      if (row.createdAt > now() - 5 * 60_000) throw new Error('still being processed elsewhere')
      await ctx.db.updateTable('inboundEmails').set({ status: 'received' }).where('id', '=', inboundEmailId).where('status', '=', 'processing').execute()
    }
    await processInboundEmail(ctx, inboundEmailId)
  },
}
