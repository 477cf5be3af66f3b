import type { WebhookDeliveryEvent } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import { presentContacts } from '../contacts/contacts.service.ts'
import { presentCsat, selectCsatRows } from '../surveys/csat.queries.ts'
import { presentMessages } from '../tickets/messages.service.ts'
import { presentTickets } from '../tickets/tickets.queries.ts'
import type { DeliveryRefs } from './webhooks.record.ts'

/** Request bodies above this are sent with ids only (`truncated: true`), so a huge ticket cannot stall a receiver. */
export const MAX_REQUEST_BYTES = 256 * 1024

/**
 * The JSON sent for an event: `{id, type, timestamp, data}` (Standard Webhooks' envelope) where `data` holds the
 * ids the event is about and the objects as the REST API presents them to an admin (the same presenters), read at
 * the first attempt. Retries send the stored bytes again.
 */
export async function buildPayload(
  db: Executor,
  d: { messageId: string; event: string; refs: string; createdAt: number },
): Promise<{ body: string; truncated: boolean }> {
  const refs = readJson<DeliveryRefs>(d.refs, {})
  const envelope = (data: Record<string, unknown>, truncated?: boolean) =>
    JSON.stringify({ id: d.messageId, type: d.event, timestamp: new Date(d.createdAt).toISOString(), ...(truncated ? { truncated } : {}), data })
  const body = envelope(await dataFor(db, d.event as WebhookDeliveryEvent, refs))
  if (Buffer.byteLength(body) <= MAX_REQUEST_BYTES) return { body, truncated: false }
  return { body: envelope(idsOf(refs), true), truncated: true }
}

/** The ids (and the ticket changes) of an event: what a truncated payload keeps. */
const idsOf = (refs: DeliveryRefs): Record<string, unknown> => Object.fromEntries(Object.entries(refs).filter(([, v]) => v !== undefined))

const ticketOf = async (db: Executor, id: number | undefined) => (id ? ((await presentTickets(db, [id]))[0] ?? null) : null)

async function dataFor(db: Executor, event: WebhookDeliveryEvent, refs: DeliveryRefs): Promise<Record<string, unknown>> {
  const ids = idsOf(refs)
  switch (event) {
    case 'ping':
      return { ...ids, message: 'A test delivery from Allhands: your endpoint is reachable and can check the signature.' }
    case 'ticket.created':
    case 'ticket.updated':
    case 'sla.warning':
    case 'sla.breached':
      return { ...ids, ticket: await ticketOf(db, refs.ticketId) }
    case 'ticket.merged':
      return { ...ids, ticket: await ticketOf(db, refs.ticketId), intoTicket: await ticketOf(db, refs.intoTicketId) }
    case 'message.created': {
      const [message] = refs.messageId ? await presentMessages(db, [refs.messageId]) : []
      // Internal notes go to webhooks too, flagged: a receiver that mirrors the conversation to customers must skip them.
      return { ...ids, internal: message ? message.kind === 'note' : null, ticket: await ticketOf(db, refs.ticketId), message: message ?? null }
    }
    case 'csat.rated': {
      const row = refs.csatRequestId ? await selectCsatRows(db).where('r.id', '=', refs.csatRequestId).executeTakeFirst() : undefined
      return { ...ids, rating: row ? presentCsat(row) : null, ticket: await ticketOf(db, refs.ticketId) }
    }
    case 'contact.created': {
      const [contact] = refs.contactId ? await presentContacts(db, [refs.contactId]) : []
      return { ...ids, contact: contact ?? null }
    }
    case 'chat.started':
    case 'chat.ended': {
      const chat = refs.ticketId
        ? await db
            .selectFrom('chatConversations')
            .select(['status', 'inboxId', 'visitorId', 'agentId', 'startedAt', 'endedAt', 'rating', 'ratingComment'])
            .where('ticketId', '=', refs.ticketId)
            .executeTakeFirst()
        : undefined
      return { ...ids, chat: chat ?? null, ticket: await ticketOf(db, refs.ticketId) }
    }
  }
}
