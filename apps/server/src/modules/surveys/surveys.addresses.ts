import type { Executor } from '../../platform/context.ts'
import { NOREPLY_SENDER } from '../email/classify.ts'

/** System mailboxes that never read mail, besides the noreply family. */
const SYSTEM_MAILBOX = /^(?:mailer-daemon|postmaster)@/i

export const isAutomatedAddress = (address: string) => NOREPLY_SENDER.test(address) || SYSTEM_MAILBOX.test(address)

/**
 * Where a survey for this contact may go: the first email address that is neither automated nor bouncing,
 * or why none may (no address, only automated ones, only bouncing ones).
 */
export async function pickSurveyAddress(db: Executor, contactId: number): Promise<{ email: string } | { skip: string; email: string | null }> {
  const identities = await db
    .selectFrom('contactIdentities')
    .select(['value', 'bouncingAt'])
    .where('contactId', '=', contactId)
    .where('kind', '=', 'email')
    .orderBy('id')
    .execute()
  if (!identities.length) return { skip: 'no_email', email: null }
  const human = identities.filter((i) => !isAutomatedAddress(i.value))
  if (!human.length) return { skip: 'automated_address', email: identities[0]!.value }
  const deliverable = human.find((i) => i.bouncingAt === null)
  if (!deliverable) return { skip: 'bouncing', email: human[0]!.value }
  return { email: deliverable.value }
}
