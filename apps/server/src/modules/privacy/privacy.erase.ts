import { type EraseContactResult, eraseConfirmation } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { deleteBlobIfUnreferenced } from '../../platform/blob-rows.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { indexContact, reindexTicket } from '../../platform/search.ts'
import { canHandlePrivacyRequests } from './privacy.policy.ts'

/** What replaces the words of an erased person's messages. */
export const ERASED_MESSAGE = '[Erased at the customer’s request]'
export const erasedContactName = (id: number) => `Erased contact #${id}`
const erasedTicketSubject = (id: number) => `Erased conversation #${id}`

/**
 * Erases a contact (and contacts merged into it) at their request: the profile is anonymized and its identities
 * removed; the words of their messages, the subjects and previews of their tickets become a marker; their
 * attachments, raw emails, chat page views and earlier data exports are deleted; free-text rating comments and
 * survey links to them are cleared. Tickets, message rows, timestamps, statuses and scores stay, so report totals do
 * not change. The search index is rebuilt for everything touched. Audited without the erased data.
 */
export async function eraseContact(ctx: Ctx, actor: Actor, contactId: number, confirmation: string): Promise<EraseContactResult> {
  if (!canHandlePrivacyRequests(actor)) throw forbidden('erase contacts', 'only admins and owners do')
  const contact = await ctx.db.selectFrom('contacts').select(['id', 'mergedIntoId']).where('id', '=', contactId).executeTakeFirst()
  if (!contact) throw notFound('Contact', contactId)
  if (contact.mergedIntoId !== null) throw conflict(`Contact ${contactId} was merged into contact ${contact.mergedIntoId}: erase that one`)
  if (confirmation.trim() !== eraseConfirmation(contactId))
    throw unprocessable(`Type "${eraseConfirmation(contactId)}" to confirm: erasing a contact cannot be undone`)

  const blobHashes = new Set<string>()
  const result = await inTransaction(ctx, async (trx) => {
    const merged = await trx.selectFrom('contacts').select('id').where('mergedIntoId', '=', contactId).execute()
    const contactIds = [contactId, ...merged.map((m) => m.id)]
    const emails = (await trx.selectFrom('contactIdentities').select('value').where('contactId', 'in', contactIds).execute()).map((i) => i.value.toLowerCase())
    const tickets = await trx.selectFrom('tickets').select('id').where('requesterId', 'in', contactIds).execute()
    const ticketIds = tickets.map((t) => t.id)

    // Their messages: the ones they wrote anywhere, and every customer message on their own tickets.
    const written = await trx.selectFrom('messages').select(['id', 'ticketId']).where('authorContactId', 'in', contactIds).execute()
    const inbound = ticketIds.length
      ? await trx.selectFrom('messages').select(['id', 'ticketId']).where('ticketId', 'in', ticketIds).where('direction', '=', 'inbound').execute()
      : []
    const messageIds = [...new Set([...written, ...inbound].map((m) => m.id))]
    const touchedTickets = new Set([...ticketIds, ...written.map((m) => m.ticketId)])

    let attachmentsDeleted = 0
    let rawEmailsDeleted = 0
    for (let i = 0; i < messageIds.length; i += 500) {
      const chunk = messageIds.slice(i, i + 500)
      await trx
        .updateTable('messages')
        .set({ text: ERASED_MESSAGE, fullText: ERASED_MESSAGE, html: `<p>${ERASED_MESSAGE}</p>`, emailMeta: null })
        .where('id', 'in', chunk)
        .execute()
      const attachments = await trx.selectFrom('attachments').select(['id', 'blobHash']).where('messageId', 'in', chunk).execute()
      for (const a of attachments) blobHashes.add(a.blobHash)
      attachmentsDeleted += attachments.length
      if (attachments.length) await trx.deleteFrom('attachments').where('messageId', 'in', chunk).execute()
      const raw = await trx.selectFrom('inboundEmails').select(['id', 'blobHash']).where('messageId', 'in', chunk).execute()
      for (const r of raw) blobHashes.add(r.blobHash)
      rawEmailsDeleted += raw.length
      if (raw.length) await trx.deleteFrom('inboundEmails').where('messageId', 'in', chunk).execute()
    }
    for (const id of ticketIds)
      await trx
        .updateTable('tickets')
        .set({ subject: erasedTicketSubject(id), preview: ERASED_MESSAGE })
        .where('id', '=', id)
        .execute()

    await trx.deleteFrom('contactIdentities').where('contactId', 'in', contactIds).execute()
    for (const id of contactIds)
      await trx
        .updateTable('contacts')
        .set({ name: erasedContactName(id), notes: '', customFields: '{}', vip: 0, updatedAt: now() })
        .where('id', '=', id)
        .execute()
    if (emails.length) {
      if (ticketIds.length) await trx.deleteFrom('ticketParticipants').where('ticketId', 'in', ticketIds).where('email', 'in', emails).execute()
      await trx.deleteFrom('autoRepliesSent').where('email', 'in', emails).execute()
    }
    // Scores stay (report totals); the free text and addresses go.
    await trx.updateTable('csatRequests').set({ email: null, comment: null }).where('contactId', 'in', contactIds).execute()
    await trx.updateTable('surveyInvitations').set({ email: null, orderRef: null }).where('contactId', 'in', contactIds).execute()
    await trx.updateTable('surveyResponses').set({ contactId: null }).where('contactId', 'in', contactIds).execute()
    const visitors = await trx.selectFrom('chatVisitors').select('id').where('contactId', 'in', contactIds).execute()
    if (visitors.length) {
      const visitorIds = visitors.map((v) => v.id)
      await trx.updateTable('chatVisitors').set({ claimedName: null, claimedEmail: null, externalId: null }).where('id', 'in', visitorIds).execute()
      await trx.deleteFrom('chatPageViews').where('visitorId', 'in', visitorIds).execute()
      await trx.updateTable('chatConversations').set({ ratingComment: null }).where('visitorId', 'in', visitorIds).execute()
    }
    await trx.deleteFrom('chatPageViews').where('contactId', 'in', contactIds).execute()

    // Earlier data exports of this person hold everything just erased.
    const exports = await trx.selectFrom('exports').select('id').where('contactId', 'in', contactIds).execute()
    if (exports.length) {
      const exportIds = exports.map((e) => e.id)
      for (const p of await trx.selectFrom('exportParts').select('blobHash').where('exportId', 'in', exportIds).execute()) blobHashes.add(p.blobHash)
      await trx.deleteFrom('exportParts').where('exportId', 'in', exportIds).execute()
      await trx.updateTable('exports').set({ status: 'deleted', size: 0, error: 'Deleted when the contact was erased' }).where('id', 'in', exportIds).execute()
    }

    for (const id of contactIds) await indexContact(trx, ctx.dialect, id, erasedContactName(id), [])
    for (const id of touchedTickets) {
      const requester = await trx
        .selectFrom('tickets')
        .innerJoin('contacts', 'contacts.id', 'tickets.requesterId')
        .select('contacts.name')
        .where('tickets.id', '=', id)
        .executeTakeFirst()
      await reindexTicket(trx, ctx.dialect, id, requester?.name ?? '')
    }

    const out = { contactId, messagesErased: messageIds.length, attachmentsDeleted, ticketsKept: ticketIds.length }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'contact.erased',
      targetType: 'contact',
      targetId: contactId,
      data: { ...out, mergedContactIds: merged.map((m) => m.id), rawEmailsDeleted, exportsDeleted: exports.length },
    })
    return out
  })
  // Files go after the commit: a rolled-back erasure must not have lost them.
  for (const hash of blobHashes) await deleteBlobIfUnreferenced(ctx, hash)
  return result
}
