import { AuditEntryDto, CursorQuery, Id, Page } from '@allhands/contract'
import { Type } from 'typebox'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { readJson } from '../../platform/json.ts'
import { canAdminister } from '../../platform/policy.ts'

/** GET /audit-log: what changed whose rights, who monitored whom, who reviewed what — newest first, admins only. */
export async function auditRoutes(app: App) {
  const db = app.ctx.db
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        querystring: Type.Object({
          targetType: Type.Optional(Type.String({ maxLength: 40 })),
          targetId: Type.Optional(Id),
          action: Type.Optional(Type.String({ maxLength: 80 })),
          ...CursorQuery,
        }),
        response: { 200: Page(AuditEntryDto) },
      },
    },
    async (req) => {
      if (!canAdminister(actorOf(req))) throw forbidden('read the audit log')
      const limit = req.query.limit ?? 50
      const after = decodeCursor(req.query.cursor, 1)
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
          'auditLog.createdAt',
        ])
        .orderBy('auditLog.id', 'desc')
        .limit(limit + 1)
      if (req.query.targetType) q = q.where('auditLog.targetType', '=', req.query.targetType)
      if (req.query.targetId) q = q.where('auditLog.targetId', '=', req.query.targetId)
      if (req.query.action) q = q.where('auditLog.action', '=', req.query.action)
      if (after) q = q.where('auditLog.id', '<', Number(after[0]))
      const rows = await q.execute()
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({
          id: r.id,
          actor: r.actorId !== null ? { id: r.actorId, name: r.actorName ?? '' } : null,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          data: readJson<Record<string, unknown>>(r.data, {}),
          createdAt: r.createdAt,
        })),
        nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null,
      }
    },
  )
}
