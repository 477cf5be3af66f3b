import type { ImportRowError } from '@allhands/contract'
import { IMPORT_LIMITS } from '@allhands/contract'
import { randomUUID } from 'node:crypto'
import { now } from '../../platform/clock.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { holdLease, releaseLease } from '../../platform/leases.ts'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { csvProcessor } from './imports.csv.ts'
import { helpdeskProcessor } from './imports.helpdesk.ts'
import { mailProcessor } from './imports.mail.ts'
import { findImportRow, type ImportRow, transitionImport } from './imports.queries.ts'
import { addToReport, type ImportProcessor, RowError, rowError } from './imports.source.ts'
import { runImportJob } from './jobs/run-import.ts'

export const IMPORTS_ROOM = 'imports'
export const DEFAULT_BATCH = 100
/**
 * One job run imports for about this long, then queues its continuation and returns: on SQLite one runner drains the
 * queue in order, and a long import must not hold back outgoing mail and the other jobs meanwhile.
 */
export const RUN_SLICE_MS = 20_000

const processorOf = (kind: string): ImportProcessor<any, any> =>
  kind === 'csv-contacts' || kind === 'csv-organizations' ? csvProcessor : kind === 'mbox' || kind === 'maildir' ? mailProcessor : helpdeskProcessor

export const publishImportChanged = (ctx: Ctx, importId: number) => ctx.realtime.publish({ name: 'import.changed', room: IMPORTS_ROOM, payload: { importId } })

/** Counts the records of the file (once, before the first batch) so the progress bar has an end. */
async function countRecords(ctx: Ctx, imp: ImportRow): Promise<number> {
  let n = 0
  for await (const _ of processorOf(imp.kind).read(ctx, imp, Number.POSITIVE_INFINITY)) n++
  return n
}

type Batch = { imported: number; updated: number; skipped: number; failed: number; errors: ImportRowError[]; report: Record<string, number> }
const emptyBatch = (): Batch => ({ imported: 0, updated: 0, skipped: 0, failed: 0, errors: [], report: {} })

/**
 * Runs an import from its saved cursor to the end, a batch at a time. After each batch the cursor, the counters, the
 * new row errors and the report are saved in one write and `import.changed` is published; a crash or restart
 * resumes after the last saved batch (records of a batch cut short are processed again, which is harmless: every
 * processor recognises what it imported before). A cancel is noticed between batches.
 * `stopAfterBatches` ends the run early as a crash would (tests); `sliceMs` overrides RUN_SLICE_MS.
 */
export async function runImport(ctx: Ctx, importId: number, opts: { batchSize?: number; stopAfterBatches?: number; sliceMs?: number } = {}): Promise<void> {
  const startedAt = performance.now()
  // One run at a time per import: a job retried after its worker stalled must not import the same rows alongside it.
  // The lease lasts as long as a job's, renewed after every batch, so a dead run's lease is gone when its job is retried.
  const lease = `import:${importId}`
  const holder = randomUUID()
  if (!(await holdLease(ctx.db, lease, holder, ctx.config.jobLeaseMs))) return
  let continueFrom: number | null = null
  try {
    continueFrom = await runLeased(ctx, importId, opts, startedAt, () => holdLease(ctx.db, lease, holder, ctx.config.jobLeaseMs))
  } finally {
    await releaseLease(ctx.db, lease, holder)
  }
  // Queued only once the lease is given up, so the follow-up job can take it at once.
  if (continueFrom !== null) await enqueueJob(ctx.db, runImportJob, { importId }, { idempotencyKey: `run-import:${importId}:${continueFrom}` })
}

async function runLeased(
  ctx: Ctx,
  importId: number,
  opts: { batchSize?: number; stopAfterBatches?: number; sliceMs?: number },
  startedAt: number,
  renew: () => Promise<boolean>,
): Promise<number | null> {
  if (!(await transitionImport(ctx.db, importId, ['queued', 'running'], 'running'))) return null
  let imp = (await findImportRow(ctx.db, importId))!
  if (imp.startedAt === null) await ctx.db.updateTable('imports').set({ startedAt: now() }).where('id', '=', importId).execute()
  publishImportChanged(ctx, importId)
  const processor = processorOf(imp.kind)
  const batchSize = opts.batchSize ?? DEFAULT_BATCH
  try {
    if (imp.total === null) {
      const total = await countRecords(ctx, imp)
      await ctx.db.updateTable('imports').set({ total, updatedAt: now() }).where('id', '=', importId).execute()
      imp = { ...imp, total }
    }
    const state = await processor.prepare(ctx, imp)
    let cursor = Number(imp.cursor)
    let batch = emptyBatch()
    let pending = 0
    let batches = 0
    let sliceOver = false
    const save = async (): Promise<boolean> => {
      const current = (await findImportRow(ctx.db, importId))!
      const errors = readJson<ImportRowError[]>(current.errors, [])
      const report = readJson<Record<string, number>>(current.report, {})
      addToReport(report, batch.report)
      await ctx.db
        .updateTable('imports')
        .set((eb) => ({
          cursor,
          imported: eb('imported', '+', batch.imported),
          updated: eb('updated', '+', batch.updated),
          skipped: eb('skipped', '+', batch.skipped),
          failed: eb('failed', '+', batch.failed),
          errorCount: eb('errorCount', '+', batch.errors.length),
          errors: writeJson([...errors, ...batch.errors].slice(0, IMPORT_LIMITS.errors)),
          report: writeJson(report),
          updatedAt: now(),
        }))
        .where('id', '=', importId)
        .execute()
      batch = emptyBatch()
      pending = 0
      batches++
      publishImportChanged(ctx, importId)
      if (current.status !== 'running' || (opts.stopAfterBatches && batches >= opts.stopAfterBatches)) return false
      if (!(await renew())) return false
      sliceOver = performance.now() - startedAt > (opts.sliceMs ?? RUN_SLICE_MS)
      return !sliceOver
    }
    for await (const unit of processor.read(ctx, imp, cursor)) {
      if (unit.index <= cursor) continue
      if (unit.error) {
        batch.failed++
        batch.errors.push(rowError(unit.index, unit.error))
      } else {
        try {
          const outcome = await processor.process(ctx, imp, state, { index: unit.index, value: unit.value })
          batch[outcome.result]++
          addToReport(batch.report, outcome.report)
        } catch (err) {
          if (!(err instanceof RowError)) throw err
          batch.failed++
          batch.errors.push(rowError(unit.index, err))
        }
      }
      cursor = unit.index
      if (++pending >= batchSize && !(await save())) return sliceOver ? cursor : null
    }
    // The last batch: a slice that ran out here has nothing left to continue.
    if (pending && !(await save()) && !sliceOver) return null
    await transitionImport(ctx.db, importId, ['running'], 'completed', { finishedAt: now() })
  } catch (err) {
    // The file as a whole could not be read (or the acting admin lost the role): stop with the reason.
    if (!(err instanceof AppError)) throw err
    await transitionImport(ctx.db, importId, ['running'], 'failed', { finishedAt: now(), error: err.message.slice(0, 2000) })
  }
  publishImportChanged(ctx, importId)
  return null
}
