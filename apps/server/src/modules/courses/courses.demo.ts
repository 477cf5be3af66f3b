import type { QuizInput } from '@allhands/contract'
import type { Database } from '../../db/database.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { writeJson } from '../../platform/json.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'
import { snapshotPracticeTicket } from './courses.authoring.ts'
import { certifyCompletion } from './courses.certify.ts'

const TITLE = 'Cards basics'
const HOUR = 3600_000
const DAY = 24 * HOUR

const LESSONS: { title: string; body: string }[] = [
  {
    title: 'Why card payments fail',
    body: `# Why card payments fail

Most declined payments have one of four causes:

1. **The card is blocked** — by the customer in the app, or by us after a fraud alert.
2. **A limit was reached** — daily ATM or online limits, changeable under *Cards → Limits*.
3. **The merchant is refused** — gambling, some foreign merchants, or 3-D Secure failed.
4. **The card expired or was replaced** — the old number stops working when the new card is activated.

Ask *where* and *when* the payment failed before anything else: the card's activity log tells you which of the four it was.`,
  },
  {
    title: 'Keeping card data safe',
    body: `# Keeping card data safe

- Never ask for a full card number, the PIN or the CVC — not even "to check".
- The last four digits and the expiry month are enough to tell cards apart.
- If a customer sends a full number, thank them, tell them we removed it, and suggest blocking the card if it was sent by email.

> A customer who trusts us with their card expects us to be stricter than they are.`,
  },
]

const QUIZ: QuizInput = {
  passMark: 75,
  questions: [
    {
      id: 'q1',
      prompt: 'A customer says their card was declined at a shop. What do you ask first?',
      kind: 'single',
      options: [
        { id: 'a', text: 'Where and when the payment failed' },
        { id: 'b', text: 'Their full card number' },
        { id: 'c', text: 'Whether they have tried another shop' },
      ],
      correctOptionIds: ['a'],
    },
    {
      id: 'q2',
      prompt: 'Which details must never be asked for?',
      kind: 'multiple',
      options: [
        { id: 'a', text: 'The PIN' },
        { id: 'b', text: 'The CVC' },
        { id: 'c', text: 'The last four digits' },
        { id: 'd', text: 'The full card number' },
      ],
      correctOptionIds: ['a', 'b', 'd'],
    },
    {
      id: 'q3',
      prompt: 'Where does the customer change their online limit?',
      kind: 'single',
      options: [
        { id: 'a', text: 'Cards → Limits in the app' },
        { id: 'b', text: 'Only by calling us' },
      ],
      correctOptionIds: ['a'],
    },
    {
      id: 'q4',
      prompt: 'The old card stops working when…',
      kind: 'single',
      options: [
        { id: 'a', text: 'the new card is ordered' },
        { id: 'b', text: 'the new card is activated' },
      ],
      correctOptionIds: ['b'],
    },
  ],
}

/** A solved card ticket with a customer message and a reply, to practise on (any solved ticket with a reply as fallback). */
async function findPracticeTicket(db: Executor): Promise<number | undefined> {
  const candidates = await db
    .selectFrom('tickets')
    .select('id')
    .where('status', 'in', ['solved', 'closed'])
    .where('mergedIntoId', 'is', null)
    .where('messageCount', '>=', 2)
    .orderBy('id')
    .limit(400)
    .execute()
  const ids = candidates.map((c) => c.id)
  if (!ids.length) return undefined
  const withReply = await db.selectFrom('messages').select('ticketId').where('ticketId', 'in', ids).where('kind', '=', 'reply').groupBy('ticketId').execute()
  const replied = new Set(withReply.map((r) => r.ticketId))
  const subjects = await db.selectFrom('tickets').select(['id', 'subject']).where('id', 'in', ids).execute()
  const card = subjects.find((s) => replied.has(s.id) && /\bcard\b/i.test(s.subject))
  return card?.id ?? subjects.find((s) => replied.has(s.id))?.id
}

/**
 * The "Cards basics" course: two lessons, a quiz and a practice reply on a solved card ticket. One demo
 * contributor is halfway (lessons read, quiz not passed yet), another certified, a third waits for a practice grade.
 * Deterministic and added once.
 */
export async function seedCoursesDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  if (await db.selectFrom('courses').select('id').where('title', '=', TITLE).executeTakeFirst()) return
  const byName = (name: string, fallback: number) => world.contributors.find((c) => c.name === name) ?? world.contributors[fallback]
  const certified = byName('Hannah Schmidt', 0)
  const halfway = byName('Ines Duarte', 1)
  const waiting = byName('Ravi Patel', 2)
  const author = world.agents.find((a) => a.name === 'Alex Kim') ?? world.agents[0]
  const grader = world.agents.find((a) => a.name === 'Priya Nair' && a.id !== author?.id) ?? world.agents[1] ?? author
  const t = now()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('categories')
      .values({ name: 'Cards', keywords: writeJson(['card', 'declined', 'pin', 'blocked', 'limit']), createdAt: t })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const category = await trx.selectFrom('categories').select('id').where('name', '=', 'Cards').executeTakeFirstOrThrow()
    const course = await trx
      .insertInto('courses')
      .values({
        title: TITLE,
        description: 'Declined and blocked cards, limits, and keeping card data safe. Completing it certifies you for card tickets (medium risk).',
        categoryId: category.id,
        grantsClearance: 'medium',
        published: 1,
        createdById: author?.id ?? null,
        createdAt: t - 20 * DAY,
        updatedAt: t - 20 * DAY,
      })
      .returning(['id', 'title', 'categoryId', 'grantsClearance'])
      .executeTakeFirstOrThrow()
    const lessonIds: number[] = []
    const addLesson = async (values: {
      kind: string
      title: string
      body: string
      quiz?: string | null
      practiceTicketId?: number | null
      practice?: string | null
    }) => {
      const row = await trx
        .insertInto('courseLessons')
        .values({
          courseId: course.id,
          position: lessonIds.length,
          kind: values.kind,
          title: values.title,
          body: values.body,
          quiz: values.quiz ?? null,
          practiceTicketId: values.practiceTicketId ?? null,
          practice: values.practice ?? null,
          createdAt: t - 20 * DAY,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      lessonIds.push(row.id)
      return row.id
    }
    for (const l of LESSONS) await addLesson({ kind: 'lesson', ...l })
    const quizId = await addLesson({ kind: 'quiz', title: 'Check yourself', body: 'Four questions; 75% passes. You can try again.', quiz: writeJson(QUIZ) })
    const ticketId = await findPracticeTicket(trx)
    let practiceId: number | null = null
    if (ticketId !== undefined) {
      await trx.updateTable('tickets').set({ categoryId: category.id }).where('id', '=', ticketId).execute()
      const snapshot = await snapshotPracticeTicket(trx, ticketId, category.id)
      practiceId = await addLesson({
        kind: 'practice',
        title: 'Reply to a card customer',
        body: 'Write the reply you would send. Be kind, say what happens next, and never ask for card details.',
        practiceTicketId: ticketId,
        practice: writeJson(snapshot),
      })
    }

    const progress = async (userId: number, startedDaysAgo: number, opts: { quizPassed: boolean; practice: 'pending' | 'passed' | null }) => {
      const start = t - startedDaysAgo * DAY
      await trx.insertInto('courseEnrollments').values({ courseId: course.id, userId, enrolledById: userId, createdAt: start, completedAt: null }).execute()
      for (const [i, lessonId] of lessonIds.slice(0, LESSONS.length).entries())
        await trx
          .insertInto('lessonCompletions')
          .values({ lessonId, userId, courseId: course.id, completedAt: start + (i + 1) * HOUR })
          .execute()
      // A first try that misses the multiple-choice question, then a pass.
      const attempts = [
        { answers: { q1: ['a'], q2: ['a', 'd'], q3: ['a'], q4: ['a'] }, score: 50, passed: 0 },
        { answers: { q1: ['a'], q2: ['a', 'b', 'd'], q3: ['a'], q4: ['b'] }, score: 100, passed: 1 },
      ]
      for (const [i, a] of attempts.slice(0, opts.quizPassed ? 2 : 1).entries())
        await trx
          .insertInto('quizAttempts')
          .values({
            lessonId: quizId,
            userId,
            answers: writeJson(a.answers),
            score: a.score,
            passed: a.passed,
            createdAt: start + (3 + i) * HOUR + rng.int(0, 59) * 60_000,
          })
          .execute()
      if (!opts.quizPassed) return
      await trx
        .insertInto('lessonCompletions')
        .values({ lessonId: quizId, userId, courseId: course.id, completedAt: start + 4 * HOUR })
        .execute()
      if (practiceId === null || !opts.practice) return
      const reply = normalizeBody(
        'Hi, thank you for letting us know, and sorry for the trouble at the checkout. I have checked your card: it was blocked after a fraud alert. I have unblocked it, so you can pay again right away. Best regards',
        'text',
      )
      const gradedAt = opts.practice === 'passed' ? start + 26 * HOUR : null
      await trx
        .insertInto('practiceAttempts')
        .values({
          lessonId: practiceId,
          userId,
          html: reply.html,
          text: reply.text,
          status: opts.practice,
          graderId: gradedAt ? (grader?.id ?? null) : null,
          feedback: gradedAt ? 'Warm and clear, and you said what happens next. Next time, also mention how to avoid the block (confirm in the app).' : null,
          createdAt: start + 5 * HOUR,
          gradedAt,
        })
        .execute()
      if (gradedAt) await trx.insertInto('lessonCompletions').values({ lessonId: practiceId, userId, courseId: course.id, completedAt: gradedAt }).execute()
    }

    if (certified) {
      await progress(certified.id, 12, { quizPassed: true, practice: 'passed' })
      await trx
        .updateTable('courseEnrollments')
        .set({ completedAt: t - 11 * DAY })
        .where('courseId', '=', course.id)
        .where('userId', '=', certified.id)
        .execute()
      await certifyCompletion(trx, () => undefined, { userId: certified.id, course, actorId: grader?.id ?? null })
    }
    if (halfway && halfway.id !== certified?.id) await progress(halfway.id, 3, { quizPassed: false, practice: null })
    // A third learner's practice reply waits in the grading queue.
    if (waiting && waiting.id !== certified?.id && waiting.id !== halfway?.id) await progress(waiting.id, 2, { quizPassed: true, practice: 'pending' })
  })
}
