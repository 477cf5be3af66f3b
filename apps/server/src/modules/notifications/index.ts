/** Notifications (issue 10): the notification centre, per-person preferences, immediate email and daily digests. */
export { notificationsRoutes } from './notifications.routes.ts'
export { createNotification, type NewNotification } from './notifications.service.ts'
export { sendNotificationEmailJob } from './jobs/send-notification-email.ts'
export { sendNotificationDigestsJob } from './jobs/send-notification-digests.ts'
