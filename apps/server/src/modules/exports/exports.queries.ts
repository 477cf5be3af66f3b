import type { Executor } from '../../platform/context.ts'
import type { ExportRecord } from './exports.presenter.ts'

const COLUMNS = [
  'exports.id',
  'exports.kind',
  'exports.format',
  'exports.filters',
  'exports.contactId',
  'exports.status',
  'exports.rowCount',
  'exports.totalEstimate',
  'exports.size',
  'exports.error',
  'exports.requestedById',
  'users.name as requesterName',
  'exports.createdAt',
  'exports.finishedAt',
] as const

const base = (db: Executor) => db.selectFrom('exports').leftJoin('users', 'users.id', 'exports.requestedById').select(COLUMNS)

export const findExport = (db: Executor, id: number): Promise<ExportRecord | undefined> => base(db).where('exports.id', '=', id).executeTakeFirst()

/** Newest first; `contactId` narrows to one contact's privacy exports (indexed). */
export function listExportRows(db: Executor, opts: { contactId?: number; beforeId?: number; limit: number }): Promise<ExportRecord[]> {
  let q = base(db).orderBy('exports.id', 'desc').limit(opts.limit)
  if (opts.contactId !== undefined) q = q.where('exports.contactId', '=', opts.contactId)
  if (opts.beforeId !== undefined) q = q.where('exports.id', '<', opts.beforeId)
  return q.execute()
}

export const listExportParts = (db: Executor, exportId: number) =>
  db.selectFrom('exportParts').select(['seq', 'blobHash', 'size']).where('exportId', '=', exportId).orderBy('seq').execute()
