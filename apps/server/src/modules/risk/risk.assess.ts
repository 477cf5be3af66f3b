import type { Priority, RiskLevel, RiskReason, RiskRuleConfig } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { loadRiskConfig } from './risk.cache.ts'
import { assessRisk, matchCategory, type RiskFacts } from './risk.evaluate.ts'

/** How much of each recent customer message the text rules read: enough for signals, bounded cost. */
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

/**
 * Recomputes a ticket's risk from the enabled rules and stores it (level, reasons, which rules matched);
 * an uncategorised ticket gets the category its text mentions most. Reads only indexed rows: the
 * ticket, its last few customer messages, the requester, and per-requester counts in a time window.
 */
export async function assessTicket(db: Executor, ticketId: number): Promise<Assessment | undefined> {
  const ticket = await db
    .selectFrom('tickets')
    .select([
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
    ])
    .where('id', '=', ticketId)
    .executeTakeFirst()
  if (!ticket || ticket.mergedIntoId !== null) return undefined
  const { rules, categories } = await loadRiskConfig(db)
  const t = now()
  const needs = new Set(rules.map((r) => r.type))
  const textRules = needs.has('keywords') || needs.has('anger') || needs.has('language') || (ticket.categoryId === null && categories.length > 0)
  const [messages, contact, organization] = await Promise.all([
    textRules
      ? db
          .selectFrom('messages')
          .select('text')
          .where('ticketId', '=', ticketId)
          .where('kind', '=', 'customer')
          .orderBy('id', 'desc')
          .limit(RECENT_MESSAGES)
          .execute()
      : [],
    needs.has('vip') ? db.selectFrom('contacts').select('vip').where('id', '=', ticket.requesterId).executeTakeFirst() : undefined,
    needs.has('vip') && ticket.organizationId !== null
      ? db.selectFrom('organizations').select('tier').where('id', '=', ticket.organizationId).executeTakeFirst()
      : undefined,
  ])
  const repeatCounts = new Map<number, { tickets: number; messages: number }>()
  for (const rule of rules) {
    if (rule.type !== 'repeat_contact') continue
    repeatCounts.set(rule.id, await countRecentContacts(db, ticket.requesterId, t - (rule.config.hours ?? 24) * 3_600_000, rule.config))
  }
  const customerTexts = messages.map((m) => m.text.slice(0, TEXT_CAP))
  const facts: RiskFacts = {
    subject: ticket.subject,
    customerTexts,
    priority: ticket.priority as Priority,
    status: ticket.status,
    contactVip: !!contact?.vip,
    organizationTier: organization?.tier ?? null,
    repeatCounts,
    createdAt: ticket.createdAt,
    firstResponseAt: ticket.firstResponseAt,
    now: t,
  }
  const { level, reasons } = assessRisk(rules, facts)
  const categoryId = ticket.categoryId ?? matchCategory(categories, [ticket.subject, ...customerTexts])
  const before = readJson<RiskReason[]>(ticket.riskReasons, [])
  const changed = level !== ticket.riskLevel || writeJson(before) !== writeJson(reasons) || categoryId !== ticket.categoryId
  if (changed) {
    await db
      .updateTable('tickets')
      .set({ riskLevel: level, riskReasons: writeJson(reasons), categoryId })
      .where('id', '=', ticketId)
      .execute()
    await recordMatches(db, ticketId, reasons, t)
  }
  return {
    ticketId,
    teamId: ticket.teamId,
    assigneeId: ticket.assigneeId,
    categoryId,
    previousLevel: ticket.riskLevel as RiskLevel,
    level,
    reasons,
    changed,
    messageCount: ticket.messageCount,
  }
}

async function countRecentContacts(db: Executor, requesterId: number, since: number, c: RiskRuleConfig) {
  const [tickets, messages] = await Promise.all([
    c.tickets
      ? db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('requesterId', '=', requesterId)
          .where('createdAt', '>=', since)
          .executeTakeFirstOrThrow()
      : { n: 0 },
    c.messages
      ? db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('authorContactId', '=', requesterId)
          .where('createdAt', '>=', since)
          .executeTakeFirstOrThrow()
      : { n: 0 },
  ])
  return { tickets: Number(tickets.n), messages: Number(messages.n) }
}

/** Keeps risk_rule_matches in step: rules that match now are listed (first match time kept), others removed. */
async function recordMatches(db: Executor, ticketId: number, reasons: RiskReason[], at: number) {
  const ruleIds = reasons.map((r) => r.ruleId).filter((id): id is number => id !== null)
  let stale = db.deleteFrom('riskRuleMatches').where('ticketId', '=', ticketId)
  if (ruleIds.length) stale = stale.where('ruleId', 'not in', ruleIds)
  await stale.execute()
  if (!ruleIds.length) return
  await db
    .insertInto('riskRuleMatches')
    .values(reasons.filter((r) => r.ruleId !== null).map((r) => ({ ruleId: r.ruleId!, ticketId, detail: r.detail, matchedAt: at })))
    .onConflict((oc) => oc.columns(['ruleId', 'ticketId']).doUpdateSet((eb) => ({ detail: eb.ref('excluded.detail') })))
    .execute()
}
