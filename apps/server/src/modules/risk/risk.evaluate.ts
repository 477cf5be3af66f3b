import type { Priority, RiskLevel, RiskReason, RiskRuleConfig, RiskRuleType } from '@allhands/contract'
import { riskRank } from '../../platform/policy.ts'
import { detectLanguage, languageName } from './language.ts'

/** An enabled rule as the evaluator needs it, with its word pattern compiled once per cache load. */
export interface CompiledRule {
  id: number
  name: string
  type: RiskRuleType
  level: RiskLevel
  config: RiskRuleConfig
  pattern: RegExp | null
}

/** Everything the rules look at for one ticket, gathered by risk.assess.ts. */
export interface RiskFacts {
  subject: string
  /** The requester's most recent messages on the ticket, newest first (each already capped in length). */
  customerTexts: string[]
  priority: Priority
  status: string
  contactVip: boolean
  organizationTier: string | null
  /** Tickets the requester opened / messages they wrote within each repeat-contact rule's window, by rule id. */
  repeatCounts: Map<number, { tickets: number; messages: number }>
  createdAt: number
  firstResponseAt: number | null
  now: number
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Whole words or phrases, any case; spaces in a phrase match any run of whitespace. */
export function wordPattern(words: string[] | undefined): RegExp | null {
  const parts = [...new Set((words ?? []).map((w) => w.trim()).filter(Boolean))].map((w) => escapeRegExp(w).replace(/\s+/g, '\\s+'))
  if (!parts.length) return null
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
}

function matchedWords(pattern: RegExp, texts: string[], limit = 5): string[] {
  const found = new Set<string>()
  for (const text of texts) {
    for (const m of text.matchAll(pattern)) {
      found.add(m[0].toLowerCase().replace(/\s+/g, ' '))
      if (found.size >= limit) return [...found]
    }
  }
  return [...found]
}

/**
 * How far a repeat-contact rule counts a requester's tickets or messages: to its threshold, and past it to 20 at
 * most. Someone who writes hundreds of times a day (a script, a mail loop) must not make every next message of theirs
 * read hundreds of rows; the reason then says "at least 20".
 */
export const repeatCountCap = (threshold: number) => Math.max(threshold, 20)

const UNSOLVED = new Set(['new', 'open', 'pending', 'on_hold'])
const hoursText = (h: number) => (h === 1 ? '1 hour' : `${h} hours`)

/** Whether one rule matches, and the reason shown on the ticket. Pure and deterministic. */
export function evaluateRule(rule: CompiledRule, f: RiskFacts): string | null {
  const c = rule.config
  switch (rule.type) {
    case 'keywords': {
      if (!rule.pattern) return null
      const words = matchedWords(rule.pattern, [f.subject, ...f.customerTexts])
      return words.length ? `Mentions ${words.map((w) => `“${w}”`).join(', ')}` : null
    }
    case 'vip': {
      if (f.contactVip) return 'The requester is a VIP contact'
      const tiers = (c.tiers ?? []).map((t) => t.toLowerCase())
      if (f.organizationTier && tiers.includes(f.organizationTier.toLowerCase())) return `The requester's organization is on the ${f.organizationTier} tier`
      return null
    }
    case 'anger': {
      const signals: string[] = []
      if (rule.pattern) {
        const words = matchedWords(rule.pattern, [f.subject, ...f.customerTexts], 3)
        if (words.length) signals.push(`angry words (${words.map((w) => `“${w}”`).join(', ')})`)
      }
      const capsRatio = c.capsRatio ?? 0.6
      for (const text of f.customerTexts) {
        const letters = text.match(/\p{L}/gu) ?? []
        if (letters.length < 20) continue
        const upper = letters.filter((ch) => ch !== ch.toLowerCase()).length
        if (upper / letters.length >= capsRatio) {
          signals.push('writing in capitals')
          break
        }
      }
      const run = c.punctuationRun ?? 3
      if ([f.subject, ...f.customerTexts].some((t) => new RegExp(`[!?]{${run},}`).test(t))) signals.push('repeated !!! or ???')
      return signals.length >= (c.minSignals ?? 1) ? `Frustration: ${signals.join(', ')}` : null
    }
    case 'repeat_contact': {
      const counts = f.repeatCounts.get(rule.id)
      if (!counts) return null
      const hours = hoursText(c.hours ?? 24)
      const howMany = (n: number, threshold: number) => (n >= repeatCountCap(threshold) ? `at least ${n}` : String(n))
      if (c.tickets && counts.tickets >= c.tickets) return `The requester opened ${howMany(counts.tickets, c.tickets)} tickets in ${hours}`
      if (c.messages && counts.messages >= c.messages) return `The requester wrote ${howMany(counts.messages, c.messages)} messages in ${hours}`
      return null
    }
    case 'sla_breach': {
      const hours = c.hours ?? 24
      if (f.firstResponseAt !== null || !UNSOLVED.has(f.status)) return null
      return f.now - f.createdAt >= hours * 3_600_000 ? `No first response after ${hoursText(hours)}` : null
    }
    case 'priority':
      return (c.priorities ?? []).includes(f.priority) ? `Priority is ${f.priority}` : null
    case 'language': {
      const detected = detectLanguage(f.customerTexts.join('\n'))
      const expected = c.defaultLanguage ?? 'en'
      return detected && detected !== expected ? `Written in ${languageName(detected)}` : null
    }
  }
}

/** The ticket's risk: the highest level of the matching rules, with every reason (rules in their order). */
export function assessRisk(rules: CompiledRule[], facts: RiskFacts): { level: RiskLevel; reasons: RiskReason[] } {
  const reasons: RiskReason[] = []
  for (const rule of rules) {
    const detail = evaluateRule(rule, facts)
    if (detail) reasons.push({ ruleId: rule.id, rule: rule.name, level: rule.level, detail })
  }
  const level = reasons.reduce<RiskLevel>((max, r) => (riskRank(r.level) > riskRank(max) ? r.level : max), 'low')
  return { level, reasons }
}

/** The category whose keywords the ticket mentions most (ties: the older category), or null. */
export function matchCategory(categories: { id: number; pattern: RegExp | null }[], texts: string[]): number | null {
  let best: { id: number; hits: number } | null = null
  for (const cat of categories) {
    if (!cat.pattern) continue
    let hits = 0
    for (const t of texts) hits += [...t.matchAll(cat.pattern)].length
    if (hits > 0 && (!best || hits > best.hits)) best = { id: cat.id, hits }
  }
  return best?.id ?? null
}
