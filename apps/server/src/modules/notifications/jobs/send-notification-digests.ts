import { type NotificationGroup, notificationGroupOf } from '@allhands/contract'
import { now } from '../../../platform/clock.ts'
import type { Ctx } from '../../../platform/context.ts'
import { recurringJob } from '../../../platform/jobs.ts'
import { enqueueStaffEmail } from '../../email/staff-email.ts'
import { localDayAndHour, notificationEmailText } from '../notifications.email.ts'
import { DEFAULT_DIGEST_HOUR } from '../notifications.preferences.ts'

const EVERY_MS = 3_600_000
const DAY_MS = 86_400_000
/** A digest lists this many notifications and says how many more there are. */
const MAX_ITEMS = 50

/**
 * Every hour: each active person who wants some group as a daily digest, whose local time (their time zone, else UTC)
 * has reached their digest hour and who had no digest yet that local day, gets one email with their unread
 * notifications of those groups since their last digest. The day is claimed in the same transaction that queues the
 * email (keyed by person and day), so a retried or concurrent run sends nothing twice.
 */
export const { job: sendNotificationDigestsJob, schedule: scheduleNotificationDigests } = recurringJob({
  name: 'send-notification-digests',
  label: 'Send daily notification digests',
  everyMs: EVERY_MS,
  async run(ctx) {
    const wanted = await ctx.db
      .selectFrom('notificationPreferences as p')
      .innerJoin('users as u', 'u.id', 'p.userId')
      .select(['p.userId', 'p.kind'])
      .where('p.email', '=', 'digest')
      .where('u.isActive', '=', 1)
      .execute()
    const groupsByUser = new Map<number, NotificationGroup[]>()
    for (const w of wanted) groupsByUser.set(w.userId, [...(groupsByUser.get(w.userId) ?? []), w.kind as NotificationGroup])
    for (const [userId, groups] of groupsByUser) await sendDigestFor(ctx, userId, groups)
  },
})

/** Sends one person's digest for today when it is due; returns whether an email was queued. */
export async function sendDigestFor(ctx: Ctx, userId: number, groups: NotificationGroup[]): Promise<boolean> {
  const settings = await ctx.db.selectFrom('notificationSettings').selectAll().where('userId', '=', userId).executeTakeFirst()
  const t = now()
  const { day, hour } = localDayAndHour(t, settings?.timeZone ?? 'UTC')
  if (hour < (settings?.digestHour ?? DEFAULT_DIGEST_HOUR) || settings?.lastDigestDay === day) return false
  const since = settings?.lastDigestAt ?? t - DAY_MS
  const unread = await ctx.db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'ticketId'])
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .where('createdAt', '>', since)
    .where('createdAt', '<=', t)
    .orderBy('id')
    .execute()
  const items = unread.filter((n) => groups.includes(notificationGroupOf(n.kind)))
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notificationSettings')
      .values({ userId, lastDigestDay: null, lastDigestAt: null })
      .onConflict((oc) => oc.column('userId').doNothing())
      .execute()
    const claimed = await trx
      .updateTable('notificationSettings')
      .set({ lastDigestDay: day, lastDigestAt: t })
      .where('userId', '=', userId)
      .where((eb) => eb.or([eb('lastDigestDay', 'is', null), eb('lastDigestDay', '!=', day)]))
      .executeTakeFirst()
    if (!Number(claimed.numUpdatedRows) || !items.length) return false
    const shown = items.slice(0, MAX_ITEMS)
    const more = items.length - shown.length
    await enqueueStaffEmail(trx, {
      userId,
      subject: `Your Allhands digest: ${items.length} unread notification${items.length === 1 ? '' : 's'}`,
      text: notificationEmailText(
        shown,
        ctx.config.publicUrl,
        `Unread since your last digest${more ? ` (the first ${shown.length}; ${more} more in the app)` : ''}:`,
      ),
      idempotencyKey: `notification-digest:${userId}:${day}`,
    })
    return true
  })
}
