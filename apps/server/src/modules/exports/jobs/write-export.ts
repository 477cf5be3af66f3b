import type { ContactExportFilters, TicketExportFilters } from '@allhands/contract'
import { now } from '../../../platform/clock.ts'
import type { Ctx } from '../../../platform/context.ts'
import { enqueueJob, type JobDefinition } from '../../../platform/jobs.ts'
import { readJson } from '../../../platform/json.ts'
import { buildContactDataDocument } from '../../privacy/privacy.document.ts'
import { csvCell } from '../../reports/reports.csv.ts'
import { publishExportChanged } from '../exports.live.ts'
import { CONTACT_COLUMNS, contactBatch, countExportRows, type ExportRow, TICKET_COLUMNS, ticketBatch } from '../exports.rows.ts'

type Payload = { exportId: number }

/**
 * Rows per part, and parts per run: then the job queues its own continuation, so a million-row export never holds
 * the worker for long. Tests lower them to cross batch and run boundaries with a few rows.
 */
export const exportTuning = { batch: 2000, batchesPerRun: 25 }

const csvRow = (columns: string[], row: ExportRow) =>
  columns
    .map((c) => {
      const v = row[c]
      return csvCell(Array.isArray(v) ? v.join(', ') : v)
    })
    .join(',')

/**
 * Appends one part (a blob) and moves the export's cursor on, unless a run before a crash already did; then tells open
 * export pages the new row count.
 */
async function appendPart(ctx: Ctx, exportId: number, seq: number, text: string, progress: { cursor: string | null; rows: number; fromCursor: string | null }) {
  const bytes = Buffer.from(text, 'utf8')
  const blob = await ctx.blobs.put(bytes)
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('exportParts')
      .values({ exportId, seq, blobHash: blob.hash, size: blob.size })
      .onConflict((oc) => oc.columns(['exportId', 'seq']).doNothing())
      .execute()
    let q = trx
      .updateTable('exports')
      .set((eb) => ({ cursor: progress.cursor, rowCount: eb('rowCount', '+', progress.rows), size: eb('size', '+', blob.size) }))
      .where('id', '=', exportId)
    q = progress.fromCursor === null ? q.where('cursor', 'is', null) : q.where('cursor', '=', progress.fromCursor)
    await q.execute()
  })
  await publishExportChanged(ctx, exportId)
}

/**
 * Writes an export: a tickets or contacts list in keyset batches (a part per batch, resumed from the stored cursor
 * after a crash or when the job continues itself), or one contact's data document. Idempotent: parts are keyed by
 * sequence number and the cursor only moves from where this run found it.
 */
export const writeExportJob: JobDefinition<Payload> = {
  name: 'write-export',
  label: 'Write data export',
  maxAttempts: 5,
  async handle(ctx, { exportId }) {
    const exp = await ctx.db.selectFrom('exports').selectAll().where('id', '=', exportId).executeTakeFirst()
    if (!exp || exp.status === 'done' || exp.status === 'failed') return
    const last = await ctx.db
      .selectFrom('exportParts')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('exportId', '=', exportId)
      .executeTakeFirst()
    let seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1
    const finish = async () => {
      await ctx.db.updateTable('exports').set({ status: 'done', finishedAt: now() }).where('id', '=', exportId).execute()
      await publishExportChanged(ctx, exportId)
    }

    if (exp.kind === 'contact_data') {
      if (seq === 0) {
        const doc = await buildContactDataDocument(ctx, exp.contactId!)
        await appendPart(ctx, exportId, 0, `${JSON.stringify(doc, null, 2)}\n`, { cursor: 'end', rows: 1, fromCursor: null })
      }
      await finish()
      return
    }

    const kind = exp.kind as 'tickets' | 'contacts'
    const filters = readJson<TicketExportFilters & ContactExportFilters>(exp.filters, {})
    const columns = kind === 'tickets' ? TICKET_COLUMNS : CONTACT_COLUMNS
    const json = exp.format === 'json'
    if (exp.status === 'queued') {
      await ctx.db
        .updateTable('exports')
        .set({ status: 'running', totalEstimate: await countExportRows(ctx.db, kind, filters) })
        .where('id', '=', exportId)
        .execute()
      await publishExportChanged(ctx, exportId)
    }
    let cursor = exp.cursor
    let rowCount = Number(exp.rowCount)
    if (seq === 0) {
      await appendPart(ctx, exportId, seq++, json ? '[' : `${columns.join(',')}\r\n`, { cursor: '0', rows: 0, fromCursor: cursor })
      cursor = '0'
    }
    if (cursor === 'end') return void (await finish())
    for (let i = 0; i < exportTuning.batchesPerRun; i++) {
      const afterId = Number(cursor)
      const batch =
        kind === 'tickets' ? await ticketBatch(ctx.db, filters, afterId, exportTuning.batch) : await contactBatch(ctx.db, filters, afterId, exportTuning.batch)
      if (batch.lastId === null) {
        if (json) await appendPart(ctx, exportId, seq++, rowCount ? '\n]\n' : ']\n', { cursor: 'end', rows: 0, fromCursor: cursor })
        else await ctx.db.updateTable('exports').set({ cursor: 'end' }).where('id', '=', exportId).execute()
        await finish()
        return
      }
      const text = json
        ? `${rowCount ? ',\n' : '\n'}${batch.rows.map((r) => JSON.stringify(r)).join(',\n')}`
        : `${batch.rows.map((r) => csvRow(columns, r)).join('\r\n')}\r\n`
      await appendPart(ctx, exportId, seq++, text, { cursor: String(batch.lastId), rows: batch.rows.length, fromCursor: cursor })
      cursor = String(batch.lastId)
      rowCount += batch.rows.length
    }
    await enqueueJob(ctx.db, writeExportJob, { exportId }, { idempotencyKey: `export:${exportId}:${seq}` })
  },
  async onDead(ctx, { exportId }, error) {
    await ctx.db
      .updateTable('exports')
      .set({ status: 'failed', error: error.slice(0, 500), finishedAt: now() })
      .where('id', '=', exportId)
      .execute()
    await publishExportChanged(ctx, exportId)
  },
}
