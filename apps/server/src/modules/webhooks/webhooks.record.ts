import { randomBytes } from 'node:crypto'
import type { WebhookEventType } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { TransactionalListener } from '../../platform/context.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { deliverWebhookJob } from './jobs/deliver-webhook.ts'
import { type TicketChanges, trackTicketChanges } from './webhooks.changes.ts'
import { enabledSubscriptions, type Subscription, type Subscriptions } from './webhooks.subscriptions.ts'

/** The ids an event is about, kept on the delivery; the payload is built from them at the first attempt. */
export type DeliveryRefs = {
  ticketId?: number
  messageId?: number
  intoTicketId?: number
  contactId?: number
  csatRequestId?: number
  changes?: TicketChanges
  webhookId?: number
  /** SLA events: which target and when it was due. */
  sla?: { metric: string; dueAt: number | null; policyId: number | null }
}

/** A webhook event found in a transaction; `key` names it, so one event is queued once per webhook. */
export type DetectedEvent = { event: WebhookEventType; key: string; refs: DeliveryRefs }

/** The webhook-id of a delivery: fixed before the first attempt, the same on every retry and redelivery. */
export const newMessageId = () => `msg_${randomBytes(16).toString('base64url')}`

/** Domain events about a ticket whose transaction may have changed its fields. */
const TICKET_CHANGE_EVENTS = new Set(['ticket.updated', 'message.created', 'ticket.merged', 'chat.changed'])

const idsOf = (events: readonly DomainEvent[], names: ReadonlySet<string>) => [
  ...new Set(events.filter((e) => names.has(e.name) && e.ticket).map((e) => e.ticket!.id)),
]
const numberIn = (payload: Record<string, unknown>, key: string) => (typeof payload[key] === 'number' ? (payload[key] as number) : undefined)

/**
 * Maps a transaction's domain events to webhook events, reading only what the subscribed events need. Some are
 * recognised by the rows the transaction wrote (`startedAt`): a requester contact created with its ticket, a rating,
 * a chat that ended.
 */
export async function detectEvents(
  trx: Transaction<DB>,
  events: readonly DomainEvent[],
  startedAt: number,
  subscriptions: Pick<Subscriptions, 'wanted' | 'ticketTrackingSince'>,
): Promise<DetectedEvent[]> {
  const { wanted } = subscriptions
  const out: DetectedEvent[] = []
  const created = idsOf(events, new Set(['ticket.created']))
  const touched = idsOf(events, TICKET_CHANGE_EVENTS)

  if (wanted.has('ticket.created')) for (const ticketId of created) out.push({ event: 'ticket.created', key: `ticket.created:${ticketId}`, refs: { ticketId } })

  if (wanted.has('message.created')) {
    // A new ticket's opening message has no event of its own: it is announced like every later one.
    const opening = created.length
      ? await trx
          .selectFrom('messages')
          .select(['ticketId', (eb) => eb.fn.min<number>('id').as('id')])
          .where('ticketId', 'in', created)
          .where('kind', '!=', 'event')
          .groupBy('ticketId')
          .execute()
      : []
    const messages = [
      ...opening.map((m) => ({ ticketId: m.ticketId, messageId: Number(m.id) })),
      ...events.flatMap((e) => {
        const messageId = e.name === 'message.created' ? numberIn(e.payload, 'messageId') : undefined
        return messageId && e.ticket ? [{ ticketId: e.ticket.id, messageId }] : []
      }),
    ]
    for (const refs of messages) out.push({ event: 'message.created', key: `message.created:${refs.messageId}`, refs })
  }

  if (wanted.has('ticket.merged'))
    for (const e of events) {
      if (e.name !== 'ticket.merged' || !e.ticket) continue
      out.push({
        event: 'ticket.merged',
        key: `ticket.merged:${e.ticket.id}`,
        refs: { ticketId: e.ticket.id, intoTicketId: numberIn(e.payload, 'intoTicketId') },
      })
    }

  if (wanted.has('contact.created')) {
    const contactIds = events.filter((e) => e.name === 'contact.created').map((e) => numberIn(e.payload, 'contactId'))
    // A requester created in the ticket's own transaction is a new contact too (email, web form, chat, API).
    if (created.length) {
      const requesters = await trx
        .selectFrom('tickets')
        .innerJoin('contacts', 'contacts.id', 'tickets.requesterId')
        .select('contacts.id')
        .where('tickets.id', 'in', created)
        .where('contacts.createdAt', '>=', startedAt)
        .execute()
      contactIds.push(...requesters.map((r) => r.id))
    }
    for (const contactId of new Set(contactIds)) if (contactId) out.push({ event: 'contact.created', key: `contact.created:${contactId}`, refs: { contactId } })
  }

  if (wanted.has('chat.started') && created.length) {
    const chats = await trx.selectFrom('chatConversations').select('ticketId').where('ticketId', 'in', created).execute()
    for (const { ticketId } of chats) out.push({ event: 'chat.started', key: `chat.started:${ticketId}`, refs: { ticketId } })
  }

  if (wanted.has('chat.ended') && touched.length) {
    const ended = await trx
      .selectFrom('chatConversations')
      .select(['ticketId', 'endedAt'])
      .where('ticketId', 'in', touched)
      .where('status', '=', 'ended')
      .where('endedAt', '>=', startedAt)
      .execute()
    for (const { ticketId, endedAt } of ended) out.push({ event: 'chat.ended', key: `chat.ended:${ticketId}:${endedAt}`, refs: { ticketId } })
  }

  for (const name of ['sla.warning', 'sla.breached'] as const) {
    if (!wanted.has(name)) continue
    for (const e of events) {
      if (e.name !== name || !e.ticket) continue
      const sla = { metric: String(e.payload.metric), dueAt: numberIn(e.payload, 'dueAt') ?? null, policyId: numberIn(e.payload, 'policyId') ?? null }
      out.push({ event: name, key: `${name}:${e.ticket.id}:${sla.metric}:${sla.dueAt}`, refs: { ticketId: e.ticket.id, sla } })
    }
  }

  if (wanted.has('csat.rated')) {
    const rated = [...new Set(events.filter((e) => e.name === 'ticket.updated' && e.payload.csat === true && e.ticket).map((e) => e.ticket!.id))]
    if (rated.length) {
      const requests = await trx
        .selectFrom('csatRequests')
        .select(['id', 'ticketId'])
        .where('ticketId', 'in', rated)
        .where('status', '=', 'rated')
        .where('ratedAt', '>=', startedAt)
        .execute()
      for (const r of requests) out.push({ event: 'csat.rated', key: `csat.rated:${r.id}`, refs: { ticketId: r.ticketId, csatRequestId: r.id } })
    }
  }

  if (wanted.has('ticket.updated') && (touched.length || created.length)) {
    const changed = await trackTicketChanges(
      trx,
      touched.filter((id) => !created.includes(id)),
      created,
      { startedAt, trackingSince: subscriptions.ticketTrackingSince },
    )
    for (const [ticketId, changes] of changed)
      out.push({ event: 'ticket.updated', key: `ticket.updated:${ticketId}:${startedAt}:${newMessageId()}`, refs: { ticketId, changes } })
  }
  return out
}

/** Inserts one delivery per event and subscribed webhook and queues its job, in the caller's transaction. */
export async function queueDeliveries(trx: Transaction<DB>, subscriptions: Subscription[], detected: DetectedEvent[]): Promise<number[]> {
  const t = now()
  const unique = [...new Map(detected.map((d) => [d.key, d])).values()]
  const rows = unique.flatMap((d) =>
    subscriptions
      .filter((s) => s.events.has(d.event))
      .map((s) => ({
        webhookId: s.id,
        messageId: newMessageId(),
        event: d.event,
        eventKey: d.key,
        refs: JSON.stringify(d.refs),
        status: 'pending',
        createdAt: t,
      })),
  )
  if (!rows.length) return []
  const inserted = await trx
    .insertInto('webhookDeliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['webhookId', 'eventKey']).doNothing())
    .returning('id')
    .execute()
  for (const { id } of inserted) await enqueueJob(trx, deliverWebhookJob, { deliveryId: id }, { idempotencyKey: `webhook-delivery:${id}` })
  return inserted.map((r) => r.id)
}

/**
 * The platform hook (registered by the routes plugin): inside every transaction that emitted events, queue the
 * deliveries its changes call for. With no enabled webhook it returns at once from a cached list.
 */
export const recordWebhookEvents: TransactionalListener = async (ctx, trx, events, tx) => {
  const subscriptions = await enabledSubscriptions(ctx, trx)
  if (!subscriptions.list.length) return
  const detected = await detectEvents(trx, events, tx.startedAt, subscriptions)
  if (detected.length) await queueDeliveries(trx, subscriptions.list, detected)
}
