import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendNoticeEmail } from '../../email/staff-email.ts'
import { notificationEmailText } from '../notifications.email.ts'

type Payload = { notificationId: number }

/**
 * One notification by email, for people who chose "immediately" for its group. Skipped when the person was
 * deactivated or already read it in the app meanwhile. The Message-ID derives from the notification, so a retry after
 * a crash mid-send sends the identical message.
 */
export const sendNotificationEmailJob: JobDefinition<Payload> = {
  name: 'send-notification-email',
  label: 'Email a notification',
  maxAttempts: 5,
  async handle(ctx, { notificationId }) {
    const row = await ctx.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.userId')
      .select(['notifications.title', 'notifications.ticketId', 'notifications.readAt', 'users.email', 'users.name', 'users.isActive'])
      .where('notifications.id', '=', notificationId)
      .executeTakeFirst()
    if (!row?.isActive || row.readAt !== null) return
    await sendNoticeEmail(ctx, {
      to: { name: row.name, address: row.email },
      subject: row.title,
      text: notificationEmailText([{ title: row.title, ticketId: row.ticketId }], ctx.config.publicUrl),
      idempotencyKey: `notification:${notificationId}`,
    })
  },
}
