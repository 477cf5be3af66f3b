import type { JobDefinition } from '../../../platform/jobs.ts'
import { now } from '../../../platform/clock.ts'
import { runImport } from '../imports.run.ts'

/**
 * Imports one uploaded file in batches from its saved cursor. A retry (after a crash, a restart or an error)
 * continues where the last saved batch ended; a finished or cancelled import is left alone.
 */
export const runImportJob: JobDefinition<{ importId: number }> = {
  name: 'run-import',
  label: 'Run import',
  maxAttempts: 5,
  handle: (ctx, payload) => runImport(ctx, payload.importId),
  onDead: async (ctx, payload, error) => {
    await ctx.db
      .updateTable('imports')
      .set({ status: 'failed', error: `The import stopped: ${error}`.slice(0, 2000), finishedAt: now(), updatedAt: now() })
      .where('id', '=', payload.importId)
      .where('status', 'in', ['queued', 'running'])
      .execute()
  },
}
