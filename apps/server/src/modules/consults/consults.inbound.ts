import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../platform/context.ts'
import { isConsultee } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { escapeHtml, htmlToText } from '../../platform/sanitize.ts'
import { trimReply } from '../email/reply-trim.ts'
import { findActiveActor } from '../users/users.queries.ts'
import { consultFromTaggedAddress } from './consults.addresses.ts'
import { findConsultRow, scopeOf } from './consults.queries.ts'
import { addConsultMessage } from './consults.service.ts'

export interface ConsultMail {
  inboundEmailId: number
  recipients: string[]
  from: string | null
  text: string
  html: string
  /** Auto-replies, complaints and our own mail: never an answer. */
  isMachineMail: boolean
}

/** `note` (why mail was refused or ignored) goes to the mail log. */
export type ConsultMailOutcome = { disposition: 'consult' | 'auto-reply' | 'rejected'; ticketId: number | null; messageId: null; note?: string }

/**
 * Mail to a consult's tagged reply address (`support+consult-<id>-<sig>@…`): an answer from one of the
 * people asked, written into the consult thread and never into the customer conversation. A forged tag,
 * an unknown or resolved consult, or a sender who was not asked is refused with the reason in the mail log.
 * Returns null when the mail is not addressed to a consult.
 */
export async function receiveConsultEmail(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  mail: ConsultMail,
  secret: string,
): Promise<ConsultMailOutcome | null> {
  const tags = mail.recipients.map((a) => consultFromTaggedAddress(a, secret)).filter((t) => t !== null)
  if (!tags.length) return null
  const tag = tags.find((t) => t.valid)
  const refuse = (note: string, ticketId: number | null = null): ConsultMailOutcome => ({ disposition: 'rejected', ticketId, messageId: null, note })
  if (!tag) return refuse('Refused: the consult reply address has a forged or mistyped signature')
  const consult = await findConsultRow(trx, tag.consultId)
  if (!consult) return refuse(`Refused: consult ${tag.consultId} does not exist`)
  if (mail.isMachineMail)
    return { disposition: 'auto-reply', ticketId: consult.ticketId, messageId: null, note: `Automatic reply to consult ${consult.id} ignored` }
  const user = mail.from
    ? await trx.selectFrom('users').select('id').where('email', '=', mail.from.toLowerCase()).where('isActive', '=', 1).executeTakeFirst()
    : undefined
  const author = user ? await findActiveActor(trx, user.id) : undefined
  if (!author || author.id === consult.askedById || !isConsultee(author, scopeOf(consult)))
    return refuse(`Refused: ${mail.from ?? 'the sender'} was not asked in consult ${consult.id}`, consult.ticketId)
  if (consult.status === 'resolved') return refuse(`Refused: consult ${consult.id} is already resolved`, consult.ticketId)

  const fullText = mail.text.trim() || (mail.html ? htmlToText(mail.html) : '')
  const visible = trimReply(fullText, mail.html ? { html: mail.html } : {}).visible.trim() || fullText
  if (!visible) return refuse(`Refused: the reply to consult ${consult.id} is empty`, consult.ticketId)
  const html = visible
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')
  await addConsultMessage(trx, ctx, emit, consult, author, { html, text: visible, fullText }, { kind: 'email', inboundEmailId: mail.inboundEmailId })
  return { disposition: 'consult', ticketId: consult.ticketId, messageId: null }
}
