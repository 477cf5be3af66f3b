import { now } from '../../../platform/clock.ts'
import { newSecret, sha256 } from '../../../platform/crypto.ts'
import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendNoticeEmail } from '../../email/staff-email.ts'
import { getSettings } from '../../settings/settings.service.ts'

/**
 * Mails a community sign-in link. The token is made here and only its hash is stored, so the plain token exists
 * nowhere but in the email; a retry makes a fresh one (the earlier mail's link then no longer works).
 */
export const sendCommunityLoginLinkJob: JobDefinition<{ linkId: number }> = {
  name: 'send-community-login-link',
  label: 'Send a community sign-in link',
  maxAttempts: 3,
  async handle(ctx, { linkId }) {
    const link = await ctx.db.selectFrom('communityLoginLinks').selectAll().where('id', '=', linkId).executeTakeFirst()
    if (!link || link.usedAt !== null || Number(link.expiresAt) <= now()) return
    const token = newSecret('cml_')
    const tokenHash = sha256(token)
    await ctx.db.updateTable('communityLoginLinks').set({ tokenHash }).where('id', '=', linkId).where('usedAt', 'is', null).execute()
    const { workspaceName } = await getSettings(ctx.db)
    const url = `${ctx.config.publicUrl}/community/login/${token}`
    const minutes = Math.round((Number(link.expiresAt) - Number(link.createdAt)) / 60_000)
    await sendNoticeEmail(ctx, {
      to: { name: link.email, address: link.email },
      subject: `Your sign-in link for the ${workspaceName} community`,
      text: `Hello,\n\nopen this link to sign in to the ${workspaceName} community:\n\n${url}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this email.\n`,
      idempotencyKey: `community-login-link:${linkId}:${tokenHash.slice(0, 12)}`,
    })
  },
}
