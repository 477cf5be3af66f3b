import type { AuditRecordDto } from '@allhands/contract'
import { sql } from 'kysely'
import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

/** What GET /audit and its export filter by; every filter but `q` has an index ending in the id (the page order). */
export interface AuditSearch {
  actorId?: number
  action?: string
  targetType?: string
  targetId?: number
  ip?: string
  from?: number
  to?: number
  q?: string
}

/** `%`, `_` and the escape character itself match literally. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Entries matching the filters, newest first, with an id below `beforeId` (the keyset cursor). */
export async function listAuditEntries(db: Executor, dialect: Dialect, f: AuditSearch, page: { beforeId?: number; limit: number }): Promise<AuditRecordDto[]> {
  let q = db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorId')
    .select([
      'auditLog.id',
      'auditLog.actorId',
      'users.name as actorName',
      'auditLog.action',
      'auditLog.targetType',
      'auditLog.targetId',
      'auditLog.data',
      'auditLog.ip',
      'auditLog.userAgent',
      'auditLog.createdAt',
    ])
    .orderBy('auditLog.id', 'desc')
    .limit(page.limit)
  if (f.actorId !== undefined) q = q.where('auditLog.actorId', '=', f.actorId)
  // A prefix as a range, so the (action, id) index serves it on both databases (LIKE 'x%' does not on PostgreSQL's default collation).
  if (f.action) q = q.where('auditLog.action', '>=', f.action).where('auditLog.action', '<', `${f.action}\u{10FFFF}`)
  if (f.targetType) q = q.where('auditLog.targetType', '=', f.targetType)
  if (f.targetId !== undefined) q = q.where('auditLog.targetId', '=', f.targetId)
  if (f.ip) q = q.where('auditLog.ip', '=', f.ip)
  if (f.from !== undefined) q = q.where('auditLog.createdAt', '>=', f.from)
  if (f.to !== undefined) q = q.where('auditLog.createdAt', '<', f.to)
  const text = f.q?.trim()
  if (text) {
    // Substring search over action, target type and data, served by a trigram index (migration 1544).
    if (dialect === 'postgres') {
      q = q.where(sql<boolean>`(audit_log.action || ' ' || audit_log.target_type || ' ' || audit_log.data::text) ILIKE ${`%${likeLiteral(text)}%`}`)
    } else if ([...text].length >= 3) {
      q = q.where('auditLog.id', 'in', sql<number>`(SELECT rowid FROM audit_log_text WHERE audit_log_text MATCH ${`"${text.replace(/"/g, '""')}"`})`)
    } else {
      // Shorter than a trigram: the index cannot help; a scan of the text table (still correct).
      q = q.where('auditLog.id', 'in', sql<number>`(SELECT rowid FROM audit_log_text WHERE body LIKE ${`%${likeLiteral(text)}%`} ESCAPE '\\')`)
    }
  }
  if (page.beforeId !== undefined) q = q.where('auditLog.id', '<', page.beforeId)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    actor: r.actorId !== null ? { id: r.actorId, name: r.actorName ?? '' } : null,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: readJson<Record<string, unknown>>(r.data, {}),
    ip: r.ip ?? null,
    userAgent: r.userAgent ?? null,
    createdAt: Number(r.createdAt),
  }))
}
