import { AuditExportQuery, AuditQuery, AuditRecordDto, Page } from '@allhands/contract'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { canReadAuditLog } from './audit.policy.ts'
import { streamAuditExport } from './audit.export.ts'
import { type AuditSearch, listAuditEntries } from './audit.queries.ts'

const filtersOf = (q: AuditSearch): AuditSearch => {
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw badRequest('`from` must be before `to`')
  const { actorId, action, targetType, targetId, ip, from, to } = q
  return { actorId, action, targetType, targetId, ip, from, to, q: q.q?.trim() || undefined }
}

/**
 * GET /audit: who did what to which object, from which IP — logins, role and permission changes, settings, exports,
 * erasures, approvals, monitoring. Admins and owners only; the log is append-only (no route changes or deletes it).
 * GET /audit-log is the same search under its earlier name.
 */
export async function auditRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['audit']
  app.addHook('preValidation', async (req) => {
    if (!canReadAuditLog(actorOf(req))) throw forbidden('read the audit log', 'only admins and owners do')
  })

  const search = {
    schema: {
      tags,
      description:
        'Audit entries newest first. Filters: actor, action prefix, target type/id, IP, date range (`from` inclusive, `to` exclusive, epoch ms) and free text over action, target type and data.',
      querystring: AuditQuery,
      response: { 200: Page(AuditRecordDto) },
    },
  }
  const handler = async (req: { query: AuditQuery }) => {
    const limit = req.query.limit ?? 50
    const after = decodeCursor(req.query.cursor, 1)
    const rows = await listAuditEntries(ctx.db, ctx.dialect, filtersOf(req.query), { beforeId: after ? Number(after[0]) : undefined, limit: limit + 1 })
    const items = rows.slice(0, limit)
    return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null }
  }
  app.get('/audit', search, handler)
  app.get('/audit-log', { schema: { ...search.schema, description: 'The same as GET /audit (its earlier path).' } }, handler)

  app.get(
    '/audit/export',
    {
      schema: {
        tags,
        description:
          'Every entry matching the filters, newest first, as a CSV (text/csv) or JSON array download, streamed. The export is itself audited (`audit.exported`).',
        querystring: AuditExportQuery,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req)
      const { format, ...rest } = req.query
      const filters = filtersOf(rest)
      await recordAudit(ctx.db, { actorId: actor.id, action: 'audit.exported', targetType: 'audit_log', targetId: null, data: { format, filters } })
      const stamp = new Date(now()).toISOString().slice(0, 10)
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="allhands-audit-${stamp}.${format}"`)
        .header('x-content-type-options', 'nosniff')
        .send(streamAuditExport(ctx.db, ctx.dialect, filters, format))
    },
  )
}
