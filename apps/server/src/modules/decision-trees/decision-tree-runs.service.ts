import { randomBytes } from 'node:crypto'
import type {
  DecisionTreeAnswerInput,
  DecisionTreeDefinition,
  DecisionTreeOutcome,
  DecisionTreePathEntry,
  DecisionTreeRunDto,
  DecisionTreeStepDto,
  PublicDecisionTreeRunDto,
  StartDecisionTreeRunInput,
  TicketScriptRequirementDto,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAddNote } from '../../platform/policy.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { composeMessage } from '../tickets/messages.service.ts'
import { createTicket, getVisibleTicket } from '../tickets/tickets.service.ts'
import { fillText, findNode, isOffered, stepAt } from './decision-trees.engine.ts'
import { canAnswerRun, canEditDecisionTrees, isHeldToScripts, isPublicAudience, isScriptAudience } from './decision-trees.policy.ts'
import { findTreeRow, getVisibleTree, problemsOf } from './decision-trees.service.ts'

type RunRow = NonNullable<Awaited<ReturnType<typeof findRunRow>>>
type Vars = Record<string, string>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MAX_PATH = 500
const MAX_JUMPS = 10

async function findRunRow(db: Executor, where: { id: number } | { token: string }) {
  const q = db.selectFrom('decisionTreeRuns').selectAll()
  return ('id' in where ? q.where('id', '=', where.id) : q.where('token', '=', where.token)).executeTakeFirst()
}

async function publishedDefinition(db: Executor, versionId: number | null): Promise<DecisionTreeDefinition | null> {
  if (versionId === null) return null
  const v = await db.selectFrom('decisionTreeVersions').select('definition').where('id', '=', versionId).executeTakeFirst()
  return v ? readJson<DecisionTreeDefinition | null>(v.definition, null) : null
}

/** The email a run knows for its customer: the last email-field answer. */
const knownEmail = (def: DecisionTreeDefinition, vars: Vars) => {
  for (const n of def.nodes) if (n.type === 'input' && n.inputKind === 'email' && n.variable && EMAIL.test(vars[n.variable] ?? '')) return vars[n.variable]!
  return vars.email && EMAIL.test(vars.email) ? vars.email : null
}

type State = { treeId: number; def: DecisionTreeDefinition; nodeId: string; path: DecisionTreePathEntry[]; vars: Vars }

/**
 * Moves onto a node, following jumps into other trees' published versions. A jump whose target is gone or no
 * longer published ends the run as unresolved rather than failing: the customer can still reach support.
 */
async function arrive(db: Executor, s: State, nodeId: string): Promise<State & { brokenJump?: true }> {
  let state = { ...s, nodeId }
  for (let i = 0; i < MAX_JUMPS; i++) {
    const node = findNode(state.def, state.nodeId)
    if (node?.type !== 'jump') return state
    const target = node.treeId ? await findTreeRow(db, node.treeId) : undefined
    const def = target ? await publishedDefinition(db, target.publishedVersionId) : null
    state.path = [
      ...state.path,
      { treeId: state.treeId, nodeId: node.id, title: node.title || 'Jump', answer: target ? `→ ${target.name}` : '→ (missing tree)', at: now() },
    ]
    if (!target || !def) return { ...state, brokenJump: true }
    state = { ...state, treeId: target.id, def, nodeId: def.startNodeId }
  }
  return { ...state, brokenJump: true }
}

/** Where a run happens: the help-center runner, the chat widget, or an agent (scripts and editor test runs). */
export type RunChannel = 'help_center' | 'widget' | 'agent'

function stepOf(row: RunRow, publicRun: boolean): DecisionTreeStepDto | null {
  if (row.endedAt !== null || !row.currentNodeId) return null
  const def = readJson<DecisionTreeDefinition>(row.definition, { startNodeId: '', nodes: [] })
  const vars = readJson<Vars>(row.variables, {})
  if (!findNode(def, row.currentNodeId)) return null
  return stepAt(def, row.currentNodeId, vars, { needsEmail: publicRun && !row.ticketId && !knownEmail(def, vars) })
}

async function presentRun(db: Executor, row: RunRow): Promise<DecisionTreeRunDto> {
  const tree = await db.selectFrom('decisionTrees').select('name').where('id', '=', row.treeId).executeTakeFirst()
  return {
    id: row.id,
    treeId: row.treeId,
    treeName: tree?.name ?? 'Deleted tree',
    versionId: row.versionId,
    ticketId: row.ticketId,
    isTest: !!row.isTest,
    status: row.endedAt === null ? 'active' : 'ended',
    outcome: (row.outcome as DecisionTreeOutcome | null) ?? null,
    step: stepOf(row, false),
    path: readJson<DecisionTreePathEntry[]>(row.path, []),
    variables: readJson<Vars>(row.variables, {}),
    createdTicketId: row.createdTicketId,
    noteMessageId: row.noteMessageId,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
  }
}

async function presentPublicRun(db: Executor, row: RunRow): Promise<PublicDecisionTreeRunDto> {
  const tree = await db.selectFrom('decisionTrees').select('name').where('id', '=', row.treeId).executeTakeFirst()
  return {
    token: row.token!,
    treeName: tree?.name ?? 'Guided help',
    status: row.endedAt === null ? 'active' : 'ended',
    outcome: (row.outcome as DecisionTreeOutcome | null) ?? null,
    // The widget asks for contact details itself (pre-chat or offline form), so its steps never need an email.
    step: stepOf(row, row.channel === 'help_center'),
    ticketId: row.createdTicketId,
  }
}

async function insertRun(
  db: Executor,
  r: {
    treeId: number
    versionId: number | null
    def: DecisionTreeDefinition
    userId: number | null
    ticketId: number | null
    isTest: boolean
    ip: string | null
    token: string | null
    channel: RunChannel
  },
): Promise<RunRow> {
  const t = now()
  const state = await arrive(db, { treeId: r.treeId, def: r.def, nodeId: r.def.startNodeId, path: [], vars: {} }, r.def.startNodeId)
  return db
    .insertInto('decisionTreeRuns')
    .values({
      treeId: r.treeId,
      versionId: r.versionId,
      currentTreeId: state.treeId,
      currentNodeId: state.brokenJump ? null : state.nodeId,
      definition: writeJson(state.def),
      token: r.token,
      userId: r.userId,
      ticketId: r.ticketId,
      visitorIp: r.ip,
      isTest: r.isTest ? 1 : 0,
      path: writeJson(state.path),
      variables: writeJson({}),
      outcome: state.brokenJump ? 'ticket' : null,
      createdTicketId: null,
      noteMessageId: null,
      createdAt: t,
      updatedAt: t,
      endedAt: state.brokenJump ? t : null,
      channel: r.channel,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Starts a run for a signed-in person: an agent script on a ticket (published version, audience agents or both,
 * a ticket the person can add notes to) or an editor's test run of the current draft (staff only, not counted).
 */
export async function startRun(ctx: Ctx, actor: Actor, treeId: number, input: StartDecisionTreeRunInput): Promise<DecisionTreeRunDto> {
  const tree = await getVisibleTree(ctx.db, actor, treeId)
  let def: DecisionTreeDefinition | null
  if (input.test) {
    if (!canEditDecisionTrees(actor)) throw forbidden('test decision trees', 'support staff write them')
    if (input.ticketId) throw badRequest('A test run is not attached to a ticket')
    def = readJson<DecisionTreeDefinition | null>(tree.draft, null)
    const problems = def ? await problemsOf(ctx.db, treeId, def) : []
    if (!def || problems.length) throw unprocessable(`Fix the draft before testing it: ${problems.map((p) => p.message).join('; ')}`, { problems })
  } else {
    if (!isScriptAudience(tree.audience)) throw unprocessable(`“${tree.name}” is for customers; agents run trees whose audience is agents or both`)
    def = await publishedDefinition(ctx.db, tree.publishedVersionId)
    if (!def) throw unprocessable(`“${tree.name}” is not published yet`)
    if (!input.ticketId) throw badRequest('Give the ticket this script is for (ticketId)')
  }
  if (input.ticketId) {
    const ticket = await getVisibleTicket(ctx.db, actor, input.ticketId)
    if (!canAddNote(actor, ticket)) throw forbidden('add notes to this ticket')
  }
  const row = await insertRun(ctx.db, {
    treeId,
    versionId: input.test ? null : tree.publishedVersionId,
    def,
    userId: actor.id,
    ticketId: input.ticketId ?? null,
    isTest: !!input.test,
    ip: null,
    token: null,
    channel: 'agent',
  })
  return presentRun(ctx.db, row)
}

async function getOwnRun(db: Executor, actor: Actor, runId: number): Promise<RunRow> {
  const row = await findRunRow(db, { id: runId })
  if (!row || !canAnswerRun(actor, row)) throw notFound('Run', runId)
  return row
}

export async function getRun(ctx: Ctx, actor: Actor, runId: number): Promise<DecisionTreeRunDto> {
  return presentRun(ctx.db, await getOwnRun(ctx.db, actor, runId))
}

/** Applies one answer to a run; returns the new state and, when it ends, the outcome. */
async function advance(ctx: Ctx, row: RunRow, input: DecisionTreeAnswerInput, publicRun: boolean) {
  if (row.endedAt !== null) throw conflict('This run has already ended', { outcome: row.outcome })
  const def = readJson<DecisionTreeDefinition>(row.definition, { startNodeId: '', nodes: [] })
  const vars = readJson<Vars>(row.variables, {})
  const path = readJson<DecisionTreePathEntry[]>(row.path, [])
  if (path.length >= MAX_PATH) throw unprocessable('This run is too long; start again')
  const node = row.currentNodeId ? findNode(def, row.currentNodeId) : undefined
  if (!node) throw conflict('This run cannot continue')
  const step = stepAt(def, node.id, vars, { needsEmail: publicRun && !knownEmail(def, vars) })
  const entry = (answer: string | null): DecisionTreePathEntry => ({ treeId: row.currentTreeId, nodeId: node.id, title: step.title, answer, at: now() })
  const state: State = { treeId: row.currentTreeId, def, nodeId: node.id, path, vars: { ...vars } }
  let next: string | null = null
  let outcome: 'resolved' | 'ticket' | null = null
  if (node.type === 'question') {
    if (input.choice === undefined || !isOffered(step, input.choice)) throw badRequest('Pick one of the offered choices', { choices: step.choices })
    const choice = node.choices![input.choice]!
    state.path = [...path, entry(choice.label)]
    if (node.variable) state.vars[node.variable] = choice.label
    next = choice.next
  } else if (node.type === 'info') {
    state.path = [...path, entry(null)]
    next = node.next!
  } else if (node.type === 'input') {
    const value = (input.value ?? '').trim()
    if (!value) throw badRequest('Fill in the field to continue')
    if (node.inputKind === 'email' && !EMAIL.test(value)) throw badRequest('Enter a valid email address')
    state.path = [...path, entry(value)]
    state.vars[node.variable!] = value
    next = node.next!
  } else {
    // An ending: "resolved" actions end resolved, "open a ticket" actions end with a ticket, others ask the person.
    const kind = node.action?.kind
    if (kind === 'resolved') outcome = 'resolved'
    else if (kind === 'open_ticket') outcome = 'ticket'
    else if (input.resolved === undefined) throw badRequest('Say whether this solved the problem (resolved: true or false)')
    else outcome = input.resolved ? 'resolved' : 'ticket'
    state.path = [...path, entry(outcome === 'resolved' ? 'Solved' : 'Still needs help')]
  }
  if (next) {
    const moved = await arrive(ctx.db, state, next)
    if (moved.brokenJump) return { state: moved, ended: true, outcome: 'ticket' as const, endNode: node, brokenJump: true }
    return { state: moved, ended: false, outcome: null, endNode: node, brokenJump: false }
  }
  return { state, ended: true, outcome: outcome!, endNode: node, brokenJump: false }
}

async function saveRun(db: Executor, row: RunRow, state: State, end: { outcome: string; ticketId?: number; noteId?: number } | null): Promise<RunRow> {
  const t = now()
  return db
    .updateTable('decisionTreeRuns')
    .set({
      currentTreeId: state.treeId,
      currentNodeId: end ? row.currentNodeId : state.nodeId,
      definition: writeJson(state.def),
      path: writeJson(state.path),
      variables: writeJson(state.vars),
      updatedAt: t,
      ...(end ? { outcome: end.outcome, endedAt: t, createdTicketId: end.ticketId ?? null, noteMessageId: end.noteId ?? null } : {}),
    })
    .where('id', '=', row.id)
    .where('endedAt', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The path and answers as HTML for an internal note (every value escaped). */
function summaryHtml(treeName: string, path: DecisionTreePathEntry[], outcome: string, vars: Vars): string {
  const e = escapeHtml
  const steps = path.map((p) => `<li><strong>${e(p.title)}</strong>${p.answer ? ` — ${e(p.answer)}` : ''}</li>`).join('')
  const answers = Object.entries(vars)
    .map(([k, v]) => `<li>${e(k)}: ${e(v)}</li>`)
    .join('')
  return `<p><strong>Script “${e(treeName)}”</strong>: ${outcome === 'resolved' ? 'resolved' : 'not resolved, needs follow-up'}</p><ol>${steps}</ol>${answers ? `<p>Answers:</p><ul>${answers}</ul>` : ''}`
}

/** The path and answers as plain text for the first message of a ticket a customer's run opens. */
function summaryText(treeName: string, path: DecisionTreePathEntry[], vars: Vars, note: string): string {
  const lines = path.map((p, i) => `${i + 1}. ${p.title}${p.answer ? ` — ${p.answer}` : ''}`)
  const answers = Object.entries(vars).map(([k, v]) => `- ${k}: ${v}`)
  return [
    `The customer went through the guided help “${treeName}” and still needs help.`,
    '',
    'Path taken:',
    ...lines,
    ...(answers.length ? ['', 'Answers:', ...answers] : []),
    ...(note ? ['', 'Message from the customer:', note] : []),
  ].join('\n')
}

/**
 * Answers the current step of one's own run. When an agent script on a ticket ends, its Q&A and outcome are added
 * to the ticket as an internal note.
 */
export async function answerRun(ctx: Ctx, actor: Actor, runId: number, input: DecisionTreeAnswerInput): Promise<DecisionTreeRunDto> {
  const row = await getOwnRun(ctx.db, actor, runId)
  const result = await advance(ctx, row, input, false)
  if (!result.ended || !result.outcome) return presentRun(ctx.db, await saveRun(ctx.db, row, result.state, null))
  let noteId: number | undefined
  if (row.ticketId && !row.isTest) {
    const tree = await findTreeRow(ctx.db, row.treeId)
    const posted = await composeMessage(ctx, actor, row.ticketId, 'note', {
      body: summaryHtml(tree?.name ?? 'Script', result.state.path, result.outcome, result.state.vars),
    })
    if ('message' in posted) noteId = posted.message.id
  }
  return presentRun(ctx.db, await saveRun(ctx.db, row, result.state, { outcome: result.outcome, noteId }))
}

/** The scripts run on a ticket, newest first (for the ticket panel). */
export async function listTicketRuns(ctx: Ctx, actor: Actor, ticketId: number): Promise<{ items: DecisionTreeRunDto[] }> {
  await getVisibleTicket(ctx.db, actor, ticketId)
  const rows = await ctx.db.selectFrom('decisionTreeRuns').selectAll().where('ticketId', '=', ticketId).orderBy('id', 'desc').limit(50).execute()
  return { items: await Promise.all(rows.map((r) => presentRun(ctx.db, r))) }
}

/** Why this person may not reply on this ticket yet (a required script not run to its end), or null. */
export async function missingRequiredScript(db: Executor, actor: Actor, ticket: { id: number; categoryId: number | null }): Promise<string | null> {
  const req = await requirementFor(db, actor, ticket)
  return req.required && !req.satisfied ? `Run the script “${req.treeName}” on this ticket before replying` : null
}

async function requirementFor(db: Executor, actor: Actor, ticket: { id: number; categoryId: number | null }): Promise<TicketScriptRequirementDto> {
  const none = { required: false, treeId: null, treeName: null, satisfied: true }
  if (!isHeldToScripts(actor) || ticket.categoryId === null) return none
  const req = await db
    .selectFrom('decisionTreeRequirements as r')
    .innerJoin('decisionTrees as t', 't.id', 'r.treeId')
    .select(['r.treeId', 't.name', 't.publishedVersionId'])
    .where('r.categoryId', '=', ticket.categoryId)
    .executeTakeFirst()
  // A required tree that was unpublished meanwhile cannot be run, so it cannot be required.
  if (!req || req.publishedVersionId === null) return none
  const done = await db
    .selectFrom('decisionTreeRuns')
    .select('id')
    .where('ticketId', '=', ticket.id)
    .where('treeId', '=', req.treeId)
    .where('userId', '=', actor.id)
    .where('endedAt', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  return { required: true, treeId: req.treeId, treeName: req.name, satisfied: !!done }
}

/** Whether the caller must run a script on this ticket before replying, and whether they have. */
export async function ticketScriptRequirement(ctx: Ctx, actor: Actor, ticketId: number): Promise<TicketScriptRequirementDto> {
  const ticket = await getVisibleTicket(ctx.db, actor, ticketId)
  return requirementFor(ctx.db, actor, ticket)
}

// --- customers -------------------------------------------------------------------------------------------------

/** A published tree customers may run, by its address. */
async function getPublicTree(db: Executor, slug: string) {
  const tree = await db.selectFrom('decisionTrees').selectAll().where('slug', '=', slug).executeTakeFirst()
  if (!tree || tree.publishedVersionId === null || !isPublicAudience(tree.audience)) throw notFound('Guided help', slug)
  return tree
}

export async function listPublicTrees(ctx: Ctx): Promise<{ items: { slug: string; name: string; description: string }[] }> {
  const rows = await ctx.db
    .selectFrom('decisionTrees')
    .select(['slug', 'name', 'description'])
    .where('publishedVersionId', 'is not', null)
    .where('audience', 'in', ['public', 'both'])
    .orderBy('name')
    .limit(200)
    .execute()
  return { items: rows }
}

export async function startPublicRun(ctx: Ctx, slug: string, ip: string): Promise<PublicDecisionTreeRunDto> {
  const tree = await getPublicTree(ctx.db, slug)
  const def = await publishedDefinition(ctx.db, tree.publishedVersionId)
  if (!def) throw notFound('Guided help', slug)
  return startCustomerRun(ctx, { id: tree.id, publishedVersionId: tree.publishedVersionId }, def, ip, 'help_center')
}

/** A customer's run (help center or widget): anonymous, reached by its random token. */
async function startCustomerRun(
  ctx: Ctx,
  tree: { id: number; publishedVersionId: number | null },
  def: DecisionTreeDefinition,
  ip: string,
  channel: 'help_center' | 'widget',
): Promise<PublicDecisionTreeRunDto> {
  const row = await insertRun(ctx.db, {
    treeId: tree.id,
    versionId: tree.publishedVersionId,
    def,
    userId: null,
    ticketId: null,
    isTest: false,
    ip,
    token: randomBytes(18).toString('base64url'),
    channel,
  })
  return presentPublicRun(ctx.db, row)
}

async function getPublicRun(db: Executor, token: string): Promise<RunRow> {
  const row = await findRunRow(db, { token })
  if (!row || row.userId !== null || row.channel !== 'help_center') throw notFound('Run', 'with this address')
  return row
}

export async function getPublicRunState(ctx: Ctx, token: string): Promise<PublicDecisionTreeRunDto> {
  return presentPublicRun(ctx.db, await getPublicRun(ctx.db, token))
}

/** The subject of the ticket an unresolved run opens: the `open_ticket` action's (variables filled), else "tree: node". */
function ticketSubject(treeName: string, endNode: { title?: string; action?: DecisionTreeDefinition['nodes'][number]['action'] }, vars: Vars): string {
  const action = endNode.action
  const own = action?.kind === 'open_ticket' && action.subject ? fillText(action.subject, vars).trim() : ''
  return (own || `${treeName}: ${endNode.title || 'needs help'}`).slice(0, 300)
}

/**
 * Answers a customer's run. Ending unresolved opens a ticket from the customer's email (asked by the tree, or on the
 * last step) whose first message lists the path and the answers, so nobody asks them again.
 */
export async function answerPublicRun(ctx: Ctx, token: string, input: DecisionTreeAnswerInput): Promise<PublicDecisionTreeRunDto> {
  const row = await getPublicRun(ctx.db, token)
  const result = await advance(ctx, row, input, true)
  if (!result.ended || !result.outcome) return presentPublicRun(ctx.db, await saveRun(ctx.db, row, result.state, null))
  if (result.outcome === 'resolved') return presentPublicRun(ctx.db, await saveRun(ctx.db, row, result.state, { outcome: 'resolved' }))
  const vars = result.state.vars
  const email = knownEmail(result.state.def, vars) ?? input.email?.trim()
  // A jump into a tree that is gone: end here and point the customer to the contact form rather than fail.
  if (result.brokenJump && !email) return presentPublicRun(ctx.db, await saveRun(ctx.db, row, result.state, { outcome: 'ticket' }))
  if (!email || !EMAIL.test(email)) throw badRequest('Enter your email address so that we can answer you')
  const tree = await findTreeRow(ctx.db, row.treeId)
  const treeName = tree?.name ?? 'Guided help'
  const action = result.endNode.action
  const subject = ticketSubject(treeName, result.endNode, vars)
  const ticket = await createTicket(
    ctx,
    null,
    {
      subject,
      body: summaryText(treeName, result.state.path, vars, (input.value ?? '').trim().slice(0, 5000)),
      requester: { email, name: input.name?.trim() || vars.name || email.split('@')[0]! },
      ...(action?.inboxId ? { inboxId: action.inboxId } : {}),
      ...(action?.priority ? { priority: action.priority } : {}),
      tags: [...new Set(['decision-tree', ...(action?.tags ?? []).map((t) => t.toLowerCase())])],
    },
    { bodyFormat: 'text' },
  )
  return presentPublicRun(ctx.db, await saveRun(ctx.db, row, result.state, { outcome: 'ticket', ticketId: ticket.id }))
}

// --- the chat widget ------------------------------------------------------------------------------------------

/** A tree the chat widget may offer: published and meant for customers; undefined otherwise. */
export async function findOfferableTree(db: Executor, treeId: number): Promise<{ id: number; name: string; description: string } | undefined> {
  const tree = await findTreeRow(db, treeId)
  if (!tree || tree.publishedVersionId === null || !isPublicAudience(tree.audience)) return undefined
  return { id: tree.id, name: tree.name, description: tree.description }
}

/** Starts a run of the tree a chat inbox offers in its widget (the caller has checked the visitor and the site). */
export async function startWidgetRun(ctx: Ctx, treeId: number, ip: string): Promise<PublicDecisionTreeRunDto> {
  const tree = await findTreeRow(ctx.db, treeId)
  const def = tree && isPublicAudience(tree.audience) ? await publishedDefinition(ctx.db, tree.publishedVersionId) : null
  if (!tree || !def) throw notFound('Guided help', treeId)
  return startCustomerRun(ctx, tree, def, ip, 'widget')
}

async function getWidgetRun(db: Executor, token: string): Promise<RunRow> {
  const row = await findRunRow(db, { token })
  if (row?.channel !== 'widget') throw notFound('Run', 'with this address')
  return row
}

/**
 * Where a widget run stands, so the widget can redraw it after a reload: its current step, or the hand-over form
 * for a run that ended unresolved and was not handed over yet. `isOffered` says whether the asking inbox still offers
 * the run's tree (404 if not); a solved or handed-over run cannot be resumed (409).
 */
export async function resumeWidgetRun(ctx: Ctx, token: string, isOffered: (treeId: number) => Promise<boolean>): Promise<PublicDecisionTreeRunDto> {
  const row = await findRunRow(ctx.db, { token })
  if (row?.channel !== 'widget' || !(await isOffered(row.treeId))) throw notFound('Guided help run', 'with this address')
  if (row.createdTicketId !== null || (row.endedAt !== null && row.outcome !== 'ticket')) throw conflict('This guided help has ended')
  return presentPublicRun(ctx.db, row)
}

/**
 * Answers a widget run. Ending unresolved opens nothing yet: the widget hands over to a chat (or, with nobody online,
 * the offline form), and `widgetHandoff` gives what the ticket starts with.
 */
export async function answerWidgetRun(ctx: Ctx, token: string, input: DecisionTreeAnswerInput): Promise<PublicDecisionTreeRunDto> {
  const row = await getWidgetRun(ctx.db, token)
  const result = await advance(ctx, row, input, false)
  const end = result.ended && result.outcome ? { outcome: result.outcome } : null
  return presentPublicRun(ctx.db, await saveRun(ctx.db, row, result.state, end))
}

/**
 * What a widget run that ended unresolved hands to support: the subject and tags of its ending, and the path and
 * answers as the first message (the same text the help-center runner puts in its ticket).
 */
export async function widgetHandoff(
  db: Executor,
  token: string,
  note: string,
): Promise<{ runId: number; subject: string; text: string; tags: string[]; createdTicketId: number | null }> {
  const row = await getWidgetRun(db, token)
  if (row.outcome !== 'ticket') throw conflict('This guided help has not ended with a request for help')
  const def = readJson<DecisionTreeDefinition>(row.definition, { startNodeId: '', nodes: [] })
  const vars = readJson<Vars>(row.variables, {})
  const endNode = (row.currentNodeId ? findNode(def, row.currentNodeId) : undefined) ?? { title: undefined, action: undefined }
  const treeName = (await findTreeRow(db, row.treeId))?.name ?? 'Guided help'
  return {
    runId: row.id,
    subject: ticketSubject(treeName, endNode, vars),
    text: summaryText(treeName, readJson<DecisionTreePathEntry[]>(row.path, []), vars, note.trim().slice(0, 5000)),
    tags: [...new Set(['decision-tree', ...(endNode.action?.tags ?? []).map((t) => t.toLowerCase())])],
    createdTicketId: row.createdTicketId,
  }
}

/** Records the ticket a widget run's hand-over opened (once), so analytics count it and a resend opens nothing twice. */
export async function recordWidgetRunTicket(db: Executor, runId: number, ticketId: number): Promise<void> {
  await db
    .updateTable('decisionTreeRuns')
    .set({ createdTicketId: ticketId, updatedAt: now() })
    .where('id', '=', runId)
    .where('createdTicketId', 'is', null)
    .execute()
}
