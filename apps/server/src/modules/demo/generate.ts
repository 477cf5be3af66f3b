import { CUSTOMER_FOLLOW_UPS, NOTES, QUERIES, REPLIES, URGENT_CATEGORIES, teamForCategory, type TeamName } from './demo-data.ts'
import type { Rng } from './random.ts'

/** The people and places tickets are spread over (database ids). */
export interface World {
  agents: { id: number; name: string; teamIds: number[] }[]
  contributors: { id: number; name: string; teamIds: number[] }[]
  teams: Record<TeamName, number>
  inboxes: { id: number; teamId: number | null }[]
  contacts: { id: number; name: string; organizationId: number | null; plan: string }[]
}

export type MessageKind = 'customer' | 'reply' | 'note' | 'event'
export interface GenMessage {
  kind: MessageKind
  authorUserId: number | null
  authorContactId: number | null
  text: string
  event: Record<string, unknown> | null
  createdAt: number
  /** A reply held for review and approved by this person before it was sent. */
  reviewerId?: number
}
export interface GenTicket {
  subject: string
  status: string
  priority: string
  inboxId: number
  requesterId: number
  requesterName: string
  organizationId: number | null
  assigneeId: number | null
  teamId: number | null
  customFields: Record<string, unknown>
  tags: string[]
  followerIds: number[]
  firstResponseAt: number | null
  solvedAt: number | null
  createdAt: number
  updatedAt: number
  messages: GenMessage[]
}

const BY_CATEGORY = new Map<string, string[]>()
for (const q of QUERIES) BY_CATEGORY.set(q.category, [...(BY_CATEGORY.get(q.category) ?? []), q.text])

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const humanize = (category: string) => {
  const words = category.replace(/_/g, ' ').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
const firstName = (name: string) => name.split(' ')[0]!
const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')

/** Older tickets are mostly done; the last days hold the open work, as in a real inbox. */
function statusForAge(rng: Rng, ageMs: number): string {
  if (ageMs > 14 * DAY) return rng.weighted({ closed: 72, solved: 24, pending: 1, on_hold: 1, open: 2 })
  if (ageMs > 3 * DAY) return rng.weighted({ closed: 15, solved: 50, pending: 14, on_hold: 5, open: 14, new: 2 })
  return rng.weighted({ solved: 18, pending: 14, on_hold: 3, open: 35, new: 30 })
}

/** Message kinds of a conversation that ends in a state consistent with `status`. */
function conversationShape(rng: Rng, status: string, count: number): ('customer' | 'reply')[] {
  if (status === 'new') return Array.from({ length: Math.min(count, 2) }, () => 'customer')
  const n = Math.max(2, count)
  const kinds: ('customer' | 'reply')[] = ['customer']
  for (let i = 1; i < n; i++) kinds.push(kinds[i - 1] === 'customer' ? 'reply' : rng.chance(0.85) ? 'customer' : 'reply')
  const last = kinds[kinds.length - 1]
  // Open waits on the agent (customer spoke last); pending, on hold and solved wait on the customer.
  if (status === 'open' && last !== 'customer') kinds.push('customer')
  if (status !== 'open' && last !== 'reply') kinds.push('reply')
  return kinds
}

export interface TicketOptions {
  /** Conversation length (customer messages and replies); defaults to a 1–8 spread averaging about 4. */
  messages?: number
  status?: string
}

/** One ticket with its conversation, timestamps in order and never later than `now`. */
export function generateTicket(rng: Rng, world: World, createdAt: number, now: number, opts: TicketOptions = {}): GenTicket {
  const query = rng.pick(QUERIES)
  const contact = rng.pick(world.contacts)
  const teamName = teamForCategory(query.category)
  const teamId = world.teams[teamName]
  const inboxChoices = world.inboxes.filter((i) => i.teamId === teamId)
  const inbox = inboxChoices.length && rng.chance(0.8) ? rng.pick(inboxChoices) : rng.pick(world.inboxes)
  const status = opts.status ?? statusForAge(rng, now - createdAt)
  const count = opts.messages ?? rng.pick([1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8])
  const teamAgents = world.agents.filter((a) => a.teamIds.includes(teamId))
  const agent = rng.pick(teamAgents.length ? teamAgents : world.agents)
  const assigned = status !== 'new' || rng.chance(0.25)
  const priority = URGENT_CATEGORIES.test(query.category) ? rng.weighted({ high: 60, urgent: 40 }) : rng.weighted({ low: 20, normal: 62, high: 15, urgent: 3 })
  // Some everyday, low-stakes tickets are answered by a rotation contributor of the team, about half of them
  // through review (the team's agent approved the reply before it went out).
  const teamContributors = world.contributors.filter((c) => c.teamIds.includes(teamId))
  const contributor =
    status !== 'new' && (priority === 'low' || priority === 'normal') && teamContributors.length && rng.chance(0.15) ? rng.pick(teamContributors) : null
  const responder = contributor ?? agent
  const reviewerId = contributor && rng.chance(0.5) ? agent.id : undefined
  const subject = rng.chance(0.15) ? `Question about ${humanize(query.category).toLowerCase()}` : humanize(query.category)
  const vars = { first: firstName(contact.name), topic: subject.toLowerCase(), agent: firstName(responder.name), plan: contact.plan, colleague: '' }
  const reply = (text: string, at: number): GenMessage => ({
    kind: 'reply',
    authorUserId: responder.id,
    authorContactId: null,
    text,
    event: null,
    createdAt: at,
    reviewerId,
  })

  const shape = conversationShape(rng, status, count)
  // Gaps first, then squeezed into the time available so the last message is not in the future.
  const gaps = shape.map((k, i) => (i === 0 ? 0 : k === 'reply' ? rng.int(4 * MINUTE, 9 * HOUR) : rng.int(20 * MINUTE, 30 * HOUR)))
  const closing = status === 'solved' || status === 'closed' ? rng.int(MINUTE, 2 * HOUR) + (status === 'closed' ? 4 * DAY : 0) : 0
  const span = gaps.reduce((a, b) => a + b, 0) + closing
  const room = Math.max(now - createdAt - MINUTE, 0)
  const scale = span > room ? room / span : 1
  const messages: GenMessage[] = []
  let t = createdAt
  let firstResponseAt: number | null = null
  for (let i = 0; i < shape.length; i++) {
    t += Math.floor(gaps[i]! * scale)
    if (shape[i] === 'customer') {
      const text =
        i === 0
          ? `${rng.chance(0.6) ? `Hi,\n\n` : ''}${query.text}${rng.chance(0.5) ? `\n\nThanks,\n${vars.first}` : ''}`
          : rng.chance(0.5)
            ? rng.pick(CUSTOMER_FOLLOW_UPS)
            : rng.pick(BY_CATEGORY.get(query.category)!)
      messages.push({ kind: 'customer', authorUserId: null, authorContactId: contact.id, text, event: null, createdAt: t })
    } else {
      if (firstResponseAt === null) {
        firstResponseAt = t
        messages.push({
          kind: 'event',
          authorUserId: agent.id,
          authorContactId: null,
          text: '',
          event: { type: 'assigned', from: null, to: responder.id, toName: responder.name },
          createdAt: t,
        })
      }
      const template = i === shape.length - 1 && (status === 'solved' || status === 'closed') ? REPLIES[REPLIES.length - 1]! : rng.pick(REPLIES.slice(0, -1))
      messages.push(reply(fill(template, vars), t))
    }
    if (i > 0 && rng.chance(0.06)) messages.push(noteFor(rng, world, teamId, agent.id, vars, Math.min(t + MINUTE, now)))
  }
  if (status === 'on_hold') messages.push(noteFor(rng, world, teamId, agent.id, vars, Math.min(t + MINUTE, now)))

  let solvedAt: number | null = null
  let updatedAt = messages.reduce((m, x) => Math.max(m, x.createdAt), createdAt)
  if (status !== 'new' && status !== 'open') {
    // Never after `now`: the newest tickets were only just answered.
    let at = Math.min(updatedAt + Math.floor(rng.int(MINUTE, 2 * HOUR) * scale), now)
    const to = status === 'closed' ? 'solved' : status
    const statusChange = (from: string, toStatus: string, when: number, by: number | null = agent.id): GenMessage => ({
      kind: 'event',
      authorUserId: by,
      authorContactId: null,
      text: '',
      event: { type: 'status_changed', from, to: toStatus },
      createdAt: when,
    })
    messages.push(statusChange('open', to, at))
    // A few customers come back after the solve: the ticket reopens, gets another answer and is solved again.
    const room = now - at
    if (to === 'solved' && room > 4 * HOUR && rng.chance(0.07)) {
      const back = at + rng.int(HOUR, Math.min(2 * DAY, Math.floor(room / 2)))
      messages.push({ kind: 'customer', authorUserId: null, authorContactId: contact.id, text: rng.pick(CUSTOMER_FOLLOW_UPS), event: null, createdAt: back })
      messages.push(statusChange('solved', 'open', back, null))
      const answer = back + rng.int(10 * MINUTE, Math.min(4 * HOUR, Math.floor((now - back) / 2)))
      messages.push(reply(fill(REPLIES[REPLIES.length - 1]!, vars), answer))
      at = answer + rng.int(MINUTE, Math.min(HOUR, Math.floor((now - answer) / 2)))
      messages.push(statusChange('open', 'solved', at))
    }
    updatedAt = at
    if (to === 'solved') solvedAt = at
    if (status === 'closed') {
      updatedAt = Math.min(at + Math.floor(4 * DAY * scale), now)
      messages.push(statusChange('solved', 'closed', updatedAt, null))
    }
  }

  const followers = rng.chance(0.2)
    ? rng.sample(
        [...world.agents, ...world.contributors].filter((u) => u.teamIds.includes(teamId) && u.id !== agent.id),
        rng.int(1, 2),
      )
    : []
  const tags = [query.category.toLowerCase().replace(/_/g, '-')]
  if (contact.plan === 'Business' || contact.plan === 'Premium') tags.push('vip')
  if (rng.chance(0.1)) tags.push(rng.pick(['follow-up', 'bug', 'feedback', 'escalated', 'app']))
  return {
    subject,
    status,
    priority,
    inboxId: inbox.id,
    requesterId: contact.id,
    requesterName: contact.name,
    organizationId: contact.organizationId,
    assigneeId: assigned ? responder.id : null,
    teamId,
    customFields: { plan: contact.plan },
    tags: [...new Set(tags)],
    followerIds: followers.map((f) => f.id),
    firstResponseAt,
    solvedAt,
    createdAt,
    updatedAt,
    messages,
  }
}

function noteFor(rng: Rng, world: World, teamId: number, agentId: number, vars: Record<string, string>, at: number): GenMessage {
  const colleagues = [...world.agents, ...world.contributors].filter((u) => u.teamIds.includes(teamId) && u.id !== agentId)
  const author = rng.chance(0.3) && colleagues.length ? rng.pick(colleagues) : { id: agentId }
  const colleague = colleagues.length ? firstName(rng.pick(colleagues).name).toLowerCase() : 'team'
  return { kind: 'note', authorUserId: author.id, authorContactId: null, text: fill(rng.pick(NOTES), { ...vars, colleague }), event: null, createdAt: at }
}
