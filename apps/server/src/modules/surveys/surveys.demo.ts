import { randomBytes } from 'node:crypto'
import { REDESIGN_SURVEY_TEMPLATE } from '@allhands/contract'
import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { sha256 } from '../../platform/crypto.ts'
import { writeJson } from '../../platform/json.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { CSAT_WATERMARK_KEY, writeSetting } from './csat.settings.ts'
import { DETAILS_QUESTION, ensurePurchaseSurvey, REASONS_QUESTION } from './purchase-reason.service.ts'
import { questionsOf } from './surveys.queries.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const BATCH = 400
const REDESIGN_SLUG = 'redesign-feedback'

const GOOD_COMMENTS = [
  'Quick and friendly, thank you!',
  'Solved in one reply. Great job.',
  'Alex explained everything clearly, much appreciated.',
  'Thanks for sorting out the card so fast.',
  'Very patient with my questions.',
  'Better than I expected from a bank, honestly.',
]
const OKAY_COMMENTS = ['Fixed in the end, but it took a few emails.', 'Fine, though I had to explain the problem twice.', 'Okay. The answer was a bit generic.']
const BAD_COMMENTS = [
  'Took four days to get a reply and the problem is still not fixed.',
  'I was told to reinstall the app three times. It did not help.',
  'Nobody read my first message properly.',
  'The refund still has not arrived and the ticket was closed anyway.',
  'Felt like talking to a script.',
]
const REDESIGN_TEXTS = [
  'Let me search transactions by amount, not only by merchant.',
  'A dark mode that actually works on the statements page.',
  'Faster login; the app takes ages to open.',
  'Show pending card payments in the exports too.',
  'Push notifications for every card payment, with the merchant name.',
  'Make it easier to find the help section.',
  'Freeze and unfreeze the card with one tap.',
]
const PURCHASE_TEXTS = [
  'A colleague recommended you after her card was replaced in a day.',
  'No monthly fee and the app looked clean.',
  'I read reviews about your support and they were really good.',
  'I needed multi-currency accounts for travel.',
  'Switching was easy, the onboarding took ten minutes.',
]

/**
 * Surveys in the demo: CSAT requests for most solved tickets (about 60 % answered, mostly good, a few bad
 * with comments), the product redesign survey with answers (and a draft copy to start from), and purchase
 * reasons from some customers. Bulk inserts in batches; the CSAT scheduler starts after the seeded solves
 * so demo customers are never mailed.
 */
export async function seedSurveysDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  const t = now()
  await writeSetting(db, CSAT_WATERMARK_KEY, { at: t, id: 0 })
  if (!(await db.selectFrom('csatRequests').select('id').limit(1).executeTakeFirst())) await seedCsat(database, rng, t)
  if (!(await db.selectFrom('surveys').select('id').where('slug', '=', REDESIGN_SLUG).executeTakeFirst())) {
    await seedRedesignSurvey(database, world, rng, t)
    await seedPurchaseReasons(database, world, rng, t)
  }
}

async function seedCsat(database: Database, rng: Rng, t: number) {
  const db = database.db

  const emails = new Map<number, string>()
  for (const row of await db.selectFrom('contactIdentities').select(['contactId', 'value']).where('kind', '=', 'email').orderBy('id', 'desc').execute())
    emails.set(row.contactId, row.value)

  let afterId = 0
  for (;;) {
    const tickets = await db
      .selectFrom('tickets')
      .select(['id', 'requesterId', 'solvedAt'])
      .where('id', '>', afterId)
      .where('solvedAt', 'is not', null)
      .where('solvedAt', '<', t - HOUR)
      .where('mergedIntoId', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    if (!tickets.length) break
    afterId = tickets[tickets.length - 1]!.id
    const rows = tickets
      .filter(() => rng.chance(0.85))
      .map((ticket) => {
        const solvedAt = ticket.solvedAt!
        const sentAt = solvedAt + HOUR
        const expiresAt = sentAt + 14 * DAY
        const email = emails.get(ticket.requesterId) ?? null
        const skipped = !email || rng.chance(0.03)
        const answered = !skipped && rng.chance(0.6) && sentAt < t
        const score = answered ? Number(rng.weighted({ 5: 78, 3: 12, 1: 10 })) : null
        const comments = score === 5 ? GOOD_COMMENTS : score === 3 ? OKAY_COMMENTS : BAD_COMMENTS
        const commentChance = score === 5 ? 0.2 : score === 3 ? 0.4 : 0.75
        const ratedAt = answered ? Math.min(t - MINUTE, sentAt + rng.int(5, 36 * 60) * MINUTE) : null
        return {
          ticketId: ticket.id,
          contactId: ticket.requesterId,
          email,
          solvedAt,
          tokenHash: skipped ? null : sha256(randomBytes(32)),
          status: skipped ? 'skipped' : answered ? 'rated' : expiresAt <= t ? 'expired' : 'sent',
          skipReason: skipped ? (email ? rng.pick(['bouncing', 'automated_address']) : 'no_email') : null,
          scale: '3',
          sendAt: sentAt,
          sentAt: skipped ? null : sentAt,
          expiresAt,
          ratedAt,
          score,
          comment: answered && rng.chance(commentChance) ? rng.pick(comments) : null,
          createdAt: sentAt,
        }
      })
    if (rows.length) await db.insertInto('csatRequests').values(rows).execute()
  }
}

async function insertResponse(
  database: Database,
  surveyId: number,
  contactId: number | null,
  invitationId: number | null,
  createdAt: number,
  answers: { questionId: string; value: string }[],
) {
  const response = await database.db
    .insertInto('surveyResponses')
    .values({ surveyId, contactId, invitationId, createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (answers.length)
    await database.db
      .insertInto('surveyAnswers')
      .values(answers.map((a) => ({ responseId: response.id, ...a })))
      .execute()
}

async function inviteContacts(
  database: Database,
  surveyId: number,
  contacts: World['contacts'],
  key: (id: number) => string,
  orderRef: (i: number) => string | null,
  at: number,
) {
  if (!contacts.length) return []
  return database.db
    .insertInto('surveyInvitations')
    .values(
      contacts.map((c, i) => ({
        surveyId,
        contactId: c.id,
        email: null,
        orderRef: orderRef(i),
        dedupeKey: key(c.id),
        tokenHash: sha256(randomBytes(32)),
        status: 'sent',
        skipReason: null,
        sentAt: at,
        answeredAt: null,
        createdAt: at,
      })),
    )
    .returning(['id', 'contactId'])
    .execute()
}

async function seedRedesignSurvey(database: Database, world: World, rng: Rng, t: number) {
  const db = database.db
  const template = REDESIGN_SURVEY_TEMPLATE
  const sentAt = t - 12 * DAY
  await db
    .insertInto('surveys')
    .values({
      kind: 'custom',
      slug: 'redesign-feedback-template',
      title: `${template.title} (template)`,
      intro: template.intro,
      status: 'draft',
      publicLink: 0,
      questions: writeJson(template.questions),
      createdById: world.agents[0]?.id ?? null,
      createdAt: sentAt - DAY,
      updatedAt: sentAt - DAY,
    })
    .execute()
  const survey = await db
    .insertInto('surveys')
    .values({
      kind: 'custom',
      slug: REDESIGN_SLUG,
      title: template.title,
      intro: template.intro,
      status: 'open',
      publicLink: 1,
      questions: writeJson(template.questions),
      createdById: world.agents[0]?.id ?? null,
      createdAt: sentAt - DAY,
      updatedAt: sentAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const invited = await inviteContacts(
    database,
    survey.id,
    rng.sample(world.contacts, Math.min(120, world.contacts.length)),
    (id) => `survey:${survey.id}:contact:${id}`,
    () => null,
    sentAt,
  )
  const [, product, improve] = template.questions
  for (const inv of invited) {
    if (!rng.chance(0.45)) continue
    const at = sentAt + rng.int(10, 9 * 24 * 60) * MINUTE
    await db.updateTable('surveyInvitations').set({ status: 'answered', answeredAt: at }).where('id', '=', inv.id).execute()
    const answers = [
      { questionId: 'overall', value: String(rng.weighted({ 5: 25, 4: 38, 3: 22, 2: 10, 1: 5 })) },
      { questionId: 'product', value: rng.pick(product!.options!) },
      ...rng.sample(improve!.options!, rng.int(0, 3)).map((value) => ({ questionId: 'improve', value })),
      ...(rng.chance(0.5) ? [{ questionId: 'change', value: rng.pick(REDESIGN_TEXTS) }] : []),
    ]
    await insertResponse(database, survey.id, inv.contactId, inv.id, at, answers)
  }
}

async function seedPurchaseReasons(database: Database, world: World, rng: Rng, t: number) {
  const db = database.db
  const survey = await ensurePurchaseSurvey(db)
  const reasons = questionsOf(survey).find((q) => q.id === REASONS_QUESTION)?.options ?? []
  const contacts = rng.sample(world.contacts, Math.min(80, world.contacts.length))
  const invited = await inviteContacts(
    database,
    survey.id,
    contacts,
    (id) => `purchase:${id}:demo`,
    (i) => `ORD-${(48_210 + i * 37).toString()}`,
    t - 20 * DAY,
  )
  const weights = Object.fromEntries(reasons.map((r, i) => [r, [30, 26, 22, 14, 8][i] ?? 5]))
  for (const inv of invited) {
    if (!rng.chance(0.55)) continue
    const at = t - rng.int(1, 19 * 24) * HOUR
    await db.updateTable('surveyInvitations').set({ status: 'answered', answeredAt: at }).where('id', '=', inv.id).execute()
    const picked = new Set([rng.weighted(weights), ...(rng.chance(0.35) ? [rng.weighted(weights)] : [])])
    await insertResponse(database, survey.id, inv.contactId, inv.id, at, [
      ...[...picked].map((value) => ({ questionId: REASONS_QUESTION, value })),
      ...(rng.chance(0.4) ? [{ questionId: DETAILS_QUESTION, value: rng.pick(PURCHASE_TEXTS) }] : []),
    ])
  }
}
