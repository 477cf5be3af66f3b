import type { ExpressionBuilder } from 'kysely'
import type { Executor } from '../../platform/context.ts'
import type { CycleFact, PeopleAndChannels, ResponderFact, SourcesOfTicket, TicketSource } from './reports.facts.ts'

/**
 * Set-based reads for a batch of tickets: one query per table for the whole batch, either a list of
 * ids (the queue) or an id range (the rebuild walks the tickets in id order).
 */
export type TicketSelector = { ids: readonly number[] } | { fromId: number; toId: number }

const selected = (eb: ExpressionBuilder<any, any>, column: string, sel: TicketSelector) =>
  'ids' in sel ? eb(column, 'in', sel.ids.length ? [...sel.ids] : [0]) : eb.between(column, sel.fromId, sel.toId)

export async function loadReference(db: Executor): Promise<PeopleAndChannels> {
  const [users, inboxes] = await Promise.all([
    db.selectFrom('users').select(['id', 'role', 'trustLevel']).execute(),
    db.selectFrom('inboxes').select(['id', 'type']).execute(),
  ])
  return {
    users: new Map(users.map((u) => [u.id, { role: u.role, trustLevel: u.trustLevel }])),
    inboxTypes: new Map(inboxes.map((i) => [i.id, i.type])),
  }
}

export async function loadSources(db: Executor, sel: TicketSelector): Promise<Map<number, SourcesOfTicket>> {
  const [tickets, messages, consultAnswers, tags, csat] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['id', 'inboxId', 'teamId', 'assigneeId', 'priority', 'riskLevel', 'categoryId', 'mergedIntoId', 'createdAt'])
      .where((eb) => selected(eb, 'id', sel))
      .execute(),
    db
      .selectFrom('messages')
      .select(['ticketId', 'id', 'kind', 'authorUserId', 'authorRole', 'authorTrustLevel', 'event', 'createdAt'])
      .where((eb) => selected(eb, 'ticketId', sel))
      .where('kind', 'in', ['customer', 'reply', 'event'])
      .execute(),
    db
      .selectFrom('consults as c')
      .innerJoin('consultMessages as cm', 'cm.consultId', 'c.id')
      .select(['c.ticketId', 'cm.authorId', 'cm.createdAt'])
      .where((eb) => selected(eb, 'c.ticketId', sel))
      .where('cm.isAnswer', '=', 1)
      .execute(),
    db
      .selectFrom('ticketTags')
      .select(['ticketId', 'tag'])
      .where((eb) => selected(eb, 'ticketId', sel))
      .execute(),
    db
      .selectFrom('csatRequests')
      .select(['ticketId', 'solvedAt', 'sentAt', 'score'])
      .where((eb) => selected(eb, 'ticketId', sel))
      .execute(),
  ])
  // The batch's reviews, found by its reply messages (reply_reviews_by_message) and kept when approved by someone.
  // The status stays out of the SQL: given it, the planner may start from every approved review of the help desk
  // instead (SQLite from its status index, 40 ms a batch at 100k tickets whatever the batch size; PostgreSQL with
  // statistics older than the reviews, 0.6 s a batch at 1M).
  const ticketOfReply = new Map(messages.filter((m) => m.kind === 'reply').map((m) => [m.id, m.ticketId]))
  const reviews = (
    await Promise.all(
      chunks([...ticketOfReply.keys()], 1000).map((ids) =>
        db.selectFrom('replyReviews').select(['messageId', 'reviewerId', 'status']).where('messageId', 'in', ids).execute(),
      ),
    )
  ).flat()
  const out = new Map<number, SourcesOfTicket>()
  const of = (id: number) => {
    let s = out.get(id)
    if (!s) {
      s = { ticket: undefined, messages: [], reviews: [], consultAnswers: [], tags: [], csat: [] }
      out.set(id, s)
    }
    return s
  }
  if ('ids' in sel) for (const id of sel.ids) of(id)
  for (const t of tickets) of(t.id).ticket = t as TicketSource
  for (const m of messages) of(m.ticketId).messages.push(m)
  for (const s of out.values()) s.messages.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
  for (const r of reviews)
    if (r.status === 'approved' && r.messageId !== null && r.reviewerId !== null)
      of(ticketOfReply.get(r.messageId)!).reviews.push({ messageId: r.messageId, reviewerId: r.reviewerId })
  for (const a of consultAnswers) of(a.ticketId).consultAnswers.push({ authorId: a.authorId, createdAt: a.createdAt })
  for (const t of tags) of(t.ticketId).tags.push(t.tag)
  for (const c of csat) of(c.ticketId).csat.push({ solvedAt: c.solvedAt, sentAt: c.sentAt, score: c.score })
  return out
}

export async function loadFacts(db: Executor, sel: TicketSelector): Promise<{ cycles: CycleFact[]; responders: ResponderFact[] }> {
  const [cycles, responders] = await Promise.all([
    db
      .selectFrom('reportCycles')
      .selectAll()
      .where((eb) => selected(eb, 'ticketId', sel))
      .execute(),
    db
      .selectFrom('reportCycleResponders')
      .selectAll()
      .where((eb) => selected(eb, 'ticketId', sel))
      .execute(),
  ])
  return { cycles, responders }
}

const chunks = <T>(rows: T[], size: number) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size))

/** Replaces the facts of the selected tickets. */
export async function replaceFacts(db: Executor, sel: TicketSelector, cycles: CycleFact[], responders: ResponderFact[]): Promise<void> {
  await db
    .deleteFrom('reportCycles')
    .where((eb) => selected(eb, 'ticketId', sel))
    .execute()
  await db
    .deleteFrom('reportCycleResponders')
    .where((eb) => selected(eb, 'ticketId', sel))
    .execute()
  for (const part of chunks(cycles, 200)) await db.insertInto('reportCycles').values(part).execute()
  for (const part of chunks(responders, 300)) await db.insertInto('reportCycleResponders').values(part).execute()
}
