import type { Database } from '../../db/database.ts'
import { insertTickets, nextIds, finishBulkLoad } from './bulk-insert.ts'
import { DEMO_PASSWORD } from './demo-data.ts'
import { type GenTicket, generateTicket, type World } from './generate.ts'
import { Rng } from './random.ts'
import { seedReviewsDemo } from '../reviews/index.ts'
import { seedRiskDemo } from '../risk/index.ts'
import { seedRotationsDemo } from '../rotations/index.ts'
import { seedRideAlongDemo } from '../ride-alongs/index.ts'
import { seedConsultsDemo } from '../consults/index.ts'
import { seedCoursesDemo } from '../courses/index.ts'
import { seedVocDemo } from '../voc/index.ts'
import { seedChatDemo } from '../chat-desk/index.ts'
import { seedDecisionTreesDemo } from './decision-trees.demo.ts'
import { seedKbDemo } from './kb.demo.ts'
import { seedSurveysDemo } from '../surveys/index.ts'
import { rebuildReports } from '../reports/index.ts'
import { ensureCustomFields, ensureCustomers, ensureInboxes, ensureOwner, ensureStaff, ensureTeams, staffEmail } from './workspace.ts'

const DAY = 24 * 3600 * 1000
const BATCH = 1000

export interface DemoSeedOptions {
  tickets?: number
  /** Defaults to one contact per five tickets, at least 600. */
  contacts?: number
  /** Tickets with a 50-message conversation, for the long-thread view (and its benchmark). */
  longTickets?: number
  days?: number
  seed?: number
  onProgress?: (ticketsDone: number, total: number) => void
  /** Runs once the tickets are in, before the rest of the demo and the reports rebuild read them (the bench builds the indexes it deferred). */
  afterTickets?: () => Promise<void>
}

export interface DemoSeedResult {
  summary: string
  world: World
  ownerCreated: string | null
  longTicketIds: number[]
  tickets: number
  messages: number
  contacts: number
  ms: number
}

/** Fills the workspace with a realistic help desk: staff, teams, inboxes, customers and months of conversations. */
export async function seedDemo(database: Database, opts: { onlyIfEmpty: boolean; tickets?: number }): Promise<string> {
  if (opts.onlyIfEmpty && (await database.db.selectFrom('tickets').select('id').limit(1).executeTakeFirst())) {
    return 'Demo data not added: the workspace already has tickets.'
  }
  return (await seedDemoWorkspace(database, { tickets: opts.tickets })).summary
}

export async function seedDemoWorkspace(database: Database, opts: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const started = performance.now()
  const total = opts.tickets ?? 3000
  const longCount = opts.longTickets ?? 3
  const days = opts.days ?? 90
  const rng = new Rng(opts.seed ?? 77)
  const end = Date.now()
  const start = end - days * DAY

  const ownerCreated = await ensureOwner(database)
  const teams = await ensureTeams(database)
  const staff = await ensureStaff(database, teams)
  const inboxes = await ensureInboxes(database, teams)
  await ensureCustomFields(database)
  const ids = await nextIds(database.db)
  const contacts = await ensureCustomers(database, rng, ids, opts.contacts ?? Math.max(600, Math.ceil(total / 5)), start - 30 * DAY)
  const world: World = { ...staff, teams, inboxes, contacts }

  let messages = 0
  const longTicketIds: number[] = []
  // Long threads first: a few open tickets started weeks ago that went back and forth all along.
  if (longCount > 0) {
    const long = Array.from({ length: longCount }, (_, i) => generateTicket(rng, world, start + (i + 1) * 3 * DAY, end, { messages: 50, status: 'open' }))
    const res = await insertTickets(database, ids, long)
    longTicketIds.push(...res.ticketIds)
    messages += res.messages
  }
  const regular = Math.max(total - longCount, 0)
  const step = (end - start) / Math.max(regular, 1)
  for (let done = 0; done < regular; ) {
    const batch: GenTicket[] = []
    // Ascending creation times, so ticket ids grow with time as they would in production.
    for (; batch.length < BATCH && done < regular; done++) batch.push(generateTicket(rng, world, Math.floor(start + (done + rng.next()) * step), end))
    messages += (await insertTickets(database, ids, batch)).messages
    opts.onProgress?.(done + longCount, total)
  }
  await finishBulkLoad(database)
  await opts.afterTickets?.()

  // issue 5 demo data
  await seedRiskDemo(database, world, rng)
  await seedCoursesDemo(database, world, rng)
  await seedReviewsDemo(database, world, rng)
  await seedRotationsDemo(database, world, rng)
  await seedConsultsDemo(database, world, rng)
  await seedRideAlongDemo(database, world, rng)
  // issue 6 surveys demo data
  await seedSurveysDemo(database, world, rng)
  // issue 6 reports demo data
  await rebuildReports(database.db)
  // issue 6 voc demo data
  await seedVocDemo(database, world, rng)
  // issue 7 chat demo data (after the reports rebuild: it queues its tickets for the reports itself)
  await seedChatDemo(database, world, rng)
  // issue 9 kb demo data
  await seedKbDemo(database, world)
  // issue 9 decision-trees demo data
  await seedDecisionTreesDemo(database, world)
  // issue 9 community demo data
  await (await import('../community/index.ts')).seedCommunityDemo(database, world)

  const ms = Math.round(performance.now() - started)
  const people = `${Object.keys(teams).length} teams, ${staff.agents.length} agents and admins, ${staff.contributors.length} contributors`
  const login = ownerCreated ? `log in as ${ownerCreated}` : `staff log in as e.g. ${staffEmail(staff.agents[1]?.name ?? 'alex')}`
  const summary =
    `Demo data added in ${(ms / 1000).toFixed(1)} s: ${people}, ${contacts.length} contacts, ${regular + longCount} tickets with ${messages} messages; ` +
    `${login} with password ${DEMO_PASSWORD}.`
  return { summary, world, ownerCreated, longTicketIds, tickets: regular + longCount, messages, contacts: contacts.length, ms }
}
