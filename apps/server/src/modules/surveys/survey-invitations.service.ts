import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { derivedSecret, sha256 } from '../../platform/crypto.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { sendNoticeEmail } from '../email/staff-email.ts'
import { pickSurveyAddress } from './surveys.addresses.ts'
import { renderSurveyInvitation } from './surveys.emails.ts'

export const INVITATION_TOKEN_PREFIX = 'sv_'

/**
 * Mails a queued invitation its personal link `/s/<token>`; the token is stored hashed before sending. The token and
 * the Message-ID derive from the invitation, so when the worker died mid-send the retry (`run.retry`) sends the
 * identical email again rather than losing it or sending a second, different one. Skips contacts without a usable
 * address and surveys that closed meanwhile.
 */
export async function sendSurveyInvitation(ctx: Ctx, invitationId: number, run: { retry: boolean } = { retry: false }): Promise<void> {
  const inv = await ctx.db
    .selectFrom('surveyInvitations as i')
    .innerJoin('surveys as s', 's.id', 'i.surveyId')
    .innerJoin('contacts as c', 'c.id', 'i.contactId')
    .select(['i.id', 'i.status', 'i.contactId', 'i.email', 's.title', 's.intro', 's.status as surveyStatus', 'c.name'])
    .where('i.id', '=', invitationId)
    .executeTakeFirst()
  if (inv?.status === 'sent' && run.retry && inv.email) return mailInvitation(ctx, { ...inv, email: inv.email })
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
  const token = await invitationToken(ctx, inv.id)
  const claimed = await ctx.db
    .updateTable('surveyInvitations')
    .set({ status: 'sent', tokenHash: sha256(token), email: address.email, sentAt: now() })
    .where('id', '=', inv.id)
    .where('status', '=', 'queued')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return
  await mailInvitation(ctx, { ...inv, email: address.email })
}

const invitationToken = async (ctx: Ctx, id: number) =>
  derivedSecret(await workspaceSecret(ctx.db, 'surveyLinkSecret'), `survey-invitation:${id}`, INVITATION_TOKEN_PREFIX)

/** Sends a claimed invitation; if sending fails it goes back to the queue for the retry. */
async function mailInvitation(ctx: Ctx, inv: { id: number; title: string; intro: string; name: string; email: string }): Promise<void> {
  const mail = renderSurveyInvitation(`${ctx.config.publicUrl}/s/${await invitationToken(ctx, inv.id)}`, inv, inv.name)
  let sent: boolean
  try {
    sent = await sendNoticeEmail(ctx, { to: { name: inv.name, address: inv.email }, ...mail, idempotencyKey: `survey-invitation:${inv.id}` })
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
