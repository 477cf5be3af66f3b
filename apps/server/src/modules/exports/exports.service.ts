import { Readable } from 'node:stream'
import type { ExportDto, ExportInput, PageOf } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { writeJson } from '../../platform/json.ts'
import { writeExportJob } from './jobs/write-export.ts'
import { canExportData } from './exports.policy.ts'
import { exportFileName, presentExport } from './exports.presenter.ts'
import { findExport, listExportParts, listExportRows } from './exports.queries.ts'

/** Inserts an export and queues its job in the caller's transaction; the job writes it in the background. */
export async function queueExport(
  trx: Executor,
  actor: Actor,
  e: { kind: 'tickets' | 'contacts' | 'contact_data'; format: 'csv' | 'json'; filters: Record<string, unknown>; contactId: number | null },
): Promise<number> {
  const row = await trx
    .insertInto('exports')
    .values({
      kind: e.kind,
      format: e.format,
      filters: writeJson(e.filters),
      contactId: e.contactId,
      status: 'queued',
      totalEstimate: null,
      cursor: null,
      error: null,
      requestedById: actor.id,
      createdAt: now(),
      finishedAt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueueJob(trx, writeExportJob, { exportId: row.id }, { idempotencyKey: `export:${row.id}:0` })
  return row.id
}

export async function getExport(ctx: Ctx, actor: Actor, id: number): Promise<ExportDto> {
  if (!canExportData(actor)) throw forbidden('see exports', 'only admins and owners do')
  const row = await findExport(ctx.db, id)
  if (!row) throw notFound('Export', id)
  return presentExport(row)
}

/** POST /exports: a tickets or contacts export as CSV or JSON, written by a background job (audited). */
export async function createExport(ctx: Ctx, actor: Actor, input: ExportInput): Promise<ExportDto> {
  if (!canExportData(actor)) throw forbidden('export data', 'only admins and owners do')
  const filters = (input.filters ?? {}) as Record<string, unknown> & { createdFrom?: number; createdTo?: number }
  if (filters.createdFrom !== undefined && filters.createdTo !== undefined && filters.createdFrom >= filters.createdTo)
    throw badRequest('`createdFrom` must be before `createdTo`')
  const id = await inTransaction(ctx, async (trx) => {
    const exportId = await queueExport(trx, actor, { kind: input.kind, format: input.format, filters, contactId: null })
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'export.created',
      targetType: 'export',
      targetId: exportId,
      data: { kind: input.kind, format: input.format, filters },
    })
    return exportId
  })
  return getExport(ctx, actor, id)
}

export async function listExports(ctx: Ctx, actor: Actor, q: { contactId?: number; cursor?: string; limit?: number }): Promise<PageOf<ExportDto>> {
  if (!canExportData(actor)) throw forbidden('see exports', 'only admins and owners do')
  const limit = q.limit ?? 25
  const after = decodeCursor(q.cursor, 1)
  const rows = await listExportRows(ctx.db, { contactId: q.contactId, beforeId: after ? Number(after[0]) : undefined, limit: limit + 1 })
  const items = rows.slice(0, limit).map(presentExport)
  return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null }
}

/** The finished file, streamed part after part (audited: who downloaded which export). */
export async function openExportDownload(ctx: Ctx, actor: Actor, id: number): Promise<{ fileName: string; contentType: string; size: number; body: Readable }> {
  if (!canExportData(actor)) throw forbidden('download exports', 'only admins and owners do')
  const row = await findExport(ctx.db, id)
  if (!row) throw notFound('Export', id)
  if (row.status !== 'done') throw conflict(`Export ${id} is not ready (${row.status})`)
  const parts = await listExportParts(ctx.db, id)
  await recordAudit(ctx.db, {
    actorId: actor.id,
    action: 'export.downloaded',
    targetType: 'export',
    targetId: id,
    data: { kind: row.kind, contactId: row.contactId },
  })
  async function* chunks() {
    for (const part of parts) for await (const chunk of ctx.blobs.stream(part.blobHash)) yield chunk as Buffer
  }
  return {
    fileName: exportFileName(row),
    contentType: row.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    size: Number(row.size),
    body: Readable.from(chunks()),
  }
}
