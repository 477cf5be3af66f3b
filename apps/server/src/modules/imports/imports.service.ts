import {
  IMPORT_KINDS,
  type ImportDto,
  type ImportKind,
  type ImportListQuery,
  type ImportPage,
  type ImportPreview,
  type StartImportInput,
} from '@allhands/contract'
import { recordBlob } from '../../platform/blob-rows.ts'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { writeJson } from '../../platform/json.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { listCustomFields } from '../custom-fields/custom-fields.service.ts'
import { previewCsv, validateMapping } from './imports.csv.ts'
import { isZip, listMaildirZip } from './imports.mail.ts'
import { canManageImports } from './imports.policy.ts'
import { presentImports } from './imports.presenter.ts'
import { findImportRow, listImportRows, readMapping, transitionImport, writeMapping } from './imports.queries.ts'
import { publishImportChanged } from './imports.run.ts'
import { runImportJob } from './jobs/run-import.ts'

const isCsv = (kind: string) => kind === 'csv-contacts' || kind === 'csv-organizations'
const needsInbox = (kind: string) => kind !== 'csv-contacts' && kind !== 'csv-organizations'

function assertAdmin(actor: Actor) {
  if (!canManageImports(actor)) throw forbidden('run imports', 'only admins and owners do')
}

async function getRow(ctx: Ctx, id: number) {
  const row = await findImportRow(ctx.db, id)
  if (!row) throw notFound('Import', id)
  return row
}

export async function getImport(ctx: Ctx, actor: Actor, id: number): Promise<ImportDto> {
  assertAdmin(actor)
  return (await presentImports(ctx.db, [await getRow(ctx, id)]))[0]!
}

export async function listImports(ctx: Ctx, actor: Actor, query: ImportListQuery): Promise<ImportPage> {
  assertAdmin(actor)
  const limit = query.limit ?? 20
  const after = decodeCursor(query.cursor, 1)
  const rows = await listImportRows(ctx.db, { before: after ? Number(after[0]) : null, limit })
  const page = rows.slice(0, limit)
  return { items: await presentImports(ctx.db, page), nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null }
}

/** What the kind of a file is, from the kind the admin picked; refuses what cannot be that kind at all. */
async function checkFile(kind: ImportKind, filename: string, bytes: Buffer) {
  const head = bytes.subarray(0, 4)
  const zip = isZip(bytes)
  if (zip && kind !== 'maildir') throw unprocessable('Zip archives are for maildir imports only: upload mbox files as they are, and exports as .json')
  if (kind === 'maildir') {
    const gzip = head[0] === 0x1f && head[1] === 0x8b
    const tar = bytes.length > 262 && bytes.subarray(257, 262).toString('latin1') === 'ustar'
    if (!gzip && !tar && !zip) throw unprocessable(`${filename} is not a .zip, .tar or .tar.gz archive of a maildir`)
    // A zip's central directory is read now (nothing is unpacked): a damaged archive or an unsafe name is refused at upload.
    if (zip) {
      const listed = await listMaildirZip(bytes).catch((err: unknown) => {
        throw unprocessable(`${filename} could not be read as a zip archive: ${err instanceof Error ? err.message : String(err)}`)
      })
      if (!listed.entries.length) throw unprocessable(`${filename} holds no maildir messages (files under cur/ or new/)`)
    }
  }
  if (kind === 'mbox' && !bytes.subarray(0, 5).equals(Buffer.from('From ')))
    throw unprocessable(`${filename} is not an mbox file: it must start with a "From " line`)
  if (
    (kind === 'zendesk' || kind === 'freshdesk') &&
    !/^\s*[[{]/.test(
      bytes
        .subarray(0, 64)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    )
  )
    throw unprocessable(`${filename} is not a JSON export`)
}

/** Stores an uploaded file as a new import (status uploaded). CSV imports then show a preview; others can start at once. */
export async function createImport(
  ctx: Ctx,
  actor: Actor,
  input: { kind: string; filename: string; bytes: Buffer; inboxId?: number | null },
): Promise<ImportDto> {
  assertAdmin(actor)
  if (!IMPORT_KINDS.includes(input.kind as ImportKind)) throw unprocessable(`Choose the kind of import: ${IMPORT_KINDS.join(', ')}`)
  const kind = input.kind as ImportKind
  if (!input.bytes.length) throw unprocessable('The file is empty')
  await checkFile(kind, input.filename, input.bytes)
  if (input.inboxId && !(await ctx.db.selectFrom('inboxes').select('id').where('id', '=', input.inboxId).executeTakeFirst()))
    throw unprocessable(`Inbox ${input.inboxId} does not exist`)
  const blob = await ctx.blobs.put(input.bytes)
  const { hash, size } = blob
  const t = now()
  const id = await ctx.db.transaction().execute(async (trx) => {
    await recordBlob(trx, blob)
    const row = await trx
      .insertInto('imports')
      .values({
        kind,
        status: 'uploaded',
        filename: input.filename.slice(0, 255) || 'upload',
        blobHash: hash,
        size,
        inboxId: input.inboxId ?? null,
        mapping: writeMapping({}),
        total: null,
        errors: writeJson([]),
        report: writeJson({}),
        error: null,
        createdById: actor.id,
        createdAt: t,
        startedAt: null,
        finishedAt: null,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'import.uploaded',
      targetType: 'import',
      targetId: row.id,
      data: { kind, filename: input.filename, size },
    })
    return row.id
  })
  publishImportChanged(ctx, id)
  return getImport(ctx, actor, id)
}

export async function previewImport(ctx: Ctx, actor: Actor, id: number): Promise<ImportPreview> {
  assertAdmin(actor)
  const row = await getRow(ctx, id)
  if (!isCsv(row.kind)) throw unprocessable('Only CSV imports have a column preview')
  try {
    return await previewCsv(ctx, row)
  } catch (err) {
    throw unprocessable(`Could not read the CSV: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** Saves the mapping (CSV) or inbox (mail, exports) and queues the import job. */
export async function startImport(ctx: Ctx, actor: Actor, id: number, input: StartImportInput): Promise<ImportDto> {
  assertAdmin(actor)
  const row = await getRow(ctx, id)
  if (row.status !== 'uploaded') throw conflict(`This import is ${row.status}; only a new upload can be started (resume a cancelled or failed one)`)
  const inboxId = input.inboxId ?? row.inboxId ?? null
  if (needsInbox(row.kind)) {
    if (!inboxId) throw unprocessable('Choose the inbox the imported tickets go to')
    if (!(await ctx.db.selectFrom('inboxes').select('id').where('id', '=', inboxId).executeTakeFirst())) throw unprocessable(`Inbox ${inboxId} does not exist`)
  }
  let mapping = readMapping(row.mapping)
  if (isCsv(row.kind)) {
    const preview = await previewImport(ctx, actor, id)
    mapping = input.mapping ?? preview.suggestedMapping
    const custom = await listCustomFields(ctx.db, row.kind === 'csv-organizations' ? 'organization' : 'contact')
    const problems = validateMapping(row.kind, mapping, preview.headers, custom)
    if (problems.length) throw unprocessable(problems.join('; '), problems)
  }
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('imports')
      .set({ status: 'queued', mapping: writeMapping(mapping), inboxId, updatedAt: now() })
      .where('id', '=', id)
      .where('status', '=', 'uploaded')
      .executeTakeFirst()
    if (!Number(res.numUpdatedRows)) throw conflict('This import was started already')
    await enqueueJob(trx, runImportJob, { importId: id }, { idempotencyKey: `run-import:${id}:0` })
    await recordAudit(trx, { actorId: actor.id, action: 'import.started', targetType: 'import', targetId: id, data: { kind: row.kind } })
  })
  publishImportChanged(ctx, id)
  return getImport(ctx, actor, id)
}

/** Stops a queued or running import after its current batch; it can be resumed. */
export async function cancelImport(ctx: Ctx, actor: Actor, id: number): Promise<ImportDto> {
  assertAdmin(actor)
  const row = await getRow(ctx, id)
  if (!(await transitionImport(ctx.db, id, ['uploaded', 'queued', 'running'], 'cancelled', { finishedAt: now() })))
    throw conflict(`This import is ${row.status} and cannot be cancelled`)
  await recordAudit(ctx.db, { actorId: actor.id, action: 'import.cancelled', targetType: 'import', targetId: id })
  publishImportChanged(ctx, id)
  return getImport(ctx, actor, id)
}

/** Continues a cancelled or failed import from its saved cursor. */
export async function resumeImport(ctx: Ctx, actor: Actor, id: number): Promise<ImportDto> {
  assertAdmin(actor)
  const row = await getRow(ctx, id)
  if (row.status === 'cancelled' && row.startedAt === null && isCsv(row.kind) && !Object.keys(readMapping(row.mapping)).length)
    throw conflict('This import was cancelled before it started; upload the file again')
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('imports')
      // The admin who resumes it acts for it from now on (the one who started it may have left).
      .set({ status: 'queued', error: null, finishedAt: null, createdById: actor.id, updatedAt: now() })
      .where('id', '=', id)
      .where('status', 'in', ['cancelled', 'failed'])
      .executeTakeFirst()
    if (!Number(res.numUpdatedRows)) throw conflict(`This import is ${row.status}; only a cancelled or failed import can be resumed`)
    await enqueueJob(trx, runImportJob, { importId: id }, { idempotencyKey: `run-import:${id}:${now()}` })
    await recordAudit(trx, { actorId: actor.id, action: 'import.resumed', targetType: 'import', targetId: id, data: { cursor: Number(row.cursor) } })
  })
  publishImportChanged(ctx, id)
  return getImport(ctx, actor, id)
}
