import type {
  NotificationGroup,
  NotificationListQuery,
  NotificationPage,
  NotificationPreferencesDto,
  UpdateNotificationPreferencesInput,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'
import { keys } from '../../lib/queries.ts'

/** The signed-in person's notifications and notification preferences (issue 10). */
export const notificationsApi = {
  list: (query: NotificationListQuery = {}) =>
    request<NotificationPage>('GET', '/notifications', undefined, {
      limit: query.limit ?? 30,
      ...(query.unread ? { unread: true } : {}),
      ...(query.group ? { group: query.group } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    }),
  read: (id: number) => request<{ ok: boolean }>('POST', `/notifications/${id}/read`, {}),
  readAll: () => request<{ ok: boolean }>('POST', '/notifications/read-all', {}),
  readTicket: (ticketId: number) => request<{ ok: boolean }>('POST', '/notifications/read-all', {}, { ticketId }),
  preferences: () => request<NotificationPreferencesDto>('GET', '/me/notification-preferences'),
  updatePreferences: (input: UpdateNotificationPreferencesInput) => request<NotificationPreferencesDto>('PUT', '/me/notification-preferences', input),
}

/** Under `keys.notifications`, so a live `notification.created` refreshes every list here. */
export const notificationKeys = {
  all: keys.notifications,
  bell: [...keys.notifications, 'bell'] as const,
  page: (unread: boolean, group: NotificationGroup | null) => [...keys.notifications, 'page', unread, group] as const,
  preferences: ['notification-preferences'] as const,
}
