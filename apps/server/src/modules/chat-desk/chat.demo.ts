import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { writeJson } from '../../platform/json.ts'
import { markForReports } from '../../platform/report-queue.ts'
import { csatScore } from '../chat/chat.csat.ts'
import { subjectFrom } from '../chat/chat.messages.service.ts'
import { type ChatSettings, DEFAULT_CHAT_SETTINGS, readChatSettings } from '../chat/chat.settings.ts'
import { newVisitorToken, visitorTokenHash } from '../chat/chat.visitors.ts'
import { insertContact } from '../contacts/contacts.service.ts'
import { insertTickets, nextIds } from '../demo/bulk-insert.ts'
import { seedDecisionTreesDemo } from '../demo/decision-trees.demo.ts'
import { FIRST_NAMES, LAST_NAMES, QUERIES } from '../demo/demo-data.ts'
import type { GenMessage, GenTicket, World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { readCsatSettings } from '../surveys/csat.settings.ts'
import { DEFAULT_CAPACITY } from './agent-status.ts'

/**
 * Live chat in the demo workspace: the "Website chat" inbox of the Support team (settings, two auto-invite
 * rules, the card guided help offered in the widget), the Support agents' chat availability (all offline, so nothing is routed until someone goes online),
 * 25 visitors of the bank's website with their page views over the last two weeks, 15 ended chats (some rated,
 * counted as CSAT like a widget rating) and two chats still waiting. Rows have the shapes the chat module
 * writes; tickets and messages go through the demo's bulk insert (search index included). Runs after the
 * reports rebuild, so its tickets are queued for the reports like any other write.
 */

export const DEMO_CHAT_INBOX = 'Website chat'
/** The demo's customer tree ("Card declined, lost or stolen") the chat widget offers as guided help. */
const DEMO_WIDGET_TREE = 'card-problems'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const SITE = 'https://www.lumenbank.example'

type Page = { path: string; title: string }
const page = (path: string, title: string): Page => ({ path, title: `${title} – Lumen Bank` })

const HOME = page('/', 'Everyday banking, made simple')
const PRICING = page('/pricing', 'Plans and pricing')
const PRICING_PAGES = [PRICING, page('/pricing/premium', 'Premium'), page('/pricing/business', 'Business plans')]
const PRODUCT_PAGES = [
  page('/cards', 'Cards'),
  page('/cards/virtual', 'Virtual cards'),
  page('/cards/metal', 'The metal card'),
  page('/loans', 'Personal loans'),
  page('/loans/calculator', 'Loan calculator'),
  page('/savings', 'Savings accounts'),
  page('/business', 'Business accounts'),
  page('/app', 'Get the app'),
]
const HELP_HOME = page('/help', 'Help centre')
const HELP_BY_TOPIC: Record<Topic, Page[]> = {
  card: [page('/help/cards/card-not-arrived', 'My card has not arrived'), page('/help/cards/freeze-card', 'Freeze or unfreeze your card')],
  transfer: [page('/help/transfers/pending-transfer', 'Why is my transfer pending?'), page('/help/transfers/cancel-a-transfer', 'Cancel a transfer')],
  identity: [page('/help/account/verify-identity', 'Verifying your identity')],
  fees: [page('/help/fees/atm-withdrawals', 'ATM withdrawal fees'), page('/help/fees/exchange-rates', 'Exchange rates explained')],
  refund: [page('/help/payments/refunds', 'Where is my refund?')],
  topup: [page('/help/top-ups/top-up-failed', 'My top-up failed')],
  other: [HELP_HOME, page('/help/account/update-details', 'Update your personal details')],
}
const ALL_PAGES = [HOME, ...PRICING_PAGES, ...PRODUCT_PAGES, HELP_HOME, ...Object.values(HELP_BY_TOPIC).flat()]
const REFERRERS = [
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://www.reddit.com/r/UKPersonalFinance/',
  'https://compare.moneyguide.example/current-accounts',
  '',
  '',
]
const NEWSLETTER_QUERY = '?utm_source=newsletter&utm_medium=email&utm_campaign=premium-spring'
const LOCALES: [timezone: string, language: string][] = [
  ['Europe/London', 'en-GB'],
  ['Europe/London', 'en-GB'],
  ['Europe/London', 'en-GB'],
  ['Europe/Dublin', 'en-IE'],
  ['Europe/Berlin', 'de-DE'],
  ['Europe/Paris', 'fr-FR'],
  ['Europe/Madrid', 'es-ES'],
  ['Europe/Amsterdam', 'nl-NL'],
  ['America/New_York', 'en-US'],
  ['Asia/Kolkata', 'en-IN'],
]

const PRICING_RULE = {
  name: 'Help on the pricing page',
  urlPattern: `${SITE}/pricing*`,
  minSecondsOnPage: 30,
  returningOnly: 0,
  message: 'Comparing plans? Ask us anything, we are happy to help you pick the right one.',
  capHours: 24,
}
const RETURNING_RULE = {
  name: 'Returning visitors in the help centre',
  urlPattern: `${SITE}/help*`,
  minSecondsOnPage: 45,
  returningOnly: 1,
  message: 'Welcome back! Still looking for an answer? Chat with us here.',
  capHours: 72,
}

type Topic = 'card' | 'transfer' | 'identity' | 'fees' | 'refund' | 'topup' | 'other'
function topicOf(category: string): Topic {
  if (/refund|reverted/i.test(category)) return 'refund'
  if (/verify|identity|source_of_funds/.test(category)) return 'identity'
  if (/top_up|topping/.test(category)) return 'topup'
  if (/transfer|beneficiary|receiving_money|direct_debit/.test(category)) return 'transfer'
  if (/fee|charge|exchange|cash_withdrawal/.test(category)) return 'fees'
  if (/card|pin|contactless|apple_pay|atm/.test(category)) return 'card'
  return 'other'
}

/**
 * For the BANKING77 categories the demo's chats are about: the customer's next line and the agent's answer,
 * so each chat reads as one conversation (the customer's first line is a BANKING77 text of that category).
 */
const EXCHANGES: Record<string, [customer: string, agent: string][]> = {
  card_arrival: [
    [
      'I ordered it two weeks ago and still nothing.',
      'Thanks! I can see it was posted last Monday. If it has not arrived by Friday, message us and I will send a new one for free.',
    ],
  ],
  card_delivery_estimate: [
    [
      'It is going to my address in Manchester.',
      'Cards to UK addresses arrive within 3 to 5 working days. Yours left our printer yesterday, so expect it early next week.',
    ],
  ],
  lost_or_stolen_card: [
    [
      'The one ending 4821.',
      'Got it. I have frozen that card and ordered a replacement, it should be with you in 3 to 5 working days. The virtual card in the app keeps working meanwhile.',
    ],
  ],
  compromised_card: [
    [
      'Two payments to an online shop I have never heard of, last night.',
      'I have frozen the card and raised a dispute for both payments. You will get the money back within 5 working days, and a new card is on its way.',
    ],
  ],
  declined_card_payment: [
    [
      'I am abroad right now, does that matter?',
      'Not at all, the card works abroad. The payment was declined because contactless was switched off; you can turn it on under Cards > Security.',
    ],
  ],
  card_not_working: [
    [
      'It worked fine last week.',
      'I can see the card was blocked after three wrong PIN entries. I have unblocked it; you can pay again now, and reset the PIN in the app if you need to.',
    ],
  ],
  pending_transfer: [
    [
      'I sent it yesterday morning to my landlord.',
      'I can see it: it is with the receiving bank now. Transfers to a new payee can take up to one working day, so it should land by tomorrow noon.',
    ],
  ],
  transfer_not_received_by_recipient: [
    [
      'The reference was INV-2231.',
      'Thanks! The transfer has left your account and the other bank confirmed it. The recipient may need to check with their bank.',
    ],
  ],
  cancel_transfer: [['It is the one I sent ten minutes ago.', 'It was still pending, so I could cancel it for you. The money is back in your balance.']],
  verify_my_identity: [
    [
      'Is a driving licence enough?',
      'Yes, a driving licence or a passport both work, plus a selfie. It takes about two minutes in the app under Profile > Verify.',
    ],
  ],
  unable_to_verify_identity: [
    [
      'I uploaded my passport twice already.',
      'Sorry about that, the photo was a little blurry. I have emailed you a new link; a photo in daylight without flash usually works.',
    ],
  ],
  cash_withdrawal_charge: [
    [
      'It was 2.50 at a cash machine in town.',
      'That is the ATM fee after the free withdrawals of the month. As a one-off I have refunded it, you will see it within a day.',
    ],
  ],
  card_payment_fee_charged: [
    [
      'It was a payment in euros on Saturday.',
      'At weekends the free plan adds 0.5 % to payments in other currencies, that is the fee you see. Premium has no weekend fee.',
    ],
  ],
  Refund_not_showing_up: [
    [
      'The shop says they sent it last week.',
      'Refunds take 5 to 10 days to reach us from the merchant. I can see one pending for you, so it should arrive by Wednesday.',
    ],
  ],
  top_up_failed: [
    [
      'I topped up with my other bank card.',
      'I can see the top-up was declined by the bank that issued that card. Please try again, or top up by bank transfer, which is free.',
    ],
  ],
  pending_top_up: [
    [
      'It says pending since this morning.',
      'Card top-ups can be held for a check the first time. This one has just gone through, the money is in your balance now.',
    ],
  ],
  card_payment_wrong_exchange_rate: [
    [
      'It was a restaurant in Lisbon, 48 euros.',
      'At weekends the free plan adds 0.5 % to the interbank rate, that explains the difference. On weekdays you get the rate as it is.',
    ],
  ],
  edit_personal_details: [
    [
      'Can I do it in the app?',
      'Yes: open the app, tap your profile, then Personal details. A new address needs a photo of a recent bill, everything else changes at once.',
    ],
  ],
  change_pin: [
    ['Can I do it in the app?', 'Yes, under Cards > Show PIN > Change PIN. The new PIN works at once for chip payments, and at cash machines after one use.'],
  ],
  passcode_forgotten: [
    [
      'I have tried three times now.',
      'No problem. Tap "Forgot passcode" on the login screen; we send a code by text and you can set a new one. Your account is not locked.',
    ],
  ],
}
const CHAT_QUERIES = QUERIES.filter((q) => EXCHANGES[q.category] && q.text.length <= 140)

const PRICING_CHATS: [question: string, answer: string, followUp: string, followUpAnswer: string][] = [
  [
    'What is the difference between Plus and Premium?',
    'Hi {first}! Plus gives you 1 % cashback and 3 free ATM withdrawals a month. Premium adds travel insurance, a metal card and free withdrawals up to £400 a month.',
    'Can I switch plans later?',
    'Yes, any time in the app. And the first month of Premium is free if you switch in the next 30 days.',
  ],
  [
    'Do you charge for card payments in euros on the free plan?',
    'Hi {first}! Card payments abroad are free on every plan at the interbank rate on weekdays; at weekends the free plan adds 0.5 %.',
    'And cash withdrawals abroad?',
    'Up to £200 a month are free on the free plan, after that it is 2 %.',
  ],
  [
    'Is there a fee to open a business account?',
    'Hi {first}! There is no opening fee. Business Basic is free for sole traders; Business Grow is £25 a month with 5 team cards.',
    'How long does it take to open one?',
    'Usually the same day. You need your company number and an ID for each director.',
  ],
]

const OPENERS = [
  'Hi {first}, {agent} here. Let me have a look at this for you.',
  'Hello {first}! Thanks for waiting, I am {agent}. One moment while I check.',
  'Hi {first}, thanks for getting in touch. Checking this for you now.',
]
const CUSTOMER_CLOSERS = ['Perfect, thank you!', 'Thanks a lot, that helps.', 'Great, that is all I needed. Bye!', 'ok cheers', 'Brilliant, thanks {agent}!']
const AGENT_CLOSERS = [
  'You are welcome, {first}! Have a lovely day.',
  'Glad I could help. I will close the chat now; message us here any time.',
  'Happy to help! Take care.',
]
const STILL_THERE = 'Are you still there, {first}? I will close this chat for now, but you can message us here any time.'
const WAITING_NUDGE = 'hello? is anyone there?'
const RATING_COMMENTS: Record<number, string[]> = {
  5: ['Super quick, thank you!', 'Sorted in five minutes, great chat.', '{agent} was lovely and very clear.'],
  4: ['Helpful, though I had to wait a bit.', 'Good answer, thanks.'],
  3: ['Okay, but the card still has not arrived.', 'The answer was fine but felt a bit scripted.'],
}

const fill = (text: string, vars: { first: string; agent: string }) => text.replace(/\{(first|agent)\}/g, (_, k: 'first' | 'agent') => vars[k])
const firstName = (name: string) => name.split(' ')[0]!
/** A client message id as the widget makes them (a UUID), drawn from the demo's random numbers. */
const clientId = (rng: Rng) => {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`
}

type ChatKind = 'support' | 'pricing' | 'missed' | 'waiting'
interface Line {
  who: 'customer' | 'agent'
  text: string
  /** Milliseconds after the chat started. */
  at: number
}
interface View {
  url: string
  title: string
  referrer: string
  at: number
  leftAt: number
}
interface PlannedChat {
  kind: ChatKind
  visitor: number
  startedAt: number
  category: string
  agent: World['agents'][number] | null
  lines: Line[]
  routedAfter: number
  /** Relative to the start: the agent ended the chat. */
  endedAfter: number | null
  rating: { rating: number; comment: string | null } | null
}
interface PlannedVisitor {
  verified: boolean
  contact: World['contacts'][number] | null
  claimedName: string | null
  claimedEmail: string | null
  locale: [string, string]
  chats: PlannedChat[]
  visits: View[][]
  invites: { rule: 'pricing' | 'returning'; at: number; status: 'sent' | 'accepted' | 'dismissed'; answeredAt: number | null }[]
}

/** The chat's lines, timed from its start; routing happens a few seconds in. */
function script(rng: Rng, kind: ChatKind, first: string, agentName: string, query: { category: string; text: string }, pricing: number): Line[] {
  const vars = { first, agent: firstName(agentName) }
  const lines: Line[] = []
  let t = 0
  const say = (who: Line['who'], text: string, gapSeconds: [number, number]) => {
    t += rng.int(gapSeconds[0], gapSeconds[1]) * SECOND
    lines.push({ who, text: fill(text, vars), at: t })
  }
  if (kind === 'pricing') {
    const [question, answer, followUp, followUpAnswer] = PRICING_CHATS[pricing % PRICING_CHATS.length]!
    lines.push({ who: 'customer', text: question, at: 0 })
    say('agent', answer, [25, 80])
    say('customer', followUp, [20, 90])
    say('agent', followUpAnswer, [30, 100])
    say('customer', rng.pick(CUSTOMER_CLOSERS), [15, 60])
    say('agent', rng.pick(AGENT_CLOSERS), [10, 40])
    return lines
  }
  lines.push({ who: 'customer', text: query.text, at: 0 })
  if (kind === 'waiting') {
    if (rng.chance(0.5)) say('customer', WAITING_NUDGE, [60, 150])
    return lines
  }
  if (kind === 'missed') {
    say('agent', rng.pick(OPENERS), [60, 150])
    say('agent', STILL_THERE, [180, 300])
    return lines
  }
  const [followUp, answer] = rng.pick(EXCHANGES[query.category] ?? EXCHANGES.card_arrival!)
  say('agent', rng.pick(OPENERS), [20, 70])
  say('customer', followUp, [30, 120])
  say('agent', answer, [40, 150])
  if (rng.chance(0.6)) {
    say('customer', rng.pick(CUSTOMER_CLOSERS), [15, 60])
    say('agent', rng.pick(AGENT_CLOSERS), [10, 40])
  } else {
    say('agent', 'Is there anything else I can help with today?', [10, 30])
    say('customer', 'No, that was everything. Thank you!', [15, 60])
  }
  return lines
}

/** Pages one after another from `start`, each opened from the previous one; the first from `referrer`. */
function walk(rng: Rng, pages: Page[], referrer: string, start: number, query = ''): View[] {
  const views: View[] = []
  let t = start
  let from = referrer
  for (const [i, p] of pages.entries()) {
    const url = SITE + p.path + (i === 0 ? query : '')
    const stay = rng.int(8, 150) * SECOND
    views.push({ url, title: p.title, referrer: from, at: t, leftAt: t + stay })
    from = url
    t += stay + rng.int(1, 4) * SECOND
  }
  return views
}

/** A landing page and a few more, ending on `last` when given. */
function route(rng: Rng, count: number, last?: Page): Page[] {
  const pages = [rng.pick([HOME, HOME, PRICING, ...PRODUCT_PAGES.slice(0, 4), HELP_HOME])]
  while (pages.length < count - (last ? 1 : 0)) {
    const next = rng.pick(ALL_PAGES)
    if (next !== pages[pages.length - 1]) pages.push(next)
  }
  if (last) pages.push(last)
  return pages
}

function landing(rng: Rng): { referrer: string; query: string } {
  const referrer = rng.pick(REFERRERS)
  return { referrer, query: !referrer && rng.chance(0.4) ? NEWSLETTER_QUERY : '' }
}

/** A visit around a chat: browsing up to the page the chat starts on, staying there until it ends (a waiting chat's visitor left a moment ago). */
function chatVisit(rng: Rng, chat: PlannedChat, chatPage: Page, t: number): View[] {
  const from = landing(rng)
  const views = walk(rng, route(rng, rng.int(1, 4), chatPage), from.referrer, 0, from.query)
  const onPage = views[views.length - 1]!
  const offset = chat.kind === 'pricing' ? (PRICING_RULE.minSecondsOnPage + rng.int(5, 40)) * SECOND : rng.int(15, 120) * SECOND
  const shift = chat.startedAt - (onPage.at + offset)
  const last = chat.lines[chat.lines.length - 1]!.at
  onPage.leftAt =
    chat.kind === 'waiting' ? t - rng.int(20, 60) * SECOND - shift : onPage.at + offset + Math.max(last, chat.endedAfter ?? 0) + rng.int(5, 60) * SECOND
  if (chat.kind !== 'waiting' && rng.chance(0.4)) views.push(...walk(rng, [rng.pick(ALL_PAGES)], onPage.url, onPage.leftAt + rng.int(1, 4) * SECOND))
  return views.map((v) => ({ ...v, at: v.at + shift, leftAt: v.leftAt + shift }))
}

/** A moment of one of the last `days` days within the given hours (UTC), never in the last three hours. */
function daytime(rng: Rng, t: number, days: number, hours: [from: number, to: number]): number {
  let at = Math.floor((t - rng.int(0, days - 1) * DAY) / DAY) * DAY + rng.int(hours[0] * 3600, hours[1] * 3600) * SECOND
  while (at > t - 3 * HOUR) at -= DAY
  return at
}
/** Chats happen in the support team's hours, over the last ten days. */
const pastChatTime = (rng: Rng, t: number) => daytime(rng, t, 10, [8, 19])

/** Everything the demo shows, drawn from `rng` (no database access). */
function plan(rng: Rng, world: World, t: number): PlannedVisitor[] {
  const supportId = world.teams.Support
  const takers = world.agents.filter((a) => a.teamIds.includes(supportId))
  const agents = takers.length ? takers : world.agents
  const contacts = rng.sample(world.contacts, 10)
  // Chats per visitor: the first ten visitors are signed in on the bank's site (verified), the rest anonymous.
  const kinds: ChatKind[][] = [
    ['support', 'support'],
    ['support'],
    ['support'],
    ['support'],
    ['support'],
    ['support'],
    ['support'],
    [],
    [],
    ['waiting'],
    ['support', 'support'],
    ['pricing'],
    ['support'],
    ['pricing'],
    ['missed'],
    ['support'],
    [],
    [],
    ['waiting'],
    [],
    [],
    [],
    [],
    [],
    [],
  ]
  let pricing = 0
  return kinds.map((chatKinds, i) => {
    const contact = i < 10 ? (contacts[i] ?? null) : null
    const verified = contact !== null
    const first = rng.pick(FIRST_NAMES)
    const last = rng.pick(LAST_NAMES)
    const claims = !verified && chatKinds.length > 0
    const claimedName = claims ? (rng.chance(0.5) ? first : `${first} ${last}`) : null
    const claimedEmail = claims && rng.chance(0.5) ? `${first}.${last}@example.net`.toLowerCase() : null
    const name = contact?.name ?? claimedName ?? first
    const starts: number[] = []
    const chats = chatKinds.map((kind): PlannedChat => {
      let startedAt = kind === 'waiting' ? t - rng.int(4, 9) * MINUTE : pastChatTime(rng, t)
      while (kind !== 'waiting' && starts.some((s) => Math.abs(s - startedAt) < 6 * HOUR)) startedAt = pastChatTime(rng, t - DAY)
      starts.push(startedAt)
      const agent = kind === 'waiting' ? null : rng.pick(agents)
      const query = rng.pick(CHAT_QUERIES)
      const lines = script(rng, kind, firstName(name), agent?.name ?? '', query, kind === 'pricing' ? pricing++ : 0)
      const last = lines[lines.length - 1]!.at
      const endedAfter = kind === 'waiting' ? null : last + (kind === 'missed' ? rng.int(20, 60) : rng.int(30, 180)) * SECOND
      const rated = (kind === 'support' || kind === 'pricing') && rng.chance(0.65)
      const rating = rated ? Number(rng.weighted({ 5: 55, 4: 28, 3: 17 })) : 0
      return {
        kind,
        visitor: i,
        startedAt,
        category: kind === 'pricing' ? 'pricing' : query.category,
        agent,
        lines,
        routedAfter: rng.int(2, 15) * SECOND,
        endedAfter,
        rating: rated
          ? { rating, comment: rng.chance(0.4) ? fill(rng.pick(RATING_COMMENTS[rating]!), { first: '', agent: firstName(agent!.name) }) : null }
          : null,
      }
    })

    // Visits: one around each chat, plus a few more on other days (a visit never overlaps another).
    const visits: View[][] = chats.map((chat) => {
      const topic = topicOf(chat.category)
      const chatPage = chat.kind === 'pricing' ? rng.pick(PRICING_PAGES) : rng.chance(0.8) ? rng.pick(HELP_BY_TOPIC[topic]) : rng.pick(PRODUCT_PAGES)
      return chatVisit(rng, chat, chatPage, t)
    })
    // The pricing chats answered the pricing rule's invitation, sent after half a minute on the page.
    const invites: PlannedVisitor['invites'] = []
    for (const [n, chat] of chats.entries()) {
      const onPage = visits[n]!.find((v) => v.at <= chat.startedAt && v.leftAt >= chat.startedAt)
      if (chat.kind === 'pricing' && onPage)
        invites.push({ rule: 'pricing', at: onPage.at + PRICING_RULE.minSecondsOnPage * SECOND, status: 'accepted', answeredAt: chat.startedAt })
    }
    const extra = rng.int(chats.length ? 0 : 1, 3)
    for (let n = 0; n < extra; n++) {
      const start = daytime(rng, t, 14, [7, 23])
      if (visits.some((v) => Math.abs(v[0]!.at - start) < 2 * HOUR)) continue
      const from = landing(rng)
      visits.push(walk(rng, route(rng, rng.int(1, 6)), from.referrer, start, from.query))
    }
    visits.sort((a, b) => a[0]!.at - b[0]!.at)

    // Visitors who never chatted got a few invitations from the rules, some dismissed, some left unanswered.
    if (!chats.length) {
      const lastAt = { pricing: -Infinity, returning: -Infinity }
      for (const [n, visit] of visits.entries()) {
        for (const v of visit) {
          const rule = v.url.startsWith(`${SITE}/pricing`) ? PRICING_RULE : v.url.startsWith(`${SITE}/help`) && n > 0 ? RETURNING_RULE : null
          if (!rule || v.leftAt - v.at < rule.minSecondsOnPage * SECOND || !rng.chance(0.6)) continue
          const key = rule === PRICING_RULE ? 'pricing' : 'returning'
          const at = v.at + rule.minSecondsOnPage * SECOND
          if (at - lastAt[key] < rule.capHours * HOUR) continue
          lastAt[key] = at
          const dismissed = rng.chance(0.5)
          invites.push({
            rule: key,
            at,
            status: dismissed ? 'dismissed' : 'sent',
            answeredAt: dismissed ? Math.min(at + rng.int(2, 20) * SECOND, v.leftAt) : null,
          })
          break
        }
      }
    }
    return { verified, contact, claimedName, claimedEmail, locale: rng.pick(LOCALES), chats, visits, invites }
  })
}

/** Creates the demo's live chat, once: nothing happens when the workspace already has a chat inbox named "Website chat". */
export async function seedChatDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  if (await db.selectFrom('inboxes').select('id').where('name', '=', DEMO_CHAT_INBOX).where('type', '=', 'chat').executeTakeFirst()) return
  const supportId = world.teams.Support
  if (!world.contacts.length || !world.agents.length || supportId === undefined) return
  const t = now()
  const visitors = plan(rng, world, t)
  const allChats = visitors.flatMap((v) => v.chats)
  const firstDay = Math.min(...visitors.map((v) => v.visits[0]![0]!.at))

  // The widget offers the customer tree as guided help, so the demo trees are seeded first (that seeding runs once).
  await seedDecisionTreesDemo(database, world)
  const widgetTree = await db.selectFrom('decisionTrees').select('id').where('slug', '=', DEMO_WIDGET_TREE).executeTakeFirst()

  // The inbox, its settings as an admin would have saved them (the identity secret is made on the first read), its rules.
  const stored: Partial<Omit<ChatSettings, 'identitySecret'>> = {
    appearance: {
      ...DEFAULT_CHAT_SETTINGS.appearance,
      color: '#0b7285',
      title: 'Chat with Lumen Bank',
      greeting: 'Hi! Questions about your account or our plans? We are here.',
      texts: {},
    },
    preChatFields: DEFAULT_CHAT_SETTINGS.preChatFields,
    allowedOrigins: [],
    routing: 'round_robin',
    widgetTreeId: widgetTree?.id ?? null,
  }
  const inbox = await db
    .insertInto('inboxes')
    .values({
      name: DEMO_CHAT_INBOX,
      type: 'chat',
      teamId: supportId,
      autoReply: writeJson({ enabled: false, subject: '', body: '' }),
      emailSettings: null,
      chatSettings: writeJson(stored),
      createdAt: firstDay - 30 * DAY,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const inboxId = inbox.id
  await readChatSettings(db, inboxId)
  const rules = await db
    .insertInto('chatInviteRules')
    .values([PRICING_RULE, RETURNING_RULE].map((r) => ({ inboxId, ...r, enabled: 1, createdAt: firstDay - 7 * DAY })))
    .returning(['id', 'name'])
    .execute()
  const ruleId = (key: 'pricing' | 'returning') => rules.find((r) => r.name === (key === 'pricing' ? PRICING_RULE : RETURNING_RULE).name)!.id

  // Visitors: random tokens (only their hashes are kept, as the widget's sessions store them).
  const rows = visitors.map((v) => {
    const views = v.visits.flat()
    const lastChat = v.chats[v.chats.length - 1]
    return {
      inboxId,
      tokenHash: visitorTokenHash(newVisitorToken()),
      contactId: v.contact?.id ?? null,
      verified: v.verified ? 1 : 0,
      externalId: v.contact ? `lb-${100_000 + v.contact.id}` : null,
      claimedName: v.claimedName,
      claimedEmail: v.claimedEmail,
      visitCount: v.visits.length,
      visitStartedAt: v.visits[v.visits.length - 1]![0]!.at,
      timezone: v.locale[0],
      language: v.locale[1],
      createdAt: views[0]!.at,
      lastSeenAt: Math.max(...views.map((x) => x.leftAt), lastChat ? lastChat.startedAt + lastChat.lines[lastChat.lines.length - 1]!.at : 0),
    }
  })
  const inserted = await db.insertInto('chatVisitors').values(rows).returning(['id', 'tokenHash']).execute()
  const visitorIds = rows.map((r) => inserted.find((x) => x.tokenHash === r.tokenHash)!.id)

  // An anonymous visitor's first chat made a contact of its own (no email, identity `visitor:<id>`), named as they typed.
  const contactOf = new Map<number, { id: number; name: string; organizationId: number | null }>()
  for (const [i, v] of visitors.entries()) {
    if (v.contact) contactOf.set(i, v.contact)
    else if (v.chats.length) {
      const since = v.chats[0]!.startedAt
      const name = v.claimedName ?? `Visitor ${visitorIds[i]}`
      const id = await insertContact(db, database.dialect, { name, emails: [] })
      await db.updateTable('contacts').set({ createdAt: since, updatedAt: since }).where('id', '=', id).execute()
      await db
        .insertInto('contactIdentities')
        .values({ contactId: id, kind: 'visitor', value: `visitor:${visitorIds[i]}`, createdAt: since })
        .execute()
      await db.updateTable('chatVisitors').set({ contactId: id }).where('id', '=', visitorIds[i]!).execute()
      contactOf.set(i, { id, name, organizationId: null })
    }
  }

  const views = visitors.flatMap((v, i) => {
    const linkedSince = v.contact ? -Infinity : (v.chats[0]?.startedAt ?? Infinity)
    return v.visits.flat().map((x) => ({
      visitorId: visitorIds[i]!,
      contactId: x.at >= linkedSince ? (contactOf.get(i)?.id ?? null) : null,
      url: x.url,
      title: x.title,
      referrer: x.referrer,
      createdAt: x.at,
      leftAt: Math.min(x.leftAt, t),
    }))
  })
  for (let i = 0; i < views.length; i += 500)
    await db
      .insertInto('chatPageViews')
      .values(views.slice(i, i + 500))
      .execute()

  const invites = visitors.flatMap((v, i) =>
    v.invites.map((inv) => ({
      visitorId: visitorIds[i]!,
      inboxId,
      ruleId: ruleId(inv.rule),
      userId: null,
      message: (inv.rule === 'pricing' ? PRICING_RULE : RETURNING_RULE).message,
      status: inv.status,
      createdAt: inv.at,
      answeredAt: inv.answeredAt,
    })),
  )
  if (invites.length) await db.insertInto('chatInvites').values(invites).execute()

  // The chats' tickets, oldest first, with the lines and events the chat module and the agent side write.
  const emails = new Map<number, string>()
  const verifiedIds = visitors.flatMap((v) => (v.contact ? [v.contact.id] : []))
  for (const r of await db
    .selectFrom('contactIdentities')
    .select(['contactId', 'value'])
    .where('kind', '=', 'email')
    .where('contactId', 'in', verifiedIds.length ? verifiedIds : [0])
    .orderBy('id', 'desc')
    .execute())
    emails.set(r.contactId, r.value)
  const ordered = [...allChats].sort((a, b) => a.startedAt - b.startedAt)
  const tickets: GenTicket[] = ordered.map((chat) => {
    const v = visitors[chat.visitor]!
    const contact = contactOf.get(chat.visitor)!
    const at = (ms: number) => chat.startedAt + ms
    const fields = [
      { key: 'name', label: 'Name', value: v.contact?.name ?? v.claimedName ?? contact.name },
      ...((v.contact ? emails.get(v.contact.id) : v.claimedEmail)
        ? [{ key: 'email', label: 'Email', value: (v.contact ? emails.get(v.contact.id) : v.claimedEmail)! }]
        : []),
    ]
    const event = (authorUserId: number | null, e: Record<string, unknown>, createdAt: number): GenMessage => ({
      kind: 'event',
      authorUserId,
      authorContactId: null,
      text: '',
      event: e,
      createdAt,
    })
    const messages: GenMessage[] = [
      { kind: 'customer', authorUserId: null, authorContactId: contact.id, text: chat.lines[0]!.text, event: null, createdAt: at(0) },
      event(null, { type: 'chat_prechat', verified: v.verified, fields }, at(0)),
    ]
    if (chat.agent)
      messages.push(event(null, { type: 'assigned', from: null, to: chat.agent.id, toName: chat.agent.name, via: 'chat_routing' }, at(chat.routedAfter)))
    for (const line of chat.lines.slice(1)) {
      messages.push(
        line.who === 'customer'
          ? { kind: 'customer', authorUserId: null, authorContactId: contact.id, text: line.text, event: null, createdAt: at(line.at) }
          : { kind: 'reply', authorUserId: chat.agent!.id, authorContactId: null, text: line.text, event: null, createdAt: at(line.at) },
      )
    }
    let status = 'new'
    let solvedAt: number | null = null
    let updatedAt = at(chat.lines[chat.lines.length - 1]!.at)
    if (chat.endedAfter !== null && chat.agent) {
      messages.push(event(chat.agent.id, { type: 'chat_ended' }, at(chat.endedAfter)))
      solvedAt = at(chat.endedAfter) + rng.int(1, 20) * MINUTE
      messages.push(event(chat.agent.id, { type: 'status_changed', from: 'open', to: 'solved' }, solvedAt))
      status = 'solved'
      updatedAt = solvedAt
      if (solvedAt + 4 * DAY < t) {
        status = 'closed'
        updatedAt = solvedAt + 4 * DAY
        messages.push(event(null, { type: 'status_changed', from: 'solved', to: 'closed' }, updatedAt))
      }
    }
    const firstReply = chat.lines.find((l) => l.who === 'agent')
    return {
      subject: subjectFrom(chat.lines[0]!.text, `Chat with ${contact.name}`),
      status,
      priority: 'normal',
      inboxId,
      requesterId: contact.id,
      requesterName: contact.name,
      organizationId: contact.organizationId,
      assigneeId: chat.agent?.id ?? null,
      teamId: supportId,
      customFields: {},
      tags: ['chat'],
      followerIds: [],
      firstResponseAt: firstReply ? at(firstReply.at) : null,
      solvedAt,
      createdAt: chat.startedAt,
      updatedAt,
      messages,
    }
  })
  const { ticketIds } = await insertTickets(database, await nextIds(db), tickets)
  if (database.dialect === 'postgres') {
    // insertTickets writes explicit ids: move the serials past them, as finishBulkLoad does after the main load.
    for (const table of ['tickets', 'messages'])
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(db)
  }

  // Chat replies reached the widget (delivery `sent`); customer lines carry the widget's client ids; read receipts.
  await db.updateTable('messages').set({ deliveryStatus: 'sent' }).where('ticketId', 'in', ticketIds).where('kind', '=', 'reply').execute()
  const lines = await db
    .selectFrom('messages')
    .select(['id', 'ticketId', 'kind'])
    .where('ticketId', 'in', ticketIds)
    .where('kind', 'in', ['customer', 'reply'])
    .orderBy('id')
    .execute()
  const csatScale = (await readCsatSettings(db)).scale
  const conversations = []
  const clientMessages = []
  const csat = []
  for (const [n, chat] of ordered.entries()) {
    const ticketId = ticketIds[n]!
    const ticket = tickets[n]!
    const mine = lines.filter((l) => l.ticketId === ticketId)
    const lastOf = (kind: string) => mine.filter((l) => l.kind === kind).at(-1)?.id ?? null
    const visitorId = visitorIds[chat.visitor]!
    for (const l of mine) if (l.kind === 'customer') clientMessages.push({ visitorId, clientId: clientId(rng), messageId: l.id })
    const endedAt = chat.endedAfter === null ? null : chat.startedAt + chat.endedAfter
    conversations.push({
      ticketId,
      visitorId,
      inboxId,
      status: chat.kind === 'waiting' ? 'waiting' : 'ended',
      agentId: chat.agent?.id ?? null,
      startedAt: chat.startedAt,
      endedAt,
      visitorReadUpTo: chat.kind === 'missed' || chat.kind === 'waiting' ? null : lastOf('reply'),
      agentReadUpTo: chat.kind === 'waiting' ? null : lastOf('customer'),
      rating: chat.rating?.rating ?? null,
      ratingComment: chat.rating?.comment ?? null,
    })
    if (chat.rating && endedAt !== null && ticket.solvedAt !== null) {
      // As recordChatRating leaves it once the ticket is solved (settleChatRating): rated, for the ticket's solve.
      const ratedAt = endedAt + rng.int(10, 90) * SECOND
      csat.push({
        ticketId,
        contactId: ticket.requesterId,
        email: null,
        solvedAt: ticket.solvedAt,
        tokenHash: null,
        status: 'rated',
        skipReason: null,
        scale: csatScale,
        sendAt: ratedAt,
        sentAt: ratedAt,
        expiresAt: ratedAt,
        ratedAt,
        score: csatScore(csatScale, chat.rating.rating),
        comment: chat.rating.comment,
        createdAt: ratedAt,
      })
    }
  }
  await db.insertInto('chatConversations').values(conversations).execute()
  await db.insertInto('chatClientMessages').values(clientMessages).execute()
  if (csat.length) await db.insertInto('csatRequests').values(csat).execute()

  // Availability: the Support team's staff, offline (a fresh demo routes nothing by itself), with their capacities.
  const takers = world.agents.filter((a) => a.teamIds.includes(supportId))
  const statuses = takers.map((a) => {
    const given = allChats.filter((c) => c.agent?.id === a.id)
    const lastAssignedAt = Math.max(0, ...given.map((c) => c.startedAt + c.routedAfter))
    const lastEnded = Math.max(0, ...given.map((c) => c.startedAt + (c.endedAfter ?? 0)))
    return {
      userId: a.id,
      status: 'offline',
      capacity: rng.pick([2, DEFAULT_CAPACITY, DEFAULT_CAPACITY, 4, 5]),
      lastAssignedAt,
      updatedAt: lastEnded ? lastEnded + rng.int(5, 90) * MINUTE : t - rng.int(1, 48) * HOUR,
    }
  })
  if (statuses.length)
    await db
      .insertInto('agentChatStatus')
      .values(statuses)
      .onConflict((oc) => oc.column('userId').doNothing())
      .execute()

  // The reports were rebuilt before this ran: queue these tickets (messages, solves and ratings) like any write does.
  await markForReports(db, ticketIds)
}
