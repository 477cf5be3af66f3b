import type { ImportDto, ImportKind, ImportRowError, ImportStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import { type ImportRow, readMapping } from './imports.queries.ts'

/** Rows → DTOs, with the names of the admins who started them (one query for the page). */
export async function presentImports(db: Executor, rows: ImportRow[]): Promise<ImportDto[]> {
  const userIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is number => id !== null))]
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []
  const names = new Map(users.map((u) => [u.id, u.name]))
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ImportKind,
    status: r.status as ImportStatus,
    filename: r.filename,
    size: Number(r.size),
    inboxId: r.inboxId,
    mapping: readMapping(r.mapping),
    counters: {
      total: r.total === null ? null : Number(r.total),
      processed: Number(r.cursor),
      imported: Number(r.imported),
      updated: Number(r.updated),
      skipped: Number(r.skipped),
      failed: Number(r.failed),
    },
    report: readJson<Record<string, number>>(r.report, {}),
    errors: readJson<ImportRowError[]>(r.errors, []),
    errorCount: Number(r.errorCount),
    error: r.error,
    createdBy: r.createdById !== null ? { id: r.createdById, name: names.get(r.createdById) ?? 'Deleted user' } : null,
    createdAt: Number(r.createdAt),
    startedAt: r.startedAt === null ? null : Number(r.startedAt),
    finishedAt: r.finishedAt === null ? null : Number(r.finishedAt),
  }))
}
