import { Readable } from 'node:stream'
import type { AuditRecordDto } from '@allhands/contract'
import type { Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { csvCell } from '../reports/reports.csv.ts'
import { type AuditSearch, listAuditEntries } from './audit.queries.ts'

const BATCH = 1000

const CSV_HEADER = ['id', 'created_at', 'actor_id', 'actor_name', 'action', 'target_type', 'target_id', 'ip', 'user_agent', 'data']

const csvLine = (e: AuditRecordDto) =>
  [e.id, new Date(e.createdAt).toISOString(), e.actor?.id, e.actor?.name, e.action, e.targetType, e.targetId, e.ip, e.userAgent, JSON.stringify(e.data)]
    .map(csvCell)
    .join(',')

/**
 * The filtered entries, newest first, as CSV or a JSON array, read a thousand at a time by keyset so a log of
 * millions streams in constant memory.
 */
export function streamAuditExport(db: Executor, dialect: Dialect, filters: AuditSearch, format: 'csv' | 'json'): Readable {
  async function* lines() {
    yield format === 'csv' ? `${CSV_HEADER.join(',')}\r\n` : '['
    let beforeId: number | undefined
    let first = true
    for (;;) {
      const batch = await listAuditEntries(db, dialect, filters, { beforeId, limit: BATCH })
      if (!batch.length) break
      if (format === 'csv') yield `${batch.map(csvLine).join('\r\n')}\r\n`
      else {
        yield `${first ? '\n' : ',\n'}${batch.map((e) => JSON.stringify(e)).join(',\n')}`
        first = false
      }
      if (batch.length < BATCH) break
      beforeId = batch.at(-1)!.id
    }
    if (format === 'json') yield '\n]\n'
  }
  return Readable.from(lines())
}
