import type { ResponderCohort } from '@allhands/contract'
import { readJson } from '../../platform/json.ts'
import type { DB } from '../../db/schema.ts'

/**
 * Per-ticket report facts, computed from the ticket's own rows only (pure; the rows are loaded set-based
 * by reports.sources.ts). A solve cycle runs from the ticket's creation or a reopening to the status
 * change to solved/closed; every message, review and consult answer belongs to the cycle whose window
 * [opened, next opened) holds it.
 */

/** One row of `report_cycles`: a ticket's solve cycle. */
export type CycleFact = DB['reportCycles']

/** One row of `report_cycle_responders`: a person's part in a cycle. */
export type ResponderFact = DB['reportCycleResponders']

export interface TicketFacts {
  cycles: CycleFact[]
  responders: ResponderFact[]
}

export interface TicketSource {
  id: number
  inboxId: number
  teamId: number | null
  assigneeId: number | null
  priority: string
  riskLevel: string
  categoryId: number | null
  mergedIntoId: number | null
  createdAt: number
}
export interface MessageSource {
  id: number
  kind: string
  authorUserId: number | null
  /** Role and trust level of a reply's author when they wrote it (null on rows older than the snapshot). */
  authorRole: string | null
  authorTrustLevel: string | null
  event: unknown
  createdAt: number
}
export interface CsatSource {
  solvedAt: number
  sentAt: number | null
  score: number | null
}
export interface SourcesOfTicket {
  ticket: TicketSource | undefined
  /** Customer messages, replies and events, in (createdAt, id) order. */
  messages: MessageSource[]
  /** Approved held replies: which reply message, who approved it. */
  reviews: { messageId: number; reviewerId: number }[]
  consultAnswers: { authorId: number; createdAt: number }[]
  tags: string[]
  csat: CsatSource[]
}
export interface PeopleAndChannels {
  users: Map<number, { role: string; trustLevel: string }>
  inboxTypes: Map<number, string>
}

const SOLVED = new Set(['solved', 'closed'])
/** Ticket fields whose change events carry the previous value, so a cycle can be attributed as it ended. */
const CHANGE_EVENTS = { team_changed: 'teamId', assigned: 'assigneeId', priority_changed: 'priority', category_changed: 'categoryId' } as const
type ChangedField = (typeof CHANGE_EVENTS)[keyof typeof CHANGE_EVENTS]

const seconds = (from: number, to: number) => Math.max(0, Math.round((to - from) / 1000))

export const cohortOfRole = (role: string | undefined): ResponderCohort => (role === 'contributor' ? 'contributor' : 'support')

export function computeTicketFacts(src: SourcesOfTicket, ref: PeopleAndChannels): TicketFacts {
  const t = src.ticket
  // A ticket merged into another is a redirect: its conversation now lives (and counts) there.
  if (!t || t.mergedIntoId !== null) return { cycles: [], responders: [] }
  const cycles: CycleFact[] = []
  const changes: { at: number; field: ChangedField; from: unknown }[] = []
  const reviewOf = new Map(src.reviews.map((r) => [r.messageId, r.reviewerId]))
  const responders = new Map<string, ResponderFact>()
  /** `asThen`: who the person was when they wrote the reply; otherwise (reviews, consults, old rows) who they are now. */
  const responder = (cycle: number, userId: number, asThen?: { role: string | null; trustLevel: string | null }): ResponderFact => {
    const key = `${cycle}:${userId}`
    let r = responders.get(key)
    if (!r) {
      const now = ref.users.get(userId)
      const u = { role: asThen?.role ?? now?.role, trustLevel: asThen?.trustLevel ?? now?.trustLevel }
      r = {
        ticketId: t.id,
        cycle,
        userId,
        replied: 0,
        reviewed: 0,
        consulted: 0,
        cohort: cohortOfRole(u?.role),
        trustLevel: u?.trustLevel ?? 'agent',
        replies: 0,
        reviewedReplies: 0,
      }
      responders.set(key, r)
    }
    return r
  }
  const open = (at: number) => {
    const c: CycleFact = {
      ticketId: t.id,
      cycle: cycles.length,
      openedAt: at,
      firstResponseAt: null,
      firstResponseSeconds: null,
      solvedAt: null,
      resolutionSeconds: null,
      replies: 0,
      reviewedReplies: 0,
      reopened: 0,
      isOpen: 1,
      waitingSince: at,
      inboxId: t.inboxId,
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      priority: t.priority,
      riskLevel: t.riskLevel,
      categoryId: t.categoryId,
      channel: ref.inboxTypes.get(t.inboxId) ?? 'unknown',
      tags: JSON.stringify([...src.tags].sort()),
      csatSent: 0,
      csatScore: null,
    }
    cycles.push(c)
    return c
  }
  let cur = open(t.createdAt)
  for (const m of src.messages) {
    if (m.kind === 'event') {
      const e = readJson<Record<string, unknown>>(m.event, {})
      const type = String(e.type ?? '')
      if (type === 'status_changed') {
        const toSolved = SOLVED.has(String(e.to))
        if (cur.isOpen && toSolved) {
          cur.isOpen = 0
          cur.solvedAt = m.createdAt
          cur.resolutionSeconds = seconds(cur.openedAt, m.createdAt)
          cur.waitingSince = null
        } else if (!cur.isOpen && !toSolved) {
          cur.reopened = 1
          cur = open(m.createdAt)
        }
      } else if (type in CHANGE_EVENTS) changes.push({ at: m.createdAt, field: CHANGE_EVENTS[type as keyof typeof CHANGE_EVENTS], from: e.from })
      continue
    }
    if (m.kind === 'customer') {
      if (cur.isOpen && cur.waitingSince === null) cur.waitingSince = m.createdAt
      continue
    }
    if (m.kind !== 'reply' || m.authorUserId === null) continue
    cur.replies++
    if (cur.firstResponseAt === null) {
      cur.firstResponseAt = m.createdAt
      cur.firstResponseSeconds = seconds(cur.openedAt, m.createdAt)
    }
    if (cur.isOpen) cur.waitingSince = null
    const author = responder(cur.cycle, m.authorUserId, { role: m.authorRole, trustLevel: m.authorTrustLevel })
    author.replied = 1
    author.replies++
    const reviewerId = reviewOf.get(m.id)
    if (reviewerId !== undefined) {
      cur.reviewedReplies++
      author.reviewedReplies++
      if (reviewerId !== m.authorUserId) responder(cur.cycle, reviewerId).reviewed = 1
    }
  }
  const cycleAt = (at: number) => {
    let found = cycles[0]!
    for (const c of cycles) if (c.openedAt <= at) found = c
    return found
  }
  for (const a of src.consultAnswers) responder(cycleAt(a.createdAt).cycle, a.authorId).consulted = 1
  // Someone whose only part in the cycle was answering a consult counts as a consulted expert.
  for (const r of responders.values()) if (!r.replied && !r.reviewed) r.cohort = 'expert'
  for (const req of [...src.csat].sort((a, b) => a.solvedAt - b.solvedAt)) {
    const c = cycleAt(req.solvedAt)
    if (c.isOpen) continue
    c.csatSent = req.sentAt !== null || req.score !== null ? 1 : 0
    c.csatScore = req.score
  }
  // Team, assignee, priority and category as they were when the cycle ended (now for an open cycle).
  for (const c of cycles) {
    if (c.isOpen) continue
    const seen = new Set<ChangedField>()
    for (const ch of changes) {
      if (ch.at <= c.solvedAt! || seen.has(ch.field)) continue
      seen.add(ch.field)
      const v = ch.from
      if (ch.field === 'priority') c.priority = typeof v === 'string' ? v : c.priority
      else c[ch.field] = typeof v === 'number' ? v : null
    }
  }
  return { cycles, responders: [...responders.values()].sort((a, b) => a.cycle - b.cycle || a.userId - b.userId) }
}
