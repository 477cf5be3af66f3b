import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import type { World } from '../demo/generate.ts'
import { slugify } from '../kb/kb.queries.ts'
import { REPUTATION } from './community.posting.ts'
import { recountCategoryTopics, refreshTopicStats } from './community.queries.ts'
import { reindexTopic } from './community.search.ts'

const DAY = 86_400_000

type DemoAnswer = { text: string; by: number | 'staff'; votes: number; accepted?: boolean }
type DemoTopic = { category: number; title: string; text: string; by: number; votes: number; answers: DemoAnswer[]; pinned?: boolean; locked?: boolean }

const CATEGORIES = [
  { name: 'Cards and payments', description: 'Declines, limits, contactless and card orders' },
  { name: 'Account and security', description: 'Signing in, verification and keeping your account safe' },
  { name: 'Transfers', description: 'Sending and receiving money, at home and abroad' },
  { name: 'Ideas and feedback', description: 'What you would like us to build next' },
]

/** The demo bank's community: questions by customers (member index `by`), answers by members and staff, votes, accepted answers. */
const TOPICS: DemoTopic[] = [
  {
    category: 0,
    title: 'Card declined at the supermarket but balance is fine',
    text: 'My card was declined twice today although I have money on the account. Anyone else?',
    by: 0,
    votes: 4,
    answers: [
      { text: 'Check Card › Limits in the app: the daily spending limit was the culprit for me.', by: 1, votes: 6, accepted: true },
      { text: 'Also make sure the card is not frozen under Card › Security.', by: 'staff', votes: 3 },
    ],
  },
  {
    category: 0,
    title: 'How long does a replacement card take?',
    text: 'I ordered a new card on Monday. When can I expect it?',
    by: 2,
    votes: 2,
    answers: [{ text: 'Usually 3 to 5 working days. You can use the virtual card in the meantime.', by: 'staff', votes: 5, accepted: true }],
  },
  {
    category: 0,
    title: 'Contactless stopped working after the update',
    text: 'Since yesterday tapping to pay fails, chip and PIN works.',
    by: 3,
    votes: 3,
    answers: [],
  },
  {
    category: 0,
    title: 'Can I choose my own PIN?',
    text: 'Is it possible to change the PIN to something I can remember?',
    by: 4,
    votes: 1,
    answers: [
      { text: 'Yes, at any ATM of the network under PIN services.', by: 5, votes: 4, accepted: true },
      { text: 'In some countries the app lets you view the PIN but not change it.', by: 6, votes: 1 },
    ],
  },
  {
    category: 0,
    title: 'Paying abroad: which currency should I choose at the terminal?',
    text: 'The terminal asks whether to pay in euros or the local currency. Which is cheaper?',
    by: 7,
    votes: 7,
    pinned: true,
    answers: [
      { text: 'Always pick the local currency; the terminal rate is usually worse than ours.', by: 'staff', votes: 9, accepted: true },
      { text: 'Agreed, I saved about 4% on a trip that way.', by: 8, votes: 2 },
    ],
  },
  {
    category: 1,
    title: 'Two-factor codes arrive late',
    text: 'The SMS code often arrives after it expired. Any tips?',
    by: 9,
    votes: 3,
    answers: [
      { text: 'Switch to app approval in Settings › Security; it is instant.', by: 0, votes: 5, accepted: true },
      { text: 'Restarting the phone helped me once.', by: 10, votes: 0 },
    ],
  },
  {
    category: 1,
    title: 'Got a suspicious email asking for my password',
    text: 'It looks like it is from you. Is this real?',
    by: 11,
    votes: 5,
    locked: true,
    answers: [
      { text: 'We never ask for your password by email. Please forward it to our security team and delete it.', by: 'staff', votes: 8, accepted: true },
    ],
  },
  {
    category: 1,
    title: 'Verification stuck on "in review" for a week',
    text: 'I uploaded my ID last week and nothing happened since.',
    by: 1,
    votes: 2,
    answers: [],
  },
  {
    category: 1,
    title: 'Can I use the app on two phones?',
    text: 'I have a work phone and a private one.',
    by: 2,
    votes: 1,
    answers: [{ text: 'Only one device at a time; signing in on the second signs out the first.', by: 3, votes: 3 }],
  },
  {
    category: 1,
    title: 'How do I close my account?',
    text: 'I am moving abroad and want to close everything properly.',
    by: 4,
    votes: 0,
    answers: [{ text: 'Empty the balance first, then Settings › Account › Close account.', by: 5, votes: 2, accepted: true }],
  },
  {
    category: 2,
    title: 'Transfer to Germany shows "pending" since yesterday',
    text: 'I sent money to a German account yesterday and it is still pending.',
    by: 6,
    votes: 4,
    answers: [
      { text: 'SEPA transfers sent after 4 pm leave the next working day.', by: 'staff', votes: 6, accepted: true },
      { text: 'Same here, it arrived the next morning.', by: 7, votes: 1 },
    ],
  },
  {
    category: 2,
    title: 'Is there a limit on instant transfers?',
    text: 'I need to send a larger amount for a car.',
    by: 8,
    votes: 2,
    answers: [{ text: 'Instant transfers are capped; regular transfers allow more. Check Transfers › Limits.', by: 9, votes: 3 }],
  },
  {
    category: 2,
    title: 'Wrong IBAN entered: can I get the money back?',
    text: 'I mistyped one digit and the transfer went through.',
    by: 10,
    votes: 6,
    answers: [],
  },
  {
    category: 2,
    title: 'Receiving money from the UK',
    text: 'Which details do I give my UK employer?',
    by: 11,
    votes: 1,
    answers: [{ text: 'Your IBAN and our BIC are under Account › Details; UK banks send it as an international transfer.', by: 0, votes: 2, accepted: true }],
  },
  {
    category: 2,
    title: 'Scheduled transfers on weekends',
    text: 'What happens if a standing order falls on a Sunday?',
    by: 1,
    votes: 2,
    answers: [{ text: 'It runs on the next working day.', by: 2, votes: 1 }],
  },
  {
    category: 3,
    title: 'Please add Apple Watch payments',
    text: 'Would love to pay with my watch.',
    by: 3,
    votes: 12,
    answers: [
      { text: '+1, this is the one thing I miss.', by: 4, votes: 4 },
      { text: 'Thanks, we passed this to the product team and will post here when it ships.', by: 'staff', votes: 6 },
    ],
  },
  {
    category: 3,
    title: 'Dark mode for the web app',
    text: 'The mobile app has it, the web app does not.',
    by: 5,
    votes: 8,
    answers: [{ text: 'Yes please!', by: 6, votes: 2 }],
  },
  {
    category: 3,
    title: 'Export statements as CSV',
    text: 'PDF is hard to import into my budgeting tool.',
    by: 7,
    votes: 9,
    answers: [{ text: 'You can already export CSV under Statements › Export › CSV.', by: 8, votes: 5, accepted: true }],
  },
  { category: 3, title: 'Round-up savings into a separate pot', text: 'Round every card payment up and save the change.', by: 9, votes: 6, answers: [] },
  {
    category: 3,
    title: 'Shared accounts for couples',
    text: 'Any plans for joint accounts?',
    by: 10,
    votes: 7,
    answers: [{ text: 'It is on our roadmap; follow this topic to hear when it is available.', by: 'staff', votes: 4 }],
  },
]

/** Fills the community: four categories, twenty questions by demo customers, answers (some by staff, some accepted) and votes. */
export async function seedCommunityDemo(database: Database, world: World): Promise<void> {
  const db = database.db
  if (await db.selectFrom('communityCategories').select('id').limit(1).executeTakeFirst()) return
  const end = now()
  const start = end - 60 * DAY
  const staff = world.agents[0]
  const picks = world.contacts.slice(0, 12)
  const emails = picks.length
    ? await db
        .selectFrom('contactIdentities')
        .select(['contactId', 'value'])
        .where('kind', '=', 'email')
        .where(
          'contactId',
          'in',
          picks.map((c) => c.id),
        )
        .execute()
    : []
  const memberIds: number[] = []
  for (const [i, c] of picks.entries()) {
    const email = emails.find((e) => e.contactId === c.id)?.value ?? `member${i + 1}@community.example`
    const row = await db
      .insertInto('communityMembers')
      .values({
        email,
        displayName: c.name,
        contactId: c.id,
        approvedCount: 1,
        bannedAt: null,
        banReason: null,
        lastLoginAt: end - i * DAY,
        createdAt: start - (i + 1) * DAY,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    memberIds.push(row.id)
  }
  if (!memberIds.length) return
  const categoryIds: number[] = []
  for (const [i, c] of CATEGORIES.entries())
    categoryIds.push(
      (
        await db
          .insertInto('communityCategories')
          .values({ ...c, position: i, createdAt: start, updatedAt: start })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    )
  const member = (i: number) => memberIds[i % memberIds.length]!
  const reputation = new Map<number, number>()
  const posts = new Map<number, number>()
  const earn = (id: number, points: number) => reputation.set(id, (reputation.get(id) ?? 0) + points)
  for (const [i, t] of TOPICS.entries()) {
    const at = start + Math.round(((i + 1) * (end - start)) / (TOPICS.length + 2))
    const asker = member(t.by)
    const topic = await db
      .insertInto('communityTopics')
      .values({
        categoryId: categoryIds[t.category]!,
        title: t.title,
        slug: slugify(t.title),
        authorMemberId: asker,
        authorUserId: null,
        status: 'visible',
        isLocked: t.locked ? 1 : 0,
        isPinned: t.pinned ? 1 : 0,
        acceptedPostId: null,
        mergedIntoId: null,
        ticketId: null,
        kbArticleId: null,
        vocItemId: null,
        lastActivityAt: at,
        createdAt: at,
        updatedAt: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const question = normalizeBody(t.text, 'text')
    await db
      .insertInto('communityPosts')
      .values({
        topicId: topic.id,
        kind: 'question',
        authorMemberId: asker,
        authorUserId: null,
        bodyHtml: question.html,
        bodyText: question.text,
        status: 'visible',
        heldReason: null,
        score: t.votes,
        createdAt: at,
        updatedAt: at,
      })
      .execute()
    earn(asker, t.votes * REPUTATION.upvote)
    posts.set(asker, (posts.get(asker) ?? 0) + 1)
    await db
      .insertInto('communityFollows')
      .values({ topicId: topic.id, memberId: asker, userId: null, followerKey: `m:${asker}`, createdAt: at })
      .execute()
    for (const [j, a] of t.answers.entries()) {
      const answeredAt = at + (j + 1) * 3 * 3_600_000
      const byStaff = a.by === 'staff' && staff
      const author = a.by === 'staff' ? null : member(a.by)
      const body = normalizeBody(a.text, 'text')
      const post = await db
        .insertInto('communityPosts')
        .values({
          topicId: topic.id,
          kind: 'answer',
          authorMemberId: author,
          authorUserId: byStaff ? staff.id : null,
          bodyHtml: body.html,
          bodyText: body.text,
          status: 'visible',
          heldReason: null,
          score: a.votes,
          createdAt: answeredAt,
          updatedAt: answeredAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (author !== null) {
        earn(author, a.votes * REPUTATION.upvote + (a.accepted ? REPUTATION.accepted : 0))
        posts.set(author, (posts.get(author) ?? 0) + 1)
      }
      if (a.accepted) await db.updateTable('communityTopics').set({ acceptedPostId: post.id }).where('id', '=', topic.id).execute()
    }
    await refreshTopicStats(db, topic.id, at)
    await reindexTopic(db, database.dialect, topic.id)
  }
  await recountCategoryTopics(db)
  for (const id of memberIds)
    await db
      .updateTable('communityMembers')
      .set({ reputation: reputation.get(id) ?? 0, postCount: posts.get(id) ?? 0 })
      .where('id', '=', id)
      .execute()
}
