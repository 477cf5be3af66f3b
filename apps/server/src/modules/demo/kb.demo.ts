import type { Database } from '../../db/database.ts'
import { insertKbArticle, insertKbCategory, insertKbSection } from '../kb/index.ts'
import type { World } from './generate.ts'

const DAY = 86_400_000
const p = (...paras: string[]) => paras.map((t) => `<p>${t}</p>`).join('')

type DemoArticle = {
  title: string
  body: string
  status?: 'draft' | 'in_review' | 'published'
  visibility?: 'public' | 'internal'
  de?: { title: string; body: string }
}

/** The demo bank's help center: categories, sections and articles (some in German too), an internal one, a draft in review. */
const KB: { name: string; description: string; sections: { name: string; articles: DemoArticle[] }[] }[] = [
  {
    name: 'Cards',
    description: 'Ordering, activating and using your Lumen card',
    sections: [
      {
        name: 'Card payments',
        articles: [
          {
            title: 'Why was my card declined?',
            body: `${p(
              'Most declines happen when the daily spending or cash limit is reached, when the card is frozen, or when the shop asks for a PIN you entered wrongly.',
              'Open the app and go to <strong>Card › Limits</strong> to see and raise your daily limits. If the card is frozen, unfreeze it under <strong>Card › Security</strong>.',
            )}<ul><li>Check your balance</li><li>Check your limits</li><li>Try the chip instead of contactless</li></ul>`,
            de: {
              title: 'Warum wurde meine Karte abgelehnt?',
              body: p(
                'Meist ist das Tageslimit erreicht, die Karte gesperrt oder die PIN wurde falsch eingegeben.',
                'In der App unter <strong>Karte › Limits</strong> können Sie Ihre Limits ansehen und erhöhen.',
              ),
            },
          },
          {
            title: 'Card limits explained',
            body: p(
              'Every card has a daily spending limit, a daily cash withdrawal limit and a monthly limit. You can change them in the app at any time; higher limits may need identity verification.',
            ),
          },
          {
            title: 'Paying abroad and exchange rates',
            body: p('Card payments in other currencies are converted at the interbank rate. A small fee applies on weekends when markets are closed.'),
          },
        ],
      },
      {
        name: 'Lost or stolen cards',
        articles: [
          {
            title: 'Freeze or cancel a lost card',
            body: p(
              'Freeze the card right away in the app under <strong>Card › Security › Freeze</strong>. If you are sure it is gone, cancel it and order a replacement; the new card arrives in 3 to 5 working days.',
            ),
            de: { title: 'Verlorene Karte sperren', body: p('Sperren Sie die Karte sofort in der App unter <strong>Karte › Sicherheit › Sperren</strong>.') },
          },
          {
            title: 'Disputing a payment you do not recognise',
            body: p('Open the payment in the app and choose <strong>Report a problem</strong>. We refund eligible disputed payments within 10 working days.'),
          },
        ],
      },
    ],
  },
  {
    name: 'Transfers',
    description: 'Sending and receiving money',
    sections: [
      {
        name: 'Sending money',
        articles: [
          {
            title: 'How long does a transfer take?',
            body: p(
              'Transfers to other Lumen accounts are instant. Bank transfers in euros usually arrive the same working day; international transfers take 1 to 3 working days.',
            ),
          },
          {
            title: 'Cancelling a transfer',
            body: p('A scheduled transfer can be cancelled until the day before it is due. Instant transfers cannot be cancelled once sent.'),
          },
          {
            title: 'Transfer stuck in pending (agent playbook)',
            visibility: 'internal',
            body: p(
              'Check the payment rail status page first. If the transfer is older than 3 working days, open a consult with the payments team and add the transaction reference.',
            ),
          },
        ],
      },
      {
        name: 'Receiving money',
        articles: [
          {
            title: 'Your IBAN and account details',
            body: p('Find your IBAN under <strong>Account › Details</strong>. Share it to receive salary and transfers.'),
          },
          {
            title: 'Top up with a card',
            body: p('Add money instantly with a debit card from another bank. Top-ups with credit cards are not supported.'),
            status: 'in_review',
          },
        ],
      },
    ],
  },
  {
    name: 'Account and security',
    description: 'Signing in, passwords and your personal details',
    sections: [
      {
        name: 'Signing in',
        articles: [
          {
            title: 'Reset your password',
            body: p('Tap <strong>Forgot password</strong> on the sign-in screen. We send a reset link to your email address; it expires after one hour.'),
            de: { title: 'Passwort zurücksetzen', body: p('Tippen Sie auf <strong>Passwort vergessen</strong>. Der Link ist eine Stunde gültig.') },
          },
          {
            title: 'Two-factor authentication',
            body: p('Turn on two-factor authentication under <strong>Security</strong>. You then confirm every sign-in on a new device with a code.'),
          },
          {
            title: 'Changing your phone number',
            body: p('Update your phone number under <strong>Profile</strong>. For your safety we confirm the change on both numbers.'),
            status: 'draft',
          },
        ],
      },
    ],
  },
]

/** Knowledge-base content for the demo workspace, plus some visitor feedback and searches for the gaps report. */
export async function seedKbDemo(database: Database, world: World) {
  const { db, dialect } = database
  if (await db.selectFrom('kbArticles').select('id').limit(1).executeTakeFirst()) return
  const at = Date.now() - 20 * DAY
  const authors = [...world.agents, ...world.contributors]
  let n = 0
  const ids: Record<string, number> = {}
  for (const [ci, c] of KB.entries()) {
    const categoryId = await insertKbCategory(db, c.name, c.description, ci, at)
    for (const [si, s] of c.sections.entries()) {
      const sectionId = await insertKbSection(db, categoryId, s.name, si, at)
      for (const [ai, a] of s.articles.entries()) {
        const author = authors[n++ % Math.max(authors.length, 1)]
        const when = at + n * 3_600_000
        const id = await insertKbArticle(db, dialect, {
          title: a.title,
          bodyHtml: a.body,
          sectionId,
          status: a.status ?? 'published',
          visibility: a.visibility ?? 'public',
          authorId: author?.id ?? null,
          at: when,
          position: ai,
        })
        ids[a.title] = id
        if (a.de)
          await insertKbArticle(db, dialect, {
            title: a.de.title,
            bodyHtml: a.de.body,
            lang: 'de',
            sectionId,
            translationOf: id,
            authorId: author?.id ?? null,
            at: when,
            position: ai,
          })
      }
    }
  }
  await db
    .insertInto('settings')
    .values({
      key: 'helpCenter',
      value: JSON.stringify({ title: 'Lumen help center', logoUrl: null, primaryColor: '#0b7285', accentColor: '#1098ad', languages: ['en', 'de'] }),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const votes: [string, boolean, string | null][] = [
    ['Why was my card declined?', true, null],
    ['Why was my card declined?', true, null],
    ['How long does a transfer take?', false, 'My transfer took 5 days, this article says 3 at most.'],
    ['How long does a transfer take?', false, null],
    ['Paying abroad and exchange rates', false, 'What is the weekend fee exactly?'],
  ]
  for (const [title, helpful, comment] of votes) {
    const articleId = ids[title]!
    await db
      .insertInto('kbVotes')
      .values({ articleId, helpful: helpful ? 1 : 0, comment, createdAt: Date.now() - DAY })
      .execute()
    await db
      .updateTable('kbArticles')
      .set((eb) => (helpful ? { helpfulCount: eb('helpfulCount', '+', 1) } : { unhelpfulCount: eb('unhelpfulCount', '+', 1) }))
      .where('id', '=', articleId)
      .execute()
  }
  for (const [query, count] of [
    ['apple pay', 4],
    ['joint account', 2],
    ['crypto', 1],
  ] as const)
    for (let i = 0; i < count; i++)
      await db
        .insertInto('kbSearchLog')
        .values({ query, lang: 'en', results: 0, createdAt: Date.now() - i * DAY })
        .execute()
}
