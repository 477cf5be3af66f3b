import type { VocKind, VocStatus } from '@allhands/contract'
import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { prepareNotifications } from './voc.loop.service.ts'
import { excerpt, firstCustomerTexts, refreshItemStats } from './voc.queries.ts'
import { computeSuggestions } from './voc.suggestions.service.ts'

const DAY = 24 * 3600_000

type DemoItem = {
  kind: VocKind
  title: string
  description: string
  /** The path it took to its current status (the last one), oldest first. */
  statuses: VocStatus[]
  trackerUrl?: string
  /** Demo ticket subjects (from the BANKING77 intents) whose tickets raise it. */
  subjects: string[]
  links: number
}

const ITEMS: DemoItem[] = [
  {
    kind: 'feature_request',
    title: 'Apple Pay and Google Pay for every card',
    description: 'Customers want to add all our cards, including virtual and business cards, to Apple Pay and Google Pay.',
    statuses: ['new', 'planned', 'in_progress', 'shipped'],
    trackerUrl: 'https://tracker.lumenbank.example/PAY-412',
    subjects: ['Apple pay or google pay'],
    links: 5,
  },
  {
    kind: 'pain_point',
    title: 'Refunds take too long to show up',
    description: 'Merchant refunds appear days after the merchant confirms them, and the app shows no pending refund meanwhile.',
    statuses: ['new', 'planned', 'in_progress'],
    trackerUrl: 'https://tracker.lumenbank.example/CARD-1290',
    subjects: ['Refund not showing up', 'Request refund'],
    links: 8,
  },
  {
    kind: 'pain_point',
    title: 'Transfers arrive late at the recipient',
    description: 'Outgoing transfers show as sent, but recipients see them one or two days later. Customers ask us to show the expected arrival time.',
    statuses: ['new', 'planned'],
    subjects: ['Transfer not received by recipient', 'Pending transfer', 'Transfer timing'],
    links: 7,
  },
  {
    kind: 'feature_request',
    title: 'Show the exchange rate before a card payment',
    description: 'Customers paying abroad want to see the rate and fee we will apply before they confirm.',
    statuses: ['new', 'planned'],
    subjects: ['Card payment wrong exchange rate', 'Exchange rate'],
    links: 6,
  },
  {
    kind: 'pain_point',
    title: 'Card payments declined without a reason',
    description: 'The app says "declined" with no reason, so customers cannot tell a blocked card from a merchant problem.',
    statuses: ['new'],
    subjects: ['Declined card payment'],
    links: 6,
  },
  {
    kind: 'pain_point',
    title: 'Contactless stops working',
    description: '',
    statuses: ['new'],
    subjects: ['Contactless not working'],
    links: 4,
  },
  {
    kind: 'pain_point',
    title: 'Identity verification fails repeatedly',
    description: 'Photo upload of the ID is rejected without telling the customer what to fix.',
    statuses: ['new', 'in_progress'],
    subjects: ['Unable to verify identity', 'Verify my identity'],
    links: 5,
  },
  {
    kind: 'feature_request',
    title: 'Cancel a transfer from the app',
    description: 'Customers want to cancel a transfer they just sent. Declined: instant payments cannot be recalled.',
    statuses: ['new', 'declined'],
    subjects: ['Cancel transfer'],
    links: 3,
  },
]

/**
 * A voice-of-customer board for the demo bank: eight items across statuses, linked to the demo tickets
 * whose subjects raise them (quoting their first messages), one shipped with its close-the-loop replies
 * prepared, and the suggestions a run finds among the remaining recent tickets. Added once.
 */
export async function seedVocDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  if (await db.selectFrom('vocItems').select('id').limit(1).executeTakeFirst()) return
  const staff = world.agents.length ? world.agents : [{ id: 0, name: 'Support' }]
  const linkers = [...staff.slice(0, 4), ...world.contributors.slice(0, 2)].filter((p) => p.id > 0)
  if (!linkers.length) return
  const t = now()
  for (const [n, demo] of ITEMS.entries()) {
    const owner = staff[n % staff.length]!
    const candidates = await db
      .selectFrom('tickets')
      .select(['id', 'requesterId', 'organizationId', 'createdAt'])
      .where((eb) => eb.or(demo.subjects.flatMap((s) => [eb('subject', '=', s), eb('subject', '=', `Question about ${s.toLowerCase()}`)])))
      .where('mergedIntoId', 'is', null)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(demo.links * 3)
      .execute()
    // One ticket per customer, spread over time: every other candidate.
    const seen = new Set<number>()
    const tickets = candidates.filter((c, i) => i % 2 === 0 && !seen.has(c.requesterId) && seen.add(c.requesterId)).slice(0, demo.links)
    const createdAt = Math.min(t - 20 * DAY, ...tickets.map((x) => Number(x.createdAt))) - DAY
    const status = demo.statuses.at(-1)!
    const stepMs = (t - createdAt) / (demo.statuses.length + 1)
    const item = await db
      .insertInto('vocItems')
      .values({
        kind: demo.kind,
        title: demo.title,
        descriptionHtml: demo.description ? `<p>${demo.description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>` : '',
        descriptionText: demo.description,
        status,
        trackerUrl: demo.trackerUrl ?? null,
        createdById: owner.id,
        firstSeenAt: null,
        lastSeenAt: null,
        shippedAt: status === 'shipped' ? Math.round(t - stepMs / 2) : null,
        createdAt,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [i, to] of demo.statuses.entries()) {
      await db
        .insertInto('vocStatusChanges')
        .values({
          itemId: item.id,
          fromStatus: i === 0 ? null : demo.statuses[i - 1]!,
          toStatus: to,
          actorId: owner.id,
          createdAt: Math.round(i === 0 ? createdAt : status === 'shipped' && i === demo.statuses.length - 1 ? t - stepMs / 2 : createdAt + i * stepMs),
        })
        .execute()
    }
    const texts = await firstCustomerTexts(
      db,
      tickets.map((x) => x.id),
    )
    for (const ticket of tickets) {
      const linker = rng.pick(linkers)
      await db
        .insertInto('vocLinks')
        .values({
          itemId: item.id,
          ticketId: ticket.id,
          surveyResponseId: null,
          contactId: ticket.requesterId,
          organizationId: ticket.organizationId,
          quote: excerpt(texts.get(ticket.id) ?? '') || null,
          linkedById: linker.id,
          seenAt: Number(ticket.createdAt),
          createdAt: Math.max(Number(ticket.createdAt), createdAt) + DAY / 4,
        })
        .execute()
    }
    await refreshItemStats(db, item.id, t)
    if (status === 'shipped') await prepareNotifications(db, item.id, owner)
  }
  await computeSuggestions(db)
}
