import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendNoticeEmail } from '../../email/staff-email.ts'
import { createNotification } from '../../notifications/index.ts'
import { getSettings } from '../../settings/settings.service.ts'
import { notificationEvent } from '../../tickets/tickets.events.ts'

/**
 * Tells a topic's followers about a new public answer: members by email, staff by notification (their own
 * preferences decide whether that also mails them). The answer's author is not told about their own answer.
 * Each email keeps one Message-ID per recipient, so a retried job does not look like a second answer.
 */
export const notifyTopicFollowersJob: JobDefinition<{ postId: number }> = {
  name: 'notify-community-followers',
  label: 'Tell community topic followers about a new answer',
  maxAttempts: 5,
  async handle(ctx, { postId }, run) {
    const post = await ctx.db.selectFrom('communityPosts').selectAll().where('id', '=', postId).executeTakeFirst()
    if (post?.status !== 'visible') return
    const topic = await ctx.db.selectFrom('communityTopics').selectAll().where('id', '=', post.topicId).executeTakeFirst()
    if (topic?.status !== 'visible') return
    const author = post.authorUserId !== null ? `u:${post.authorUserId}` : `m:${post.authorMemberId}`
    const followers = await ctx.db
      .selectFrom('communityFollows as f')
      .leftJoin('communityMembers as m', 'm.id', 'f.memberId')
      .select(['f.followerKey', 'f.userId', 'm.email', 'm.displayName', 'm.bannedAt'])
      .where('f.topicId', '=', topic.id)
      .where('f.followerKey', '!=', author)
      .execute()
    const writer = post.authorUserId
      ? (await ctx.db.selectFrom('users').select('name').where('id', '=', post.authorUserId).executeTakeFirst())?.name
      : (
          await ctx.db
            .selectFrom('communityMembers')
            .select('displayName')
            .where('id', '=', post.authorMemberId ?? 0)
            .executeTakeFirst()
        )?.displayName
    const url = `${ctx.config.publicUrl}/community/t/${topic.id}-${topic.slug}#post-${post.id}`
    const { workspaceName } = await getSettings(ctx.db)
    const excerpt = post.bodyText.length > 600 ? `${post.bodyText.slice(0, 600)}…` : post.bodyText
    for (const f of followers) {
      if (f.userId !== null) {
        const title = `New answer in the community: ${topic.title}`
        // A retry after a crash: people already told are not told twice.
        if (
          run?.retry &&
          (await ctx.db
            .selectFrom('notifications')
            .select('id')
            .where('userId', '=', f.userId)
            .where('kind', '=', 'community.answer')
            .where('title', '=', title)
            .where('createdAt', '>=', Number(post.createdAt))
            .executeTakeFirst())
        )
          continue
        const id = await createNotification(ctx.db, {
          userId: f.userId,
          kind: 'community.answer',
          ticketId: topic.ticketId,
          actorId: post.authorUserId,
          title,
        })
        if (id) ctx.realtime.publish(notificationEvent(f.userId, id))
      } else if (f.email && f.bannedAt === null) {
        await sendNoticeEmail(ctx, {
          to: { name: f.displayName ?? f.email, address: f.email },
          subject: `New answer: ${topic.title}`,
          text: `${writer ?? 'Someone'} answered "${topic.title}" in the ${workspaceName} community:\n\n${excerpt}\n\nRead it and reply: ${url}\n\nYou get this email because you follow this topic; unfollow it on the topic's page.\n`,
          idempotencyKey: `community-answer:${post.id}:${f.followerKey}`,
        })
      }
    }
  },
}
