import { now } from '../../../platform/clock.ts'
import type { Executor } from '../../../platform/context.ts'
import { recurringJob } from '../../../platform/jobs.ts'

const EVERY_MS = 3_600_000
/** Spent or expired sign-in links are kept a day (the per-address link limit counts the last quarter hour). */
export const LOGIN_LINK_KEEP_MS = 24 * 3_600_000

/** Deletes expired member sessions and sign-in links that expired more than a day ago. */
export async function cleanCommunitySessions(db: Executor): Promise<{ sessions: number; links: number }> {
  const t = now()
  const sessions = await db.deleteFrom('communitySessions').where('expiresAt', '<=', t).executeTakeFirst()
  const links = await db
    .deleteFrom('communityLoginLinks')
    .where('expiresAt', '<=', t - LOGIN_LINK_KEEP_MS)
    .executeTakeFirst()
  return { sessions: Number(sessions.numDeletedRows), links: Number(links.numDeletedRows) }
}

/** Every hour: the community's expired sessions and sign-in links go. */
export const { job: cleanCommunitySessionsJob, schedule: scheduleCommunityCleanup } = recurringJob({
  name: 'clean-community-sessions',
  label: 'Remove expired community sessions and sign-in links',
  everyMs: EVERY_MS,
  async run(ctx) {
    await cleanCommunitySessions(ctx.db)
  },
})
