import {
  IdParams,
  MarkNotificationsReadQuery,
  NotificationListQuery,
  NotificationPage,
  NotificationPreferencesDto,
  Ok,
  UpdateNotificationPreferencesInput,
} from '@allhands/contract'
import { registerTransactionalListener } from '../../platform/context.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { scheduleNotificationDigests } from './jobs/send-notification-digests.ts'
import { notifyFollowers } from './notifications.followers.ts'
import { getPreferences, updatePreferences } from './notifications.preferences.ts'
import { listNotifications, markAllRead, markRead } from './notifications.service.ts'

/**
 * The signed-in person's own notifications and preferences: every route acts on the caller only, so anyone signed in
 * may call them and nobody reaches another person's (someone else's notification id is "not found").
 */
export async function notificationsRoutes(app: App) {
  const ctx = app.ctx
  registerTransactionalListener(notifyFollowers)
  await scheduleNotificationDigests(ctx.db)

  app.get('/notifications', { schema: { tags: ['notifications'], querystring: NotificationListQuery, response: { 200: NotificationPage } } }, async (req) =>
    listNotifications(ctx.db, actorOf(req), req.query),
  )
  app.post('/notifications/:id/read', { schema: { tags: ['notifications'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    await markRead(ctx.db, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post('/notifications/read-all', { schema: { tags: ['notifications'], querystring: MarkNotificationsReadQuery, response: { 200: Ok } } }, async (req) => {
    await markAllRead(ctx.db, actorOf(req), req.query.ticketId)
    return { ok: true }
  })
  app.get('/me/notification-preferences', { schema: { tags: ['notifications'], response: { 200: NotificationPreferencesDto } } }, async (req) =>
    getPreferences(ctx.db, actorOf(req).id),
  )
  app.put(
    '/me/notification-preferences',
    { schema: { tags: ['notifications'], body: UpdateNotificationPreferencesInput, response: { 200: NotificationPreferencesDto } } },
    async (req) => {
      const actor = actorOf(req)
      await updatePreferences(ctx.db, actor.id, req.body)
      return getPreferences(ctx.db, actor.id)
    },
  )
}
