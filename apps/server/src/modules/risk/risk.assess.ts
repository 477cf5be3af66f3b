import type { Priority, RiskLevel, RiskReason } from '@allhands/contract'
import { type ExpressionBuilder, type Selectable, type SelectQueryBuilder, sql, type Updateable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { foldingWrites, type Write } from '../../platform/folded-writes.ts'
import { reportMark } from '../../platform/report-queue.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { loadRiskConfig } from './risk.cache.ts'
import { assessRisk, type CompiledRule, matchCategory, type RiskFacts, repeatCountCap } from './risk.evaluate.ts'

/** How many recent customer messages, and how much of each, the text rules read: enough for signals, bounded cost. */
const RECENT_MESSAGES = 5
const TEXT_CAP = 10_000

export interface Assessment {
  ticketId: number
  teamId: number | null
  assigneeId: number | null
  categoryId: number | null
  previousLevel: RiskLevel
  level: RiskLevel
  reasons: RiskReason[]
  changed: boolean
  messageCount: number
}

/** What the risk assessment reads of a ticket (insertMessage reads it back from the update that counts a message). */
export const RISK_TICKET_COLUMNS = [
  'id',
  'subject',
  'status',
  'priority',
  'teamId',
  'assigneeId',
  'requesterId',
  'organizationId',
  'categoryId',
  'riskLevel',
  'riskReasons',
  'createdAt',
  'firstResponseAt',
  'messageCount',
  'mergedIntoId',
] as const
export type RiskTicketRow = Pick<Selectable<DB['tickets']>, (typeof RISK_TICKET_COLUMNS)[number]>

/** Recomputes and stores one ticket's risk (see assessTickets). */
export async function assessTicket(db: Executor, ticketId: number): Promise<Assessment | undefined> {
  return (await assessTickets(db, [ticketId]))[0]
}

/**
 * Recomputes tickets' risk from the enabled rules and stores it (level, reasons, which rules matched);
 * an uncategorised ticket gets the category its text mentions most. Reads in a fixed number of
 * indexed queries whatever the batch size: the tickets, their customer messages, the requesters and
 * their organizations, and per-requester counts in each repeat-contact window. Merged tickets are skipped.
 */
export async function assessTickets(db: Executor, ids: number[]): Promise<Assessment[]> {
  if (!ids.length) return []
  return assessLoadedTickets(db, await db.selectFrom('tickets').select(RISK_TICKET_COLUMNS).where('id', 'in', ids).execute())
}

/** Where a repeat-contact rule's window starts, at `t`: what it counts lies at or after it. */
const repeatWindowStart = (rule: CompiledRule, t: number) => t - (rule.config.hours ?? 24) * 3_600_000

/**
 * What the rules need to know about requesters, in one statement whatever the rules: whether each is a VIP, and per
 * repeat-contact rule how many tickets and messages each started within the rule's window, counted up to
 * repeatCountCap (a bounded index range per requester). Keyed `<fact>:<contactId>`.
 */
async function requesterFacts(db: Executor, rules: CompiledRule[], requesterIds: number[], t: number): Promise<Map<string, number>> {
  // Every part selects (fact, contactId, n); UNION ALL needs them typed alike.
  const parts: SelectQueryBuilder<DB, any, { fact: string; contactId: number | null; n: number }>[] = []
  if (rules.some((r) => r.type === 'vip'))
    parts.push(
      db
        .selectFrom('contacts')
        .select([sql.lit('vip').as('fact'), 'id as contactId', 'vip as n'])
        .where('id', 'in', requesterIds),
    )
  // Per requester, the rows of the window up to the cap, counted.
  const recentCount = (fact: string, rows: (eb: ExpressionBuilder<DB, 'contacts'>) => SelectQueryBuilder<DB, any, object>, cap: number) =>
    db
      .selectFrom('contacts')
      .select((eb) => [
        sql.lit(fact).as('fact'),
        'contacts.id as contactId',
        eb
          .selectFrom(rows(eb).select(sql.lit(1).as('one')).limit(cap).as('recent'))
          .select(eb.fn.countAll<number>().as('n'))
          .$asScalar()
          .as('n'),
      ])
      .where('contacts.id', 'in', requesterIds)
  for (const rule of rules) {
    if (rule.type !== 'repeat_contact') continue
    const since = repeatWindowStart(rule, t)
    if (rule.config.tickets)
      parts.push(
        recentCount(
          `tickets-${rule.id}`,
          (eb) => eb.selectFrom('tickets').whereRef('tickets.requesterId', '=', 'contacts.id').where('tickets.createdAt', '>=', since),
          repeatCountCap(rule.config.tickets),
        ),
      )
    if (rule.config.messages)
      parts.push(
        recentCount(
          `messages-${rule.id}`,
          (eb) => eb.selectFrom('messages').whereRef('messages.authorContactId', '=', 'contacts.id').where('messages.createdAt', '>=', since),
          repeatCountCap(rule.config.messages),
        ),
      )
  }
  if (!parts.length) return new Map()
  const rows = await parts.reduce((all, part) => all.unionAll(part)).execute()
  return new Map(rows.map((r) => [`${r.fact}:${r.contactId}`, Number(r.n)]))
}

/** What a caller that has just written the ticket already knows (assessLoadedTickets). */
export interface AssessmentHints {
  /** The ticket's first and only customer message, just written (a new ticket): its messages need not be read back. */
  onlyMessage?: string
  /**
   * The (one) ticket's requester was created with it, in this transaction: it has this ticket and this message and is
   * no VIP, so what the rules count of requesters need not be read.
   */
  requesterIsNew?: boolean
  /** More columns of the (one) ticket the caller has to write: written by the same update, which then runs whether or not the risk changed. */
  alsoSet?: Updateable<DB['tickets']>
  /**
   * The writes (rule matches, report mark, the ticket's update) are added here instead of run, for a caller that runs
   * them with its own last statement (foldingWrites) before anything reads the ticket again.
   */
  deferInto?: (Write | null)[]
}

/** The requester facts (as requesterFacts keys them) of a requester created with this one ticket and its first message. */
function factsOfNewRequester(rules: CompiledRule[], ticket: RiskTicketRow, t: number): Map<string, number> {
  const facts = new Map<string, number>()
  for (const rule of rules) {
    if (rule.type !== 'repeat_contact') continue
    // The ticket and its message were written at its creation time (an imported one's may lie before the window).
    const inWindow = ticket.createdAt >= repeatWindowStart(rule, t) ? 1 : 0
    facts.set(`tickets-${rule.id}:${ticket.requesterId}`, inWindow)
    facts.set(`messages-${rule.id}:${ticket.requesterId}`, inWindow)
  }
  return facts
}

/** assessTickets for rows the caller has read already, with what it knows of them (AssessmentHints). */
export async function assessLoadedTickets(
  db: Executor,
  rows: RiskTicketRow[],
  { onlyMessage, requesterIsNew, alsoSet, deferInto }: AssessmentHints = {},
): Promise<Assessment[]> {
  const tickets = rows.filter((t) => t.mergedIntoId === null)
  if (!tickets.length) return []
  const { rules, categories } = await loadRiskConfig(db)
  const t = now()
  const needs = new Set(rules.map((r) => r.type))
  const readsText = needs.has('keywords') || needs.has('anger') || needs.has('language') || categories.length > 0
  const ticketIds = tickets.map((x) => x.id)
  const requesterIds = [...new Set(tickets.map((x) => x.requesterId))]
  const orgIds = [...new Set(tickets.map((x) => x.organizationId).filter((id): id is number => id !== null))]
  let messages =
    readsText && onlyMessage === undefined
      ? db.selectFrom('messages').select(['ticketId', 'text']).where('ticketId', 'in', ticketIds).where('kind', '=', 'customer').orderBy('id', 'desc')
      : null
  if (messages && ticketIds.length === 1) messages = messages.limit(RECENT_MESSAGES)
  const [texts, known, orgs] = await Promise.all([
    messages ? messages.execute() : readsText && onlyMessage !== undefined ? tickets.map((x) => ({ ticketId: x.id, text: onlyMessage })) : [],
    requesterIsNew && tickets.length === 1 ? factsOfNewRequester(rules, tickets[0]!, t) : requesterFacts(db, rules, requesterIds, t),
    needs.has('vip') && orgIds.length ? db.selectFrom('organizations').select(['id', 'tier']).where('id', 'in', orgIds).execute() : [],
  ])
  const textsOf = new Map<number, string[]>()
  for (const m of texts) {
    const list = textsOf.get(m.ticketId) ?? []
    if (list.length < RECENT_MESSAGES) list.push(m.text.slice(0, TEXT_CAP))
    textsOf.set(m.ticketId, list)
  }
  const out: Assessment[] = []
  for (const ticket of tickets) {
    const customerTexts = textsOf.get(ticket.id) ?? []
    const fact = (name: string) => known.get(`${name}:${ticket.requesterId}`) ?? 0
    const repeatCounts = new Map<number, { tickets: number; messages: number }>()
    for (const rule of rules)
      if (rule.type === 'repeat_contact') repeatCounts.set(rule.id, { tickets: fact(`tickets-${rule.id}`), messages: fact(`messages-${rule.id}`) })
    const facts: RiskFacts = {
      subject: ticket.subject,
      customerTexts,
      priority: ticket.priority as Priority,
      status: ticket.status,
      contactVip: fact('vip') > 0,
      organizationTier: orgs.find((o) => o.id === ticket.organizationId)?.tier ?? null,
      repeatCounts,
      createdAt: ticket.createdAt,
      firstResponseAt: ticket.firstResponseAt,
      now: t,
    }
    const { level, reasons } = assessRisk(rules, facts)
    const categoryId = ticket.categoryId ?? matchCategory(categories, [ticket.subject, ...customerTexts])
    const changed =
      level !== ticket.riskLevel || writeJson(readJson<RiskReason[]>(ticket.riskReasons, [])) !== writeJson(reasons) || categoryId !== ticket.categoryId
    if (changed || alsoSet) {
      // One statement on PostgreSQL: the rule matches and the report mark go with the update (foldingWrites).
      // A new ticket (its only message given) has no earlier matches to clear.
      const writes = [...(changed ? matchWrites(db, ticket.id, reasons, t, { fresh: onlyMessage !== undefined }) : []), reportMark(db, [ticket.id])]
      const set = { ...alsoSet, ...(changed ? { riskLevel: level, riskReasons: writeJson(reasons), categoryId } : {}) }
      if (deferInto) deferInto.push(...writes, db.updateTable('tickets').set(set).where('id', '=', ticket.id))
      else await (await foldingWrites(db, writes)).updateTable('tickets').set(set).where('id', '=', ticket.id).execute()
    }
    out.push({
      ticketId: ticket.id,
      teamId: ticket.teamId,
      assigneeId: ticket.assigneeId,
      categoryId,
      previousLevel: ticket.riskLevel as RiskLevel,
      level,
      reasons,
      changed,
      messageCount: ticket.messageCount,
    })
  }
  return out
}

/**
 * Keeps risk_rule_matches in step, as statements for foldingWrites: rules that match now are listed (first match time
 * kept), others removed. The two touch different rows, so they may run as parts of one statement.
 */
function matchWrites(db: Executor, ticketId: number, reasons: RiskReason[], at: number, opts: { fresh: boolean }) {
  const ruleIds = reasons.map((r) => r.ruleId).filter((id): id is number => id !== null)
  let stale = opts.fresh ? null : db.deleteFrom('riskRuleMatches').where('ticketId', '=', ticketId)
  if (stale && ruleIds.length) stale = stale.where('ruleId', 'not in', ruleIds)
  const current = ruleIds.length
    ? db
        .insertInto('riskRuleMatches')
        .values(reasons.filter((r) => r.ruleId !== null).map((r) => ({ ruleId: r.ruleId!, ticketId, detail: r.detail, matchedAt: at })))
        .onConflict((oc) => oc.columns(['ruleId', 'ticketId']).doUpdateSet((eb) => ({ detail: eb.ref('excluded.detail') })))
    : null
  return [stale, current]
}
