import type { DecisionTreeDefinition } from '@allhands/contract'
import type { Database } from '../../db/database.ts'
import { writeJson } from '../../platform/json.ts'
import type { World } from './generate.ts'

/** Customer self-service: a declined or lost card, ending in the limits article, a fix, or a ticket with the answers. */
const CARD_HELP: DecisionTreeDefinition = {
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'What happened to your card?',
      text: '<p>Tell us what is going on with your Lumen card.</p>',
      variable: 'problem',
      choices: [
        { label: 'It was declined', next: 'declined' },
        { label: 'It is lost or stolen', next: 'freeze' },
      ],
    },
    {
      id: 'declined',
      type: 'question',
      title: 'Where was it declined?',
      text: '<p>Was it declined in a shop, online, or at a cash machine?</p>',
      variable: 'where',
      choices: [
        { label: 'In a shop or at a cash machine', next: 'limits' },
        { label: 'Online', next: 'online' },
      ],
    },
    {
      id: 'limits',
      type: 'action',
      title: 'Daily limits',
      text: '<p>Most declines happen when the daily spending or cash limit is reached. You can raise it in the app under <strong>Card › Limits</strong>.</p>',
      action: { kind: 'link_article', articleUrl: '/help/en', articleTitle: 'Card limits in the help center' },
    },
    {
      id: 'online',
      type: 'info',
      title: 'Online payments',
      text: '<p>Online payments need the confirmation in the app (3-D Secure). Open the app, approve the payment and try again.</p>',
      next: 'online_done',
    },
    { id: 'online_done', type: 'end', title: 'Did approving help?', text: '<p>Did the payment go through after approving it?</p>' },
    {
      id: 'freeze',
      type: 'info',
      title: 'Freeze the card',
      text: '<p>Freeze the card in the app right away (<strong>Card › Freeze</strong>): nobody can use it while frozen.</p>',
      next: 'email',
    },
    {
      id: 'email',
      type: 'input',
      title: 'Your email',
      text: '<p>Which email address do you use with Lumen?</p>',
      inputKind: 'email',
      variable: 'email',
      next: 'replace',
    },
    {
      id: 'replace',
      type: 'action',
      title: 'Order a replacement',
      text: '<p>We will check the recent payments and send you a new card. We will write to {{email}}.</p>',
      action: { kind: 'open_ticket', subject: 'Lost or stolen card', priority: 'high', tags: ['lost-card'] },
    },
  ],
}

/** Agent script: verify a caller's identity before any account change (required for rotation contributors on Security). */
const VERIFY_IDENTITY: DecisionTreeDefinition = {
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'Sender matches the account?',
      text: '<p>Does the email come from the address on the account?</p>',
      variable: 'sender_matches',
      choices: [
        { label: 'Yes', next: 'dob' },
        { label: 'No', next: 'stop' },
      ],
    },
    {
      id: 'dob',
      type: 'question',
      title: 'Date of birth confirmed?',
      text: '<p>Ask for the date of birth and the last four digits of the card. Do both match?</p>',
      variable: 'details_match',
      choices: [
        { label: 'Both match', next: 'ok' },
        { label: 'Something does not match', next: 'stop' },
      ],
    },
    { id: 'ok', type: 'action', title: 'Identity verified', text: '<p>Identity verified: go ahead with the change.</p>', action: { kind: 'resolved' } },
    {
      id: 'stop',
      type: 'end',
      title: 'Not verified',
      text: '<p>Do not change anything. Ask the customer to confirm from the app, and hand the ticket to the Security team.</p>',
    },
  ],
}

/** Two published demo trees: customer guided help for cards and an agent script required on Security tickets. */
export async function seedDecisionTreesDemo(database: Database, world: World): Promise<void> {
  const db = database.db
  if (await db.selectFrom('decisionTrees').select('id').limit(1).executeTakeFirst()) return
  const authorId = world.agents[0]?.id ?? null
  const t = Date.now()
  const trees = [
    {
      slug: 'card-problems',
      name: 'Card declined, lost or stolen',
      description: 'Fix a declined card or block a lost one.',
      audience: 'public',
      def: CARD_HELP,
    },
    { slug: 'verify-identity', name: 'Verify identity', description: 'Before changing anything on an account.', audience: 'agents', def: VERIFY_IDENTITY },
  ]
  const ids: Record<string, number> = {}
  for (const tree of trees) {
    const row = await db
      .insertInto('decisionTrees')
      .values({
        slug: tree.slug,
        name: tree.name,
        description: tree.description,
        audience: tree.audience,
        draft: writeJson(tree.def),
        publishedVersionId: null,
        createdById: authorId,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const version = await db
      .insertInto('decisionTreeVersions')
      .values({ treeId: row.id, version: 1, definition: writeJson(tree.def), createdById: authorId, createdAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.updateTable('decisionTrees').set({ publishedVersionId: version.id }).where('id', '=', row.id).execute()
    ids[tree.slug] = row.id
  }
  const security = await db.selectFrom('categories').select('id').where('name', '=', 'Security').executeTakeFirst()
  if (security) await db.insertInto('decisionTreeRequirements').values({ categoryId: security.id, treeId: ids['verify-identity']!, createdAt: t }).execute()
}
