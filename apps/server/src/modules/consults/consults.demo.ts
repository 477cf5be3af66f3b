import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { RANK } from './consults.queries.ts'

const HOUR = 3600_000
const MINUTE = 60_000

type DemoConsult = {
  asker: string
  team?: 'Engineering' | 'Billing'
  person?: string
  question: string
  /** Hours before now the question was asked, and how long the experts had. */
  askedHoursAgo: number
  dueInHours: number
  answer?: { by: string; text: string; afterMinutes: number; via?: 'app' | 'email' }
  followUp?: string
  resolved?: boolean
}

const CONSULTS: DemoConsult[] = [
  {
    asker: 'Alex Kim',
    team: 'Engineering',
    question: 'Is the mobile app crash on Android 14 after the last update a known bug? The customer cannot open their statements.',
    askedHoursAgo: 30,
    dueInHours: 8,
    answer: {
      by: 'Tom Walker',
      text: 'Yes, known: a font loading bug on Android 14. The fix ships in 5.12.1 on Thursday. Until then, clearing the app cache works around it.',
      afterMinutes: 95,
    },
    resolved: true,
  },
  {
    asker: 'Priya Nair',
    team: 'Billing',
    question: 'Can we waive the overdraft fee a second time this quarter for a customer whose salary came in late?',
    askedHoursAgo: 20,
    dueInHours: 24,
    answer: {
      by: 'Ravi Patel',
      text: 'Yes, once more is fine when the salary deposit was late: refund the fee from the billing console with reason "goodwill", and note the date.',
      afterMinutes: 140,
      via: 'email',
    },
  },
  {
    asker: 'Jonas Berg',
    person: 'Ines Duarte',
    question: 'Do CSV statement exports include pending card transactions, or only booked ones?',
    askedHoursAgo: 50,
    dueInHours: 24,
    answer: {
      by: 'Ines Duarte',
      text: 'Only booked ones. Pending transactions appear in the app but not in exports until they settle (1–3 days).',
      afterMinutes: 45,
    },
    followUp: 'Thanks! Is that written down anywhere we can link to?',
  },
  {
    asker: 'Alex Kim',
    team: 'Engineering',
    question: 'The customer gets a 502 error on login since this morning. Is there an outage we should tell them about?',
    askedHoursAgo: 5,
    dueInHours: 2,
  },
  {
    asker: 'Fatima Zahra',
    team: 'Billing',
    question: 'A duplicate card charge for the same hotel booking: do we refund it, or does the customer dispute it with the merchant first?',
    askedHoursAgo: 3,
    dueInHours: 24,
  },
]

/**
 * Consults from support to Engineering and Billing on recent Support tickets: answered by the demo
 * contributors (one by email), one followed up, one resolved, one overdue and one still within its time.
 */
export async function seedConsultsDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  if (await db.selectFrom('consults').select('id').limit(1).executeTakeFirst()) return
  const people = new Map([...world.agents, ...world.contributors].map((p) => [p.name, p.id]))
  const tickets = await db
    .selectFrom('tickets')
    .select('id')
    .where('teamId', '=', world.teams.Support)
    .where('mergedIntoId', 'is', null)
    .orderBy('id', 'desc')
    .limit(CONSULTS.length)
    .execute()
  const t = now()
  for (const [i, c] of CONSULTS.entries()) {
    const ticket = tickets[i]
    const askedById = people.get(c.asker)
    if (!ticket || askedById === undefined) continue
    const teamId = c.team ? world.teams[c.team] : null
    const answererId = c.answer ? people.get(c.answer.by) : undefined
    const personId = c.person ? people.get(c.person) : undefined
    const createdAt = t - c.askedHoursAgo * HOUR - rng.int(0, 20) * MINUTE
    const answeredAt = c.answer ? createdAt + c.answer.afterMinutes * MINUTE : null
    const followedUpAt = c.followUp && answeredAt ? answeredAt + 30 * MINUTE : null
    const status = c.resolved ? 'resolved' : followedUpAt ? 'open' : answeredAt ? 'answered' : 'open'
    const lastMessageAt = followedUpAt ?? answeredAt
    const row = await db
      .insertInto('consults')
      .values({
        ticketId: ticket.id,
        askedById,
        teamId,
        assigneeId: personId ?? answererId ?? null,
        question: c.question,
        status,
        sortRank: RANK[status],
        // The followed-up one is open again but got its answer in time: give it room so it is not overdue.
        dueAt: followedUpAt ? t + 20 * HOUR : createdAt + c.dueInHours * HOUR,
        answeredAt,
        resolvedAt: c.resolved && answeredAt ? answeredAt + 20 * MINUTE : null,
        resolvedById: c.resolved ? askedById : null,
        messageCount: (answeredAt ? 1 : 0) + (followedUpAt ? 1 : 0),
        lastMessageAt,
        createdAt,
        updatedAt: lastMessageAt ?? createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const messages = [
      ...(c.answer && answererId !== undefined && answeredAt
        ? [{ authorId: answererId, text: c.answer.text, isAnswer: 1, via: c.answer.via ?? 'app', createdAt: answeredAt }]
        : []),
      ...(c.followUp && followedUpAt ? [{ authorId: askedById, text: c.followUp, isAnswer: 0, via: 'app', createdAt: followedUpAt }] : []),
    ]
    if (messages.length)
      await db
        .insertInto('consultMessages')
        .values(messages.map((m) => ({ consultId: row.id, ...m, html: `<p>${m.text}</p>`, inboundEmailId: null })))
        .execute()
  }
}
