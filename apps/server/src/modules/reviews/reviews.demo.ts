import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { writeJson } from '../../platform/json.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { insertMessage } from '../tickets/messages.service.ts'
import { editRatio } from './reviews.diff.ts'

const MINUTE = 60_000
type Team = 'Support' | 'Billing' | 'Engineering'

type DemoReview = {
  author: string
  team: Team
  draft: string
  minutesAgo: number
  decision?: { by: string; afterMinutes: number } & ({ approve: true; edited?: string } | { approve: false; feedback: string })
  requestedStatus?: 'pending' | 'solved'
}

const REASON = 'Your replies are reviewed before sending'

export const DEMO_REVIEWS: DemoReview[] = [
  // Approved, as written and with a small edit: Hannah is on her way to promotion.
  {
    author: 'Hannah Schmidt',
    team: 'Support',
    draft: 'Hi! You can change your card PIN in the app under Cards, then Settings, then Change PIN. Let me know if that works.',
    minutesAgo: 26 * 60,
    decision: { by: 'Alex Kim', afterMinutes: 14, approve: true },
  },
  {
    author: 'Hannah Schmidt',
    team: 'Support',
    draft: 'Hello, your new card is on it way and should arrive within 5 working days. Sorry for the wait!',
    minutesAgo: 20 * 60,
    decision: {
      by: 'Priya Nair',
      afterMinutes: 22,
      approve: true,
      edited: 'Hello, your new card is on its way and should arrive within 5 working days. Sorry for the wait!',
    },
    requestedStatus: 'pending',
  },
  {
    author: 'Ravi Patel',
    team: 'Billing',
    draft: 'Hi, the fee was charged because the account went below zero on the 3rd. I have refunded it as a one-time goodwill gesture.',
    minutesAgo: 8 * 60,
    decision: { by: 'Fatima Zahra', afterMinutes: 35, approve: true },
    requestedStatus: 'solved',
  },
  // Returned with coaching.
  {
    author: 'Tom Walker',
    team: 'Engineering',
    draft: 'That is not a bug, the app works as designed. Please update your phone.',
    minutesAgo: 5 * 60,
    decision: {
      by: 'Daniel Okafor',
      afterMinutes: 18,
      approve: false,
      feedback:
        'Start by acknowledging the trouble, and avoid "not a bug": to the customer it is one. Say which version fixes it (5.12.1, Thursday) and offer the cache workaround meanwhile.',
    },
  },
  // Waiting: one overdue, two within their hour.
  {
    author: 'Hannah Schmidt',
    team: 'Support',
    draft: 'Hi, thanks for reaching out! To close your account, please confirm your date of birth and the last four digits of your card.',
    minutesAgo: 95,
    requestedStatus: 'pending',
  },
  {
    author: 'Ravi Patel',
    team: 'Billing',
    draft: 'Hello, I can see two charges from the hotel. One of them is a pre-authorisation that will drop off within 7 days; no action is needed.',
    minutesAgo: 25,
  },
  {
    author: 'Hannah Schmidt',
    team: 'Support',
    draft: 'Hi! Statements for the last 12 months are under Accounts, then Documents. You can download each month as a PDF.',
    minutesAgo: 8,
  },
]

/**
 * Replies held for review by the demo contributors on open tickets of their teams: some approved (one
 * edited, sent as the author with "reviewed by"), one returned with coaching, three still waiting
 * (one past its SLA). Deterministic and added once.
 */
export async function seedReviewsDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  // Other demo features hold replies too: look for ours.
  if (await db.selectFrom('replyReviews').select('id').where('text', '=', DEMO_REVIEWS[0]!.draft).limit(1).executeTakeFirst()) return
  const people = new Map([...world.agents, ...world.contributors].map((p) => [p.name, p.id]))
  // Unsolved tickets per team, newest first; small workspaces have few, so they are taken in turn.
  const ticketsOf = new Map<Team, number[]>()
  for (const team of ['Support', 'Billing', 'Engineering'] as const) {
    const rows = await db
      .selectFrom('tickets')
      .select('id')
      .where('teamId', '=', world.teams[team])
      .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
      .where('mergedIntoId', 'is', null)
      .orderBy('id', 'desc')
      .limit(10)
      .execute()
    ticketsOf.set(
      team,
      rows.map((r) => r.id),
    )
  }
  const used = new Map<Team, number>([
    ['Support', 0],
    ['Billing', 0],
    ['Engineering', 0],
  ])
  const t = now()
  await db.transaction().execute(async (trx) => {
    for (const r of DEMO_REVIEWS) {
      const authorId = people.get(r.author)
      const candidates = ticketsOf.get(r.team) ?? []
      const ticketId = candidates.length ? candidates[used.get(r.team)! % candidates.length] : undefined
      used.set(r.team, used.get(r.team)! + 1)
      if (authorId === undefined || ticketId === undefined) continue
      const createdAt = t - r.minutesAgo * MINUTE - rng.int(0, 59) * 1000
      const draft = normalizeBody(r.draft, 'text')
      const d = r.decision
      const reviewerId = d ? (people.get(d.by) ?? null) : null
      const decidedAt = d ? Math.min(t - MINUTE, createdAt + d.afterMinutes * MINUTE) : null
      const edited = d?.approve && d.edited ? normalizeBody(d.edited, 'text') : null
      let messageId: number | null = null
      if (d?.approve && decidedAt !== null) {
        const content = edited ?? draft
        const message = await insertMessage(trx, {
          ticketId,
          kind: 'reply',
          content: { html: content.html, text: content.text, fullText: content.text },
          authorUserId: authorId,
          uploaderId: authorId,
          deliveryStatus: 'sent',
          createdAt: decidedAt,
        })
        if (r.requestedStatus)
          await trx
            .updateTable('tickets')
            .set({ status: r.requestedStatus, solvedAt: r.requestedStatus === 'solved' ? decidedAt : null })
            .where('id', '=', ticketId)
            .execute()
        messageId = message.id
      }
      const review = await trx
        .insertInto('replyReviews')
        .values({
          ticketId,
          authorId,
          status: d ? (d.approve ? 'approved' : 'rejected') : 'pending',
          html: draft.html,
          text: draft.text,
          attachmentIds: writeJson([]),
          requestedStatus: r.requestedStatus ?? null,
          reason: REASON,
          reviewerId,
          finalHtml: edited?.html ?? null,
          finalText: edited?.text ?? null,
          editRatio: d?.approve ? (edited ? editRatio(draft.text, edited.text) : 0) : null,
          feedback: d && !d.approve ? d.feedback : null,
          messageId,
          createdAt,
          decidedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (d && reviewerId !== null)
        await trx
          .insertInto('auditLog')
          .values({
            actorId: reviewerId,
            action: d.approve ? 'review.approved' : 'review.rejected',
            targetType: 'reply_review',
            targetId: review.id,
            data: writeJson({ ticketId, authorId, demo: true }),
            createdAt: decidedAt ?? t,
          })
          .execute()
    }
  })
}
