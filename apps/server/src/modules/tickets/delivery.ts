import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../platform/context.ts'

/**
 * How a reply reaches the customer depends on the ticket's channel. Channels register a delivery for
 * their inbox type (email queues an outbound job); tickets stay unaware of channels. Called inside the
 * reply's transaction, so the message and its delivery job commit together.
 */
export type ReplyDelivery = (trx: Transaction<DB>, ctx: Ctx, reply: { ticketId: number; messageId: number; inboxId: number }) => Promise<void>

const deliveries = new Map<string, ReplyDelivery>()

export function registerReplyDelivery(inboxType: string, delivery: ReplyDelivery): void {
  deliveries.set(inboxType, delivery)
}

export const replyDeliveryFor = (inboxType: string): ReplyDelivery | undefined => deliveries.get(inboxType)
