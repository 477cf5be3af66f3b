import { type ExpressionBuilder, sql } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Executor } from '../../platform/context.ts'
import { ticketFromTaggedAddress } from './email.addresses.ts'
import { allRecipients, type MailSummary } from './email.parse.ts'

export type ThreadMatch = { ticketId: number; via: 'address_tag' | 'our_message_id' | 'message_id' | 'thread_index' | 'subject_token' }

/** Someone already in the ticket's conversation: its requester, a Cc'd participant, or one of our users. */
function takesPart(eb: ExpressionBuilder<DB, 'tickets'>, address: string) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('contactIdentities')
        .select(sql.lit(1).as('one'))
        .whereRef('contactIdentities.contactId', '=', 'tickets.requesterId')
        .where('contactIdentities.value', '=', address),
    ),
    eb.exists(
      eb
        .selectFrom('ticketParticipants')
        .select(sql.lit(1).as('one'))
        .whereRef('ticketParticipants.ticketId', '=', 'tickets.id')
        .where('ticketParticipants.email', '=', address),
    ),
    eb.exists(eb.selectFrom('users').select(sql.lit(1).as('one')).where('users.email', '=', address).where('users.isActive', '=', 1)),
  ])
}

/**
 * Follows merges to the ticket that lives on; null when the id is unknown or in another inbox. With `sender` (for
 * evidence anyone could copy), also null unless the sender already takes part in that ticket: asked by the same
 * statement that reads the ticket, so an unmerged ticket costs one round trip.
 */
async function liveTicket(db: Executor, ticketId: number, inboxId: number, sender?: string): Promise<number | null> {
  const address = sender?.toLowerCase()
  let id = ticketId
  for (let hops = 0; hops < 10; hops++) {
    const t = await db
      .selectFrom('tickets')
      .select(['id', 'inboxId', 'mergedIntoId'])
      .$if(address !== undefined, (q) => q.select((eb) => takesPart(eb, address!).as('senderTakesPart')))
      .where('id', '=', id)
      .executeTakeFirst()
    if (!t || t.inboxId !== inboxId) return null
    if (t.mergedIntoId === null) return address === undefined || t.senderTakesPart ? t.id : null
    id = t.mergedIntoId
  }
  return null
}

/**
 * Which existing ticket an inbound message continues, strongest evidence first. References to our own
 * outbound mail or a signed reply address always thread; evidence anyone could copy (another person's
 * Message-ID, an Outlook thread id, a "[#123]" subject token) only threads a sender already in the ticket,
 * so replies from strangers to the same newsletter, or a stranger quoting a number, open their own tickets.
 */
export async function findThread(db: Executor, inboxId: number, mail: MailSummary, secret: string): Promise<ThreadMatch | null> {
  const sender = mail.from?.address ?? ''
  for (const address of allRecipients(mail)) {
    const tagged = ticketFromTaggedAddress(address, secret)
    const ticketId = tagged ? await liveTicket(db, tagged, inboxId) : null
    if (ticketId) return { ticketId, via: 'address_tag' }
  }

  const ids = [...mail.inReplyTo, ...[...mail.references].reverse()]
  if (ids.length) {
    const rows = await db
      .selectFrom('emailThreadKeys')
      .select(['key', 'ticketId', 'direction'])
      .where('inboxId', '=', inboxId)
      .where('key', 'in', ids.slice(0, 100))
      .execute()
    const ranked = rows.sort((a, b) => ids.indexOf(a.key) - ids.indexOf(b.key))
    for (const row of ranked.filter((r) => r.direction === 'outbound')) {
      const ticketId = await liveTicket(db, row.ticketId, inboxId)
      if (ticketId) return { ticketId, via: 'our_message_id' }
    }
    for (const row of ranked) {
      const ticketId = await liveTicket(db, row.ticketId, inboxId, sender)
      if (ticketId) return { ticketId, via: 'message_id' }
    }
  }

  if (mail.threadIndexRoot) {
    const row = await db
      .selectFrom('emailThreadKeys')
      .select('ticketId')
      .where('inboxId', '=', inboxId)
      .where('key', '=', `ti:${mail.threadIndexRoot}`)
      .orderBy('createdAt', 'desc')
      .executeTakeFirst()
    const ticketId = row ? await liveTicket(db, row.ticketId, inboxId, sender) : null
    if (ticketId) return { ticketId, via: 'thread_index' }
  }

  const token = /\[#(\d{1,10})\]/.exec(mail.subject)
  if (token) {
    const ticketId = await liveTicket(db, Number(token[1]), inboxId, sender)
    if (ticketId) return { ticketId, via: 'subject_token' }
  }
  return null
}

/** A message's thread keys, as rememberThreadKeys writes them. */
export interface ThreadKeys {
  inboxId: number
  ticketId: number
  messageId: number | null
  direction: 'inbound' | 'outbound'
  headerMessageId: string | null
  threadIndexRoot?: string | null
  at: number
}

/** Remembers the Message-ID (and Outlook thread root) of a message so later replies find the ticket. */
export async function rememberThreadKeys(db: Executor, m: ThreadKeys): Promise<void> {
  await threadKeysInsert(db, m)?.execute()
}

/** rememberThreadKeys's statement, not run (null when there is nothing to remember): for foldingWrites. */
export function threadKeysInsert(db: Executor, m: ThreadKeys) {
  const keys = [m.headerMessageId, m.threadIndexRoot ? `ti:${m.threadIndexRoot}` : null].filter((k): k is string => !!k)
  if (!keys.length) return null
  return db
    .insertInto('emailThreadKeys')
    .values(keys.map((key) => ({ key, ticketId: m.ticketId, inboxId: m.inboxId, messageId: m.messageId, direction: m.direction, createdAt: m.at })))
    .onConflict((oc) => oc.columns(['key', 'ticketId']).doNothing())
}

/**
 * Adds people to a ticket in one statement, not run (null when there is nobody): an address already there (or
 * listed twice) keeps its first role. For foldingWrites.
 */
export function participantsInsert(db: Executor, ticketId: number, people: { email: string; role: 'requester' | 'cc' }[]) {
  const roles = new Map<string, 'requester' | 'cc'>()
  for (const p of people) {
    const email = p.email.toLowerCase()
    if (!roles.has(email)) roles.set(email, p.role)
  }
  if (!roles.size) return null
  return db
    .insertInto('ticketParticipants')
    .values([...roles].map(([email, role]) => ({ ticketId, email, role })))
    .onConflict((oc) => oc.columns(['ticketId', 'email']).doNothing())
}
