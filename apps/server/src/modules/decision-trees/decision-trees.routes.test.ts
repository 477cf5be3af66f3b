import type { DecisionTreeDefinition } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import type { Database } from '../../db/database.ts'
import { seedDecisionTreesDemo } from '../demo/decision-trees.demo.ts'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, queryPlan, unique } from '../../../test/helpers.ts'

type User = Awaited<ReturnType<typeof buildUser>>

/** A card-help tree touching every node type: question with a condition, info, email input, article link, ticket action. */
const cardHelp = (): DecisionTreeDefinition => ({
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'What is wrong?',
      text: '<p>What is wrong with your card?</p><script>alert(1)</script>',
      variable: 'issue',
      choices: [
        { label: 'Card declined', next: 'declined' },
        { label: 'Lost card', next: 'ask_email' },
      ],
    },
    { id: 'declined', type: 'info', title: 'Declines', text: '<p>Declines usually mean the daily limit is reached.</p>', next: 'tried' },
    {
      id: 'tried',
      type: 'question',
      title: 'Tried another shop?',
      text: '<p>You said: {{issue}}. Did another shop work?</p>',
      choices: [
        { label: 'Yes', next: 'done' },
        { label: 'No', next: 'article' },
        { label: 'Report fraud', next: 'ask_email', condition: { variable: 'issue', op: 'equals', value: 'card declined' } },
      ],
    },
    {
      id: 'article',
      type: 'action',
      title: 'Limits article',
      text: '<p>Read about limits.</p>',
      action: { kind: 'link_article', articleUrl: '/help/en/articles/1-limits' },
    },
    { id: 'done', type: 'action', title: 'Solved', text: '<p>Great!</p>', action: { kind: 'resolved' } },
    { id: 'ask_email', type: 'input', title: 'Your email', text: '<p>Where can we reach you?</p>', inputKind: 'email', variable: 'email', next: 'open' },
    {
      id: 'open',
      type: 'action',
      title: 'Open a ticket',
      text: '<p>We will contact you at {{email}}.</p>',
      action: { kind: 'open_ticket', subject: 'Card problem for {{email}}', tags: ['Cards'], priority: 'high' },
    },
  ],
})

describe('decision trees', async () => {
  const app = await buildTestApp()
  const support = await buildTeam(app, 'Support')
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent', teamIds: [support] })
  const contributor = await buildUser(app, { role: 'contributor', name: 'Pat Product', teamIds: [support] })
  let ipSeq = 1
  const nextIp = () => `10.9.0.${ipSeq++}`

  const call = (as: User | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, remoteAddress?: string) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: as?.headers ?? {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
      ...(remoteAddress ? { remoteAddress } : {}),
    })
  const ok = async (res: Awaited<ReturnType<typeof call>>, status = 200) => {
    expect(res.statusCode, res.body).toBe(status)
    return res.json()
  }
  const createTree = async (payload: Record<string, unknown>) => ok(await call(agent, 'POST', '/decision-trees', { name: unique('Tree '), ...payload }), 201)
  const publishedTree = async (payload: Record<string, unknown> = {}) => {
    const tree = await createTree({ draft: cardHelp(), ...payload })
    return ok(await call(agent, 'POST', `/decision-trees/${tree.id}/publish`))
  }
  const messagesOf = async (ticketId: number) => (await ok(await call(admin, 'GET', `/tickets/${ticketId}/messages`))).items as Record<string, any>[]

  it('lets support staff write trees, sanitizes node texts and keeps contributors to published scripts', async () => {
    const tree = await createTree({ name: 'Card help', draft: cardHelp(), audience: 'both' })
    expect(tree).toMatchObject({ slug: 'card-help', status: 'draft', publishedVersion: null, problems: [], canEdit: true })
    expect(tree.draft.nodes[0].text).toBe('<p>What is wrong with your card?</p>')
    expect((await call(contributor, 'POST', '/decision-trees', { name: 'Mine' })).statusCode).toBe(403)
    expect((await call(contributor, 'GET', `/decision-trees/${tree.id}`)).statusCode).toBe(404)
    expect((await call(null, 'GET', '/decision-trees')).statusCode).toBe(401)
    expect((await ok(await call(agent, 'POST', '/decision-trees', { name: 'Card help' }), 201)).slug).toBe('card-help-2')
    expect((await call(agent, 'POST', '/decision-trees', { name: 'Other', slug: 'card-help' })).statusCode).toBe(409)
    const renamed = await ok(await call(agent, 'PATCH', `/decision-trees/${tree.id}`, { description: 'Declines, lost cards' }))
    expect(renamed.description).toBe('Declines, lost cards')
    expect((await call(contributor, 'PATCH', `/decision-trees/${tree.id}`, { name: 'x' })).statusCode).toBe(404)
    await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/publish`))
    const seen = (await ok(await call(contributor, 'GET', '/decision-trees'))).items.map((t: { id: number }) => t.id)
    expect(seen).toContain(tree.id)
    expect((await call(contributor, 'PATCH', `/decision-trees/${tree.id}`, { name: 'x' })).statusCode).toBe(403)
    // A later draft stays with the editors: contributors see the published version only.
    const later = cardHelp()
    later.nodes[0]!.title = 'Unpublished wording'
    await ok(await call(agent, 'PATCH', `/decision-trees/${tree.id}`, { draft: later }))
    expect((await ok(await call(contributor, 'GET', `/decision-trees/${tree.id}`))).draft.nodes[0].title).toBe('What is wrong?')
    expect((await ok(await call(agent, 'GET', `/decision-trees/${tree.id}`))).draft.nodes[0].title).toBe('Unpublished wording')
    expect((await call(contributor, 'DELETE', `/decision-trees/${tree.id}`)).statusCode).toBe(403)
    expect((await call(contributor, 'GET', `/decision-trees/${tree.id}/analytics`)).statusCode).toBe(403)
    expect((await call(contributor, 'GET', `/decision-trees/${tree.id}/versions`)).statusCode).toBe(403)
    const publicOnly = await publishedTree({ audience: 'public' })
    expect((await ok(await call(contributor, 'GET', '/decision-trees'))).items.map((t: { id: number }) => t.id)).not.toContain(publicOnly.id)
  })

  it('refuses to publish cycles, missing targets, unpublished jumps and variables used before they are set, naming the node', async () => {
    const problemsOf = async (def: DecisionTreeDefinition) => {
      const tree = await createTree({ draft: def })
      const res = await call(agent, 'POST', `/decision-trees/${tree.id}/publish`)
      expect(res.statusCode, res.body).toBe(422)
      expect(tree.problems.length).toBeGreaterThan(0)
      return res.json().error.details.problems as { nodeId: string; message: string }[]
    }
    const cycle = cardHelp()
    cycle.nodes.find((n) => n.id === 'declined')!.next = 'start'
    expect((await problemsOf(cycle))[0]).toMatchObject({ nodeId: 'start', message: expect.stringMatching(/start → declined → start/) })
    const missing = cardHelp()
    missing.nodes[0]!.choices![1]!.next = 'nowhere'
    expect(await problemsOf(missing)).toEqual([{ nodeId: 'start', message: expect.stringMatching(/“nowhere”, which does not exist/) }])
    const draftTarget = await createTree({ draft: cardHelp() })
    const jump = cardHelp()
    jump.nodes.push({ id: 'more', type: 'jump', text: '', treeId: draftTarget.id })
    jump.nodes[0]!.choices!.push({ label: 'Other', next: 'more' })
    expect(await problemsOf(jump)).toEqual([{ nodeId: 'more', message: expect.stringMatching(/not published/) }])
    const early = cardHelp()
    early.nodes[0]!.text = '<p>Hello {{email}}</p>'
    expect(await problemsOf(early)).toEqual([{ nodeId: 'start', message: expect.stringMatching(/uses \{\{email\}\} before every path has set it/) }])
    // Set on one path only: "open" is reached from "tried" (issue set) and from "start" (issue set) — fine; email is
    // set only through ask_email, which every path to "open" passes.
    const noInbox = cardHelp()
    noInbox.nodes.find((n) => n.id === 'open')!.action!.inboxId = 999_999
    expect(await problemsOf(noInbox)).toEqual([{ nodeId: 'open', message: expect.stringMatching(/inbox 999999, which does not exist/) }])
    const onePath = cardHelp()
    onePath.nodes.find((n) => n.id === 'article')!.text = '<p>{{email}}</p>'
    expect((await problemsOf(onePath))[0]!.nodeId).toBe('article')
  })

  it('freezes a version on publish and rolls back to an older one', async () => {
    const tree = await publishedTree()
    expect(tree).toMatchObject({ status: 'published', publishedVersion: 1 })
    const v2draft = cardHelp()
    v2draft.nodes[0]!.title = 'What went wrong?'
    await ok(await call(agent, 'PATCH', `/decision-trees/${tree.id}`, { draft: v2draft }))
    const v2 = await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/publish`))
    expect(v2.publishedVersion).toBe(2)
    const versions = (await ok(await call(agent, 'GET', `/decision-trees/${tree.id}/versions`))).items
    expect(versions.map((v: { version: number; isPublished: boolean }) => [v.version, v.isPublished])).toEqual([
      [2, true],
      [1, false],
    ])
    expect(versions[0].createdBy).toMatchObject({ name: 'Alex Agent' })
    const back = await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/versions/${versions[1].id}/publish`))
    expect(back.publishedVersion).toBe(1)
    const run = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, nextIp()), 201)
    expect(run.step.title).toBe('What is wrong?')
    expect((await call(contributor, 'POST', `/decision-trees/${tree.id}/versions/${versions[1].id}/publish`)).statusCode).toBe(403)
  })

  it('runs a customer to a resolved ending and, unresolved, opens a ticket with the path and the answers', async () => {
    const tree = await publishedTree({ audience: 'public' })
    const ip = nextIp()
    const start = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
    expect(start.step).toMatchObject({
      type: 'question',
      choices: [
        { index: 0, label: 'Card declined' },
        { index: 1, label: 'Lost card' },
      ],
    })
    const answer = (payload: unknown) => call(null, 'POST', `/public/decision-tree-runs/${start.token}/answers`, payload, ip)
    expect((await answer({ choice: 5 })).statusCode).toBe(400)
    await ok(await answer({ choice: 0 }))
    const tried = await ok(await answer({}))
    // The condition on "Report fraud" holds (issue = Card declined, compared without case), the variable is filled in.
    expect(tried.step.choices.map((c: { label: string }) => c.label)).toEqual(['Yes', 'No', 'Report fraud'])
    expect(tried.step.html).toContain('You said: Card declined.')
    const article = await ok(await answer({ choice: 1 }))
    expect(article.step).toMatchObject({ type: 'action', terminal: true, needsEmail: true, action: { kind: 'link_article' } })
    expect((await answer({ resolved: false })).statusCode).toBe(400)
    const ended = await ok(await answer({ resolved: false, email: 'sam@customer.test', name: 'Sam <b>Smith</b>', value: 'Still <declined>' }))
    expect(ended).toMatchObject({ status: 'ended', outcome: 'ticket', step: null })
    const ticket = await ok(await call(admin, 'GET', `/tickets/${ended.ticketId}`))
    expect(ticket.tags).toContain('decision-tree')
    expect(ticket.requester).toMatchObject({ email: 'sam@customer.test' })
    const [first] = await messagesOf(ended.ticketId)
    expect(first!.fullText).toContain('1. What is wrong? — Card declined')
    expect(first!.fullText).toContain('3. Tried another shop? — No')
    expect(first!.fullText).toContain('issue: Card declined')
    expect(first!.html).toContain('Still &lt;declined&gt;')
    expect((await answer({ resolved: true })).statusCode).toBe(409)

    const resolvedRun = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
    const again = (payload: unknown) => call(null, 'POST', `/public/decision-tree-runs/${resolvedRun.token}/answers`, payload, ip)
    await ok(await again({ choice: 0 }))
    await ok(await again({}))
    expect((await ok(await again({ choice: 0 }))).step.action.kind).toBe('resolved')
    expect(await ok(await again({}))).toMatchObject({ outcome: 'resolved', ticketId: null })

    // Lost card: the email comes from the tree's own field; the ticket takes the action's subject, tags and priority.
    const lost = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
    const l = (payload: unknown) => call(null, 'POST', `/public/decision-tree-runs/${lost.token}/answers`, payload, ip)
    await ok(await l({ choice: 1 }))
    expect((await l({ value: 'not-an-email' })).statusCode).toBe(400)
    const last = await ok(await l({ value: 'lee@customer.test' }))
    expect(last.step).toMatchObject({ needsEmail: false, html: '<p>We will contact you at lee@customer.test.</p>' })
    const done = await ok(await l({}))
    const opened = await ok(await call(admin, 'GET', `/tickets/${done.ticketId}`))
    expect(opened).toMatchObject({ subject: 'Card problem for lee@customer.test', priority: 'high', requester: { email: 'lee@customer.test' } })
    expect(opened.tags.sort()).toEqual(['cards', 'decision-tree'])

    // Agent-only trees and drafts are not offered to customers.
    const agentsOnly = await publishedTree({ audience: 'agents' })
    expect((await call(null, 'POST', `/public/decision-trees/${agentsOnly.slug}/runs`, {}, ip)).statusCode).toBe(404)
    const slugs = (await ok(await call(null, 'GET', '/public/decision-trees'))).items.map((t: { slug: string }) => t.slug)
    expect(slugs).toContain(tree.slug)
    expect(slugs).not.toContain(agentsOnly.slug)
  })

  it('records an agent script on a ticket as an internal note, and test runs of the draft leave no trace', async () => {
    const tree = await publishedTree({ audience: 'agents' })
    const ticket = await buildTicket(app, agent, { teamId: support })
    expect((await call(agent, 'POST', `/decision-trees/${tree.id}/runs`, {})).statusCode).toBe(400)
    const run = await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/runs`, { ticketId: ticket.id }), 201)
    expect((await call(admin, 'POST', `/decision-tree-runs/${run.id}/answers`, { choice: 0 })).statusCode).toBe(404)
    const answer = (payload: unknown) => call(agent, 'POST', `/decision-tree-runs/${run.id}/answers`, payload)
    await ok(await answer({ choice: 0 }))
    await ok(await answer({}))
    await ok(await answer({ choice: 1 }))
    const ended = await ok(await answer({ resolved: true }))
    expect(ended).toMatchObject({ status: 'ended', outcome: 'resolved', ticketId: ticket.id })
    const note = (await messagesOf(ticket.id)).find((m) => m.id === ended.noteMessageId)!
    expect(note.kind).toBe('note')
    expect(note.html).toContain(`Script “${tree.name}”`)
    expect(note.fullText).toMatch(/What is wrong\?\s+— Card declined/)
    expect(note.fullText).toContain('Solved')
    expect((await ok(await call(agent, 'GET', `/tickets/${ticket.id}/decision-tree-runs`))).items[0].id).toBe(run.id)

    const customersOnly = await publishedTree({ audience: 'public' })
    expect((await call(agent, 'POST', `/decision-trees/${customersOnly.id}/runs`, { ticketId: ticket.id })).statusCode).toBe(422)
    const test = await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/runs`, { test: true }), 201)
    expect(test).toMatchObject({ isTest: true, ticketId: null })
    expect((await call(contributor, 'POST', `/decision-trees/${tree.id}/runs`, { test: true })).statusCode).toBe(403)
    const foreign = await buildTicket(app, agent)
    expect((await call(contributor, 'POST', `/decision-trees/${tree.id}/runs`, { ticketId: foreign.id })).statusCode).toBe(403)
  })

  it('requires rotation contributors to run a category script before replying', async () => {
    const category = await ok(await call(admin, 'POST', '/categories', { name: unique('Cards '), keywords: [] }), 201)
    const tree = await publishedTree({ audience: 'agents' })
    const draft = await createTree({ audience: 'agents' })
    expect((await call(agent, 'PUT', `/categories/${category.id}/required-script`, { treeId: tree.id })).statusCode).toBe(403)
    expect((await call(admin, 'PUT', `/categories/${category.id}/required-script`, { treeId: draft.id })).statusCode).toBe(422)
    const set = await ok(await call(admin, 'PUT', `/categories/${category.id}/required-script`, { treeId: tree.id }))
    expect(set.items).toContainEqual({ categoryId: category.id, categoryName: category.name, treeId: tree.id, treeName: tree.name })
    const ticket = await buildTicket(app, agent, { teamId: support })
    await ok(await call(agent, 'PATCH', `/tickets/${ticket.id}`, { categoryId: category.id }))
    expect(await ok(await call(agent, 'GET', `/tickets/${ticket.id}/script-requirement`))).toMatchObject({ required: false })
    expect(await ok(await call(contributor, 'GET', `/tickets/${ticket.id}/script-requirement`))).toEqual({
      required: true,
      treeId: tree.id,
      treeName: tree.name,
      satisfied: false,
    })
    // On shift and certified for the category, the contributor may reply, but not before running the script.
    await putOnShift(app, contributor.id)
    await app.ctx.db
      .insertInto('certifications')
      .values({ userId: contributor.id, categoryId: category.id, source: 'manual', grantedById: null, createdAt: Date.now() })
      .execute()
    const early = await call(contributor, 'POST', `/tickets/${ticket.id}/replies`, { body: 'Hello, we are on it' })
    expect(early.statusCode, early.body).toBe(422)
    expect(early.json().error.message).toBe(`Run the script “${tree.name}” on this ticket before replying`)
    const run = await ok(await call(contributor, 'POST', `/decision-trees/${tree.id}/runs`, { ticketId: ticket.id }), 201)
    for (const payload of [{ choice: 1 }, { value: 'x@customer.test' }, {}])
      await ok(await call(contributor, 'POST', `/decision-tree-runs/${run.id}/answers`, payload))
    expect(await ok(await call(contributor, 'GET', `/tickets/${ticket.id}/script-requirement`))).toMatchObject({ required: true, satisfied: true })
    const reply = await call(contributor, 'POST', `/tickets/${ticket.id}/replies`, { body: 'Hello, we are on it' })
    expect([201, 202], reply.body).toContain(reply.statusCode)
    // Support staff are not held to it.
    const other = await buildTicket(app, agent, { teamId: support })
    await ok(await call(agent, 'PATCH', `/tickets/${other.id}`, { categoryId: category.id }))
    expect((await call(agent, 'POST', `/tickets/${other.id}/replies`, { body: 'Hi' })).statusCode).toBe(201)
    await ok(await call(admin, 'PUT', `/categories/${category.id}/required-script`, { treeId: null }))
    expect((await ok(await call(admin, 'GET', '/decision-tree-requirements'))).items.map((r: { categoryId: number }) => r.categoryId)).not.toContain(
      category.id,
    )
  })

  it('reports runs, completion, drop-off and the endings that lead to tickets', async () => {
    const tree = await publishedTree({ audience: 'public' })
    const ip = nextIp()
    const run = async (answers: unknown[]) => {
      const r = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
      for (const a of answers) await ok(await call(null, 'POST', `/public/decision-tree-runs/${r.token}/answers`, a, ip))
    }
    for (let i = 0; i < 5; i++) await run([{ choice: 0 }, {}, { choice: 1 }, { resolved: false, email: `c${i}@customer.test` }])
    await run([{ choice: 0 }, {}, { choice: 0 }, {}])
    await run([{ choice: 0 }])
    await ok(await call(agent, 'POST', `/decision-trees/${tree.id}/runs`, { test: true }), 201)
    const a = await ok(await call(agent, 'GET', `/decision-trees/${tree.id}/analytics?days=7`))
    expect(a).toMatchObject({ runs: 7, completed: 6, outcomes: { resolved: 1, ticket: 5, abandoned: 1 } })
    expect(a.completionRate).toBeCloseTo(6 / 7)
    const node = (id: string) => a.nodes.find((n: { nodeId: string }) => n.nodeId === id)
    expect(node('start')).toMatchObject({ reached: 7, droppedOff: 0 })
    expect(node('declined')).toMatchObject({ reached: 7, droppedOff: 1 })
    expect(node('article')).toMatchObject({ reached: 5, endedHere: 5, ledToTicket: 5, isDeadEnd: true })
    expect(node('done')).toMatchObject({ endedHere: 1, ledToTicket: 0, isDeadEnd: false })
  })

  it('rate-limits new public runs per visitor', async () => {
    const tree = await publishedTree({ audience: 'public' })
    const ip = nextIp()
    const codes: number[] = []
    for (let i = 0; i < 11; i++) codes.push((await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip)).statusCode)
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true)
    expect(codes[10]).toBe(429)
    expect((await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, nextIp())).statusCode).toBe(201)
  })

  it('ends a run gracefully when the tree it jumps to was deleted', async () => {
    const target = await publishedTree({ audience: 'public' })
    const def = cardHelp()
    def.nodes.push({ id: 'more', type: 'jump', text: '', treeId: target.id })
    def.nodes[0]!.choices!.push({ label: 'Something else', next: 'more' })
    const tree = await publishedTree({ audience: 'public', draft: def })
    const ip = nextIp()
    const r = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
    const jumped = await ok(await call(null, 'POST', `/public/decision-tree-runs/${r.token}/answers`, { choice: 2 }, ip))
    expect(jumped.step).toMatchObject({ nodeId: 'start', title: 'What is wrong?' })
    await ok(await call(agent, 'DELETE', `/decision-trees/${target.id}`))
    const r2 = await ok(await call(null, 'POST', `/public/decision-trees/${tree.slug}/runs`, {}, ip), 201)
    const ended = await ok(await call(null, 'POST', `/public/decision-tree-runs/${r2.token}/answers`, { choice: 2 }, ip))
    expect(ended).toMatchObject({ status: 'ended', outcome: 'ticket', step: null, ticketId: null })
    const again = await call(agent, 'POST', `/decision-trees/${tree.id}/publish`)
    expect(again.statusCode).toBe(422)
    expect(again.json().error.details.problems[0].nodeId).toBe('more')
  })

  it('serves the guided help pages without script and runs a customer through plain HTML forms', async () => {
    const tree = await publishedTree({ audience: 'public', name: 'Card <troubles>' })
    const list = await app.inject({ method: 'GET', url: '/help/trees' })
    expect(list.statusCode).toBe(200)
    expect(list.headers['content-security-policy']).toContain("script-src 'self'")
    expect(list.body).toContain('Card &lt;troubles&gt;')
    expect(list.body).not.toContain('<troubles>')
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const ip = nextIp()
    const started = await app.inject({ method: 'POST', url: `/help/trees/${tree.slug}/start`, headers: form, payload: '', remoteAddress: ip })
    expect(started.statusCode).toBe(303)
    const runUrl = started.headers.location as string
    const step = await app.inject({ method: 'GET', url: runUrl })
    expect(step.body).toContain('<button type="submit" name="choice" value="1">Lost card</button>')
    expect(step.body).not.toMatch(/<script>(?!<\/script>)/)
    expect((await app.inject({ method: 'POST', url: runUrl, headers: form, payload: 'choice=1', remoteAddress: ip })).statusCode).toBe(303)
    const bad = await app.inject({ method: 'POST', url: runUrl, headers: form, payload: 'value=nope', remoteAddress: ip })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter a valid email address')
    await app.inject({ method: 'POST', url: runUrl, headers: form, payload: 'value=kim%40customer.test', remoteAddress: ip })
    await app.inject({ method: 'POST', url: runUrl, headers: form, payload: 'resolved=no', remoteAddress: ip })
    const end = await app.inject({ method: 'GET', url: runUrl })
    expect(end.body).toMatch(/We opened request <strong>#\d+<\/strong>/)
    expect((await app.inject({ method: 'GET', url: '/help/trees/runner.js' })).headers['content-type']).toContain('javascript')
    expect((await app.inject({ method: 'GET', url: '/help/trees/nope' })).statusCode).toBe(404)
  })

  it('seeds two demo trees that pass the publish checks', async () => {
    const category = await ok(await call(admin, 'POST', '/categories', { name: 'Security', keywords: [] }), 201)
    await app.ctx.db.deleteFrom('decisionTreeRequirements').execute()
    await app.ctx.db.deleteFrom('decisionTreeRuns').execute()
    await app.ctx.db.deleteFrom('decisionTreeVersions').execute()
    await app.ctx.db.deleteFrom('decisionTrees').execute()
    await seedDecisionTreesDemo({ db: app.ctx.db } as Database, {
      agents: [{ id: agent.id, name: 'Alex', teamIds: [] }],
      contributors: [],
      teams: {} as never,
      inboxes: [],
      contacts: [],
    })
    const trees = (await ok(await call(agent, 'GET', '/decision-trees'))).items
    expect(trees.map((t: { slug: string }) => t.slug).sort()).toEqual(['card-problems', 'verify-identity'])
    for (const t of trees) {
      expect(t.problems).toEqual([])
      expect((await ok(await call(agent, 'POST', `/decision-trees/${t.id}/publish`))).publishedVersion).toBe(2)
    }
    expect((await ok(await call(admin, 'GET', '/decision-tree-requirements'))).items).toMatchObject([{ categoryId: category.id, treeName: 'Verify identity' }])
  })

  it('answers the reply check and analytics from indexes', async () => {
    const byTicket = app.ctx.db
      .selectFrom('decisionTreeRuns')
      .select('id')
      .where('ticketId', '=', 1)
      .where('treeId', '=', 1)
      .where('userId', '=', 1)
      .where('endedAt', 'is not', null)
      .limit(1)
      .compile()
    const byTree = app.ctx.db
      .selectFrom('decisionTreeRuns')
      .select(['path', 'outcome'])
      .where('treeId', '=', 1)
      .where('createdAt', '>=', 0)
      .where('isTest', '=', 0)
      .compile()
    expect(await queryPlan(app, byTicket)).toMatch(/decision_tree_runs_by_ticket/)
    expect(await queryPlan(app, byTree)).toMatch(/decision_tree_runs_by_tree/)
  })
})
