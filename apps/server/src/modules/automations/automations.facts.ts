import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { Facts } from './automations.conditions.ts'

/** What the event adds to the ticket's facts: the message it was about, the SLA metric, a survey answer. */
export interface EventContext {
  messageId?: number | null
  /** Use the ticket's opening message (ticket.created). */
  openingMessage?: boolean
  /** Use the ticket's latest message (dry-run). */
  latestMessage?: boolean
  sla?: { metric: string } | null
  csat?: boolean
}

/**
 * Loads the facts for a batch of tickets with a fixed number of queries (tickets with their inbox, requester and
 * organization; tags; requester emails; the event's messages; survey scores), whatever the batch size. Merged
 * tickets are left out: they are closed redirects.
 */
export async function loadFacts(db: Executor, ticketIds: number[], event: EventContext = {}): Promise<Map<number, Facts>> {
  const out = new Map<number, Facts>()
  if (!ticketIds.length) return out
  const rows = await db
    .selectFrom('tickets')
    .innerJoin('inboxes', 'inboxes.id', 'tickets.inboxId')
    .innerJoin('contacts', 'contacts.id', 'tickets.requesterId')
    .leftJoin('organizations', 'organizations.id', 'tickets.organizationId')
    .select([
      'tickets.id',
      'tickets.status',
      'tickets.priority',
      'tickets.inboxId',
      'inboxes.type as channel',
      'tickets.teamId',
      'tickets.assigneeId',
      'tickets.subject',
      'tickets.customFields',
      'tickets.createdAt',
      'tickets.updatedAt',
      'tickets.solvedAt',
      'tickets.lastMessageId',
      'tickets.requesterId',
      'tickets.mergedIntoId',
      'contacts.name as requesterName',
      'contacts.vip',
      'organizations.name as organizationName',
      'organizations.tier',
    ])
    .where('tickets.id', 'in', ticketIds)
    .execute()
  const live = rows.filter((r) => r.mergedIntoId === null)
  if (!live.length) return out
  const ids = live.map((r) => r.id)
  const tags = await db.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ids).orderBy('tag').execute()
  const emails = await db
    .selectFrom('contactIdentities')
    .select(['contactId', 'value'])
    .where('contactId', 'in', [...new Set(live.map((r) => r.requesterId))])
    .where('kind', '=', 'email')
    .orderBy('id')
    .execute()
  const emailOf = new Map<number, string>()
  for (const e of emails) if (!emailOf.has(e.contactId)) emailOf.set(e.contactId, e.value)

  // Which message each ticket's facts describe.
  const messageIdOf = new Map<number, number>()
  if (event.messageId) for (const id of ids) messageIdOf.set(id, event.messageId)
  else if (event.latestMessage) for (const r of live) if (r.lastMessageId) messageIdOf.set(r.id, r.lastMessageId)
  const firsts = new Map<number, number>()
  if (event.messageId || event.openingMessage || event.latestMessage) {
    const rows = await db
      .selectFrom('messages')
      .select(['ticketId', (eb) => eb.fn.min<number>('id').as('id')])
      .where('ticketId', 'in', ids)
      .where('kind', '!=', 'event')
      .groupBy('ticketId')
      .execute()
    for (const r of rows) firsts.set(r.ticketId, Number(r.id))
    if (event.openingMessage) for (const [ticketId, id] of firsts) messageIdOf.set(ticketId, id)
  }
  const messages = messageIdOf.size
    ? await db
        .selectFrom('messages')
        .leftJoin('users', 'users.id', 'messages.authorUserId')
        .select(['messages.id', 'messages.ticketId', 'messages.kind', 'messages.fullText', 'messages.authorContactId', 'users.email as userEmail'])
        .where('messages.id', 'in', [...new Set(messageIdOf.values())])
        .execute()
    : []
  const authorEmails = new Map<number, string>()
  const authorContacts = [...new Set(messages.map((m) => m.authorContactId).filter((x): x is number => x !== null))].filter((id) => !emailOf.has(id))
  if (authorContacts.length)
    for (const e of await db
      .selectFrom('contactIdentities')
      .select(['contactId', 'value'])
      .where('contactId', 'in', authorContacts)
      .where('kind', '=', 'email')
      .execute())
      if (!authorEmails.has(e.contactId)) authorEmails.set(e.contactId, e.value)
  const messageById = new Map(messages.map((m) => [m.id, m]))

  const scores = new Map<number, number | null>()
  if (event.csat) {
    const rated = await db
      .selectFrom('csatRequests')
      .select(['ticketId', 'score'])
      .where('ticketId', 'in', ids)
      .where('status', '=', 'rated')
      .orderBy('ratedAt', 'asc')
      .execute()
    for (const r of rated) scores.set(r.ticketId, r.score)
  }

  const t = now()
  for (const r of live) {
    const m = messageById.get(messageIdOf.get(r.id) ?? -1)
    const fromEmail = m ? (m.authorContactId ? (emailOf.get(m.authorContactId) ?? authorEmails.get(m.authorContactId) ?? null) : (m.userEmail ?? null)) : null
    out.set(r.id, {
      ticket: {
        id: r.id,
        status: r.status,
        priority: r.priority,
        inboxId: r.inboxId,
        channel: r.channel,
        teamId: r.teamId,
        assigneeId: r.assigneeId,
        tags: tags.filter((x) => x.ticketId === r.id).map((x) => x.tag),
        subject: r.subject,
        custom: readJson<Record<string, unknown>>(r.customFields, {}),
        createdAt: Number(r.createdAt),
        updatedAt: Number(r.updatedAt),
        solvedAt: r.solvedAt === null ? null : Number(r.solvedAt),
      },
      requester: { name: r.requesterName, email: emailOf.get(r.requesterId) ?? null, vip: !!r.vip },
      organization: { name: r.organizationName ?? null, tier: r.tier ?? null },
      message:
        m && m.ticketId === r.id
          ? { id: m.id, body: m.fullText, from: fromEmail, fromCustomer: m.kind === 'customer', isFirst: firsts.get(r.id) === m.id }
          : null,
      sla: event.sla ?? null,
      csat: event.csat ? { score: scores.get(r.id) ?? null } : null,
      now: t,
    })
  }
  return out
}
