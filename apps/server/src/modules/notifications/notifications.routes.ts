import { CursorQuery, IdParams, NotificationDto, Ok, Page } from '@allhands/contract'
import { Type } from 'typebox'
import { now } from '../../platform/clock.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { notFound } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'

export async function notificationsRoutes(app: App) {
  const db = app.ctx.db
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...CursorQuery }),
        response: { 200: Type.Intersect([Page(NotificationDto), Type.Object({ unreadCount: Type.Integer() })]) },
      },
    },
    async (req) => {
      const actor = actorOf(req)
      const limit = req.query.limit ?? 30
      const after = decodeCursor(req.query.cursor, 1)
      let q = db
        .selectFrom('notifications')
        .leftJoin('users', 'users.id', 'notifications.actorId')
        .select([
          'notifications.id',
          'notifications.kind',
          'notifications.ticketId',
          'notifications.messageId',
          'notifications.actorId',
          'notifications.title',
          'notifications.readAt',
          'notifications.createdAt',
          'users.name as actorName',
        ])
        .where('notifications.userId', '=', actor.id)
        .orderBy('notifications.id', 'desc')
        .limit(limit + 1)
      if (req.query.unread) q = q.where('notifications.readAt', 'is', null)
      if (after) q = q.where('notifications.id', '<', Number(after[0]))
      const rows = await q.execute()
      const unread = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', actor.id)
        .where('readAt', 'is', null)
        .executeTakeFirstOrThrow()
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({
          id: r.id,
          kind: r.kind,
          ticketId: r.ticketId,
          messageId: r.messageId,
          actor: r.actorId ? { id: r.actorId, name: r.actorName ?? '' } : null,
          title: r.title,
          readAt: r.readAt,
          createdAt: r.createdAt,
        })),
        nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
        unreadCount: Number(unread.n),
      }
    },
  )
  app.post('/notifications/:id/read', { schema: { tags: ['notifications'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    const actor = actorOf(req)
    const res = await db.updateTable('notifications').set({ readAt: now() }).where('id', '=', req.params.id).where('userId', '=', actor.id).executeTakeFirst()
    if (!Number(res.numUpdatedRows)) throw notFound('Notification', req.params.id)
    return { ok: true }
  })
  app.post('/notifications/read-all', { schema: { tags: ['notifications'], response: { 200: Ok } } }, async (req) => {
    await db.updateTable('notifications').set({ readAt: now() }).where('userId', '=', actorOf(req).id).where('readAt', 'is', null).execute()
    return { ok: true }
  })
}
