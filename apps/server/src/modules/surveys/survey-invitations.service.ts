import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { newSecret, sha256 } from '../../platform/crypto.ts'
import { sendNoticeEmail } from '../email/staff-email.ts'
import { pickSurveyAddress } from './surveys.addresses.ts'
import { renderSurveyInvitation } from './surveys.emails.ts'

export const INVITATION_TOKEN_PREFIX = 'sv_'

/**
 * Mails a queued invitation its personal link `/s/<token>`; the token is stored hashed before sending and
 * cleared again if sending fails (the retry mints a new one). Skips contacts without a usable address and
 * surveys that closed meanwhile.
 */
export async function sendSurveyInvitation(ctx: Ctx, invitationId: number): Promise<void> {
  const inv = await ctx.db
    .selectFrom('surveyInvitations as i')
    .innerJoin('surveys as s', 's.id', 'i.surveyId')
    .innerJoin('contacts as c', 'c.id', 'i.contactId')
    .select(['i.id', 'i.status', 'i.contactId', 's.title', 's.intro', 's.status as surveyStatus', 'c.name'])
    .where('i.id', '=', invitationId)
    .executeTakeFirst()
  if (inv?.status !== 'queued') return
  const skip = (reason: string, email: string | null) =>
    ctx.db
      .updateTable('surveyInvitations')
      .set({ status: 'skipped', skipReason: reason, email })
      .where('id', '=', inv.id)
      .where('status', '=', 'queued')
      .execute()
  if (inv.surveyStatus !== 'open') return void (await skip('survey_closed', null))
  const address = await pickSurveyAddress(ctx.db, inv.contactId)
  if ('skip' in address) return void (await skip(address.skip, address.email))
  const token = newSecret(INVITATION_TOKEN_PREFIX)
  const claimed = await ctx.db
    .updateTable('surveyInvitations')
    .set({ status: 'sent', tokenHash: sha256(token), email: address.email, sentAt: now() })
    .where('id', '=', inv.id)
    .where('status', '=', 'queued')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return
  const mail = renderSurveyInvitation(`${ctx.config.publicUrl}/s/${token}`, inv, inv.name)
  let sent: boolean
  try {
    sent = await sendNoticeEmail(ctx, { to: { name: inv.name, address: address.email }, ...mail })
  } catch (err) {
    await ctx.db.updateTable('surveyInvitations').set({ status: 'queued', tokenHash: null, sentAt: null }).where('id', '=', inv.id).execute()
    throw err
  }
  if (!sent)
    await ctx.db
      .updateTable('surveyInvitations')
      .set({ status: 'skipped', skipReason: 'no_outbound_email', tokenHash: null, sentAt: null })
      .where('id', '=', inv.id)
      .execute()
}
