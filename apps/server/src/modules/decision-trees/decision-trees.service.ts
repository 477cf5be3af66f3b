import type {
  CreateDecisionTreeInput,
  DecisionTreeAnalyticsDto,
  DecisionTreeAudience,
  DecisionTreeDefinition,
  DecisionTreeDto,
  DecisionTreeListQuery,
  DecisionTreePathEntry,
  DecisionTreeRequirementDto,
  DecisionTreeVersionDto,
  UpdateDecisionTreeInput,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { nodeTitle, sanitizeDefinition, validateDefinition } from './decision-trees.engine.ts'
import { canEditDecisionTrees, canManageScriptRequirements, canSeeDecisionTree, canViewDecisionTreeAnalytics } from './decision-trees.policy.ts'

export async function findTreeRow(db: Executor, id: number) {
  return db.selectFrom('decisionTrees').selectAll().where('id', '=', id).executeTakeFirst()
}
export type TreeRow = NonNullable<Awaited<ReturnType<typeof findTreeRow>>>

const EMPTY_DRAFT: DecisionTreeDefinition = {
  startNodeId: 'start',
  nodes: [
    { id: 'start', type: 'question', title: 'First question', text: '<p>What do you need help with?</p>', choices: [{ label: 'Something else', next: 'end' }] },
    { id: 'end', type: 'end', text: '<p>Thanks!</p>' },
  ],
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'tree'

/** Ids of every tree with a published version (jump targets must be among them). */
async function publishedTreeIds(db: Executor): Promise<Set<number>> {
  const rows = await db.selectFrom('decisionTrees').select('id').where('publishedVersionId', 'is not', null).execute()
  return new Set(rows.map((r) => r.id))
}

/** What stops a definition from being published, including tickets it would open in an inbox that does not exist. */
export async function problemsOf(db: Executor, treeId: number | undefined, def: DecisionTreeDefinition, published?: ReadonlySet<number>) {
  const problems = validateDefinition(def, { selfTreeId: treeId, publishedTreeIds: published ?? (await publishedTreeIds(db)) })
  const inboxIds = [...new Set(def.nodes.flatMap((n) => (n.action?.inboxId ? [n.action.inboxId] : [])))]
  const inboxes = inboxIds.length
    ? new Set((await db.selectFrom('inboxes').select('id').where('id', 'in', inboxIds).execute()).map((r) => r.id))
    : new Set<number>()
  for (const n of def.nodes)
    if (n.action?.inboxId && !inboxes.has(n.action.inboxId))
      problems.push({ nodeId: n.id, message: `Node “${n.title || n.id}”: opens tickets in inbox ${n.action.inboxId}, which does not exist` })
  return problems
}

async function publishedVersionOf(db: Executor, versionId: number | null) {
  if (versionId === null) return undefined
  return db.selectFrom('decisionTreeVersions').select(['version', 'definition']).where('id', '=', versionId).executeTakeFirst()
}

/** Editors get the draft; everyone else (contributors running scripts) only ever sees what is published. */
async function present(db: Executor, actor: Actor, row: TreeRow, published?: ReadonlySet<number>): Promise<DecisionTreeDto> {
  const version = await publishedVersionOf(db, row.publishedVersionId)
  const editor = canEditDecisionTrees(actor)
  const draft = readJson<DecisionTreeDefinition>(editor ? row.draft : version?.definition, EMPTY_DRAFT)
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    audience: row.audience as DecisionTreeAudience,
    status: row.publishedVersionId === null ? 'draft' : 'published',
    publishedVersionId: row.publishedVersionId,
    publishedVersion: version?.version ?? null,
    draft,
    problems: editor ? await problemsOf(db, row.id, draft, published) : [],
    canEdit: editor,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** A tree the actor may see; one they may not is not found. */
export async function getVisibleTree(db: Executor, actor: Actor, id: number): Promise<TreeRow> {
  const row = await findTreeRow(db, id)
  if (!row || !canSeeDecisionTree(actor, row)) throw notFound('Decision tree', id)
  return row
}

async function getEditableTree(db: Executor, actor: Actor, id: number): Promise<TreeRow> {
  const row = await getVisibleTree(db, actor, id)
  if (!canEditDecisionTrees(actor)) throw forbidden('edit decision trees', 'support staff write them')
  return row
}

/** Trees by name; a workspace has tens of them, one page holds them all. */
export async function listTrees(ctx: Ctx, actor: Actor, query: DecisionTreeListQuery): Promise<{ items: DecisionTreeDto[] }> {
  let q = ctx.db.selectFrom('decisionTrees').selectAll()
  if (query.audience) q = q.where('audience', 'in', query.audience === 'both' ? ['both'] : [query.audience, 'both'])
  if (query.published) q = q.where('publishedVersionId', 'is not', null)
  const rows = (await q.orderBy('name').orderBy('id').limit(500).execute()).filter((r) => canSeeDecisionTree(actor, r))
  const published = await publishedTreeIds(ctx.db)
  return { items: await Promise.all(rows.map((r) => present(ctx.db, actor, r, published))) }
}

export async function getTree(ctx: Ctx, actor: Actor, id: number): Promise<DecisionTreeDto> {
  return present(ctx.db, actor, await getVisibleTree(ctx.db, actor, id))
}

async function assertSlugFree(db: Executor, slug: string, exceptId?: number) {
  const clash = await db.selectFrom('decisionTrees').select('id').where('slug', '=', slug).executeTakeFirst()
  if (clash && clash.id !== exceptId) throw conflict(`Another tree already uses the address “${slug}”`, { treeId: clash.id })
}

/** The address made from a name, numbered when taken ("card-help-2"). */
async function freeSlug(db: Executor, base: string): Promise<string> {
  const taken = new Set((await db.selectFrom('decisionTrees').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug))
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`
}

/** Saves a new tree as a draft (nothing is visible to customers until it is published). */
export async function createTree(ctx: Ctx, actor: Actor, input: CreateDecisionTreeInput): Promise<DecisionTreeDto> {
  if (!canEditDecisionTrees(actor)) throw forbidden('create decision trees', 'support staff write them')
  const name = input.name.trim()
  if (!name) throw badRequest('Give the tree a name')
  const slug = input.slug ?? (await freeSlug(ctx.db, slugify(name)))
  await assertSlugFree(ctx.db, slug)
  const t = now()
  const row = await ctx.db
    .insertInto('decisionTrees')
    .values({
      slug,
      name,
      description: input.description?.trim() ?? '',
      audience: input.audience ?? 'both',
      draft: writeJson(sanitizeDefinition(input.draft ?? EMPTY_DRAFT)),
      publishedVersionId: null,
      createdById: actor.id,
      createdAt: t,
      updatedAt: t,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return present(ctx.db, actor, row)
}

/** Edits the draft and the tree's details; the published version stays as it was until the next publish. */
export async function updateTree(ctx: Ctx, actor: Actor, id: number, input: UpdateDecisionTreeInput): Promise<DecisionTreeDto> {
  const row = await getEditableTree(ctx.db, actor, id)
  if (input.slug !== undefined) await assertSlugFree(ctx.db, input.slug, id)
  if (input.name !== undefined && !input.name.trim()) throw badRequest('Give the tree a name')
  const updated = await ctx.db
    .updateTable('decisionTrees')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.slug !== undefined ? { slug: input.slug } : {}),
      ...(input.description !== undefined ? { description: input.description.trim() } : {}),
      ...(input.audience !== undefined ? { audience: input.audience } : {}),
      ...(input.draft !== undefined ? { draft: writeJson(sanitizeDefinition(input.draft)) } : {}),
      updatedAt: now(),
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return present(ctx.db, actor, updated)
}

/**
 * Deletes a tree with its versions and runs. Trees that jump to it are left as they are: a run reaching such a jump
 * ends gracefully (offers to contact support) and their next publish names the missing target.
 */
export async function deleteTree(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  const row = await getEditableTree(ctx.db, actor, id)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('decisionTreeRequirements').where('treeId', '=', id).execute()
    await trx.deleteFrom('decisionTreeRuns').where('treeId', '=', id).execute()
    await trx.deleteFrom('decisionTreeVersions').where('treeId', '=', id).execute()
    await trx.deleteFrom('decisionTrees').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'decision_tree.deleted', targetType: 'decision_tree', targetId: id, data: { name: row.name } })
  })
}

/** Validates the draft and freezes it as the next version, which customers and agents then run. */
export async function publishTree(ctx: Ctx, actor: Actor, id: number): Promise<DecisionTreeDto> {
  const row = await getEditableTree(ctx.db, actor, id)
  const draft = readJson<DecisionTreeDefinition>(row.draft, EMPTY_DRAFT)
  const problems = await problemsOf(ctx.db, id, draft)
  if (problems.length) throw unprocessable(`The tree cannot be published: ${problems.map((p) => p.message).join('; ')}`, { problems })
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('decisionTreeVersions').select('version').where('treeId', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst()
    const t = now()
    const version = await trx
      .insertInto('decisionTreeVersions')
      .values({ treeId: id, version: (last?.version ?? 0) + 1, definition: writeJson(draft), createdById: actor.id, createdAt: t })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'decision_tree.published',
      targetType: 'decision_tree',
      targetId: id,
      data: { version: version.version },
    })
    return trx.updateTable('decisionTrees').set({ publishedVersionId: version.id, updatedAt: t }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
  })
  return present(ctx.db, actor, updated)
}

/** Rolls back (or forward) to an earlier frozen version; checked again, since a tree it jumps to may be gone. */
export async function publishVersion(ctx: Ctx, actor: Actor, id: number, versionId: number): Promise<DecisionTreeDto> {
  await getEditableTree(ctx.db, actor, id)
  const version = await ctx.db.selectFrom('decisionTreeVersions').selectAll().where('id', '=', versionId).where('treeId', '=', id).executeTakeFirst()
  if (!version) throw notFound('Version', versionId)
  const problems = await problemsOf(ctx.db, id, readJson<DecisionTreeDefinition>(version.definition, EMPTY_DRAFT))
  if (problems.length) throw unprocessable(`Version ${version.version} cannot be published again: ${problems.map((p) => p.message).join('; ')}`, { problems })
  const updated = await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'decision_tree.rolled_back',
      targetType: 'decision_tree',
      targetId: id,
      data: { version: version.version },
    })
    return trx
      .updateTable('decisionTrees')
      .set({ publishedVersionId: versionId, updatedAt: now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return present(ctx.db, actor, updated)
}

export async function listVersions(ctx: Ctx, actor: Actor, id: number): Promise<{ items: DecisionTreeVersionDto[] }> {
  const tree = await getEditableTree(ctx.db, actor, id)
  const rows = await ctx.db
    .selectFrom('decisionTreeVersions as v')
    .leftJoin('users as u', 'u.id', 'v.createdById')
    .select(['v.id', 'v.treeId', 'v.version', 'v.definition', 'v.createdAt', 'v.createdById', 'u.name as createdByName'])
    .where('v.treeId', '=', id)
    .orderBy('v.version', 'desc')
    .limit(200)
    .execute()
  return {
    items: rows.map((r) => ({
      id: r.id,
      treeId: r.treeId,
      version: r.version,
      definition: readJson<DecisionTreeDefinition>(r.definition, EMPTY_DRAFT),
      isPublished: r.id === tree.publishedVersionId,
      createdBy: r.createdById !== null && r.createdByName ? { id: r.createdById, name: r.createdByName } : null,
      createdAt: r.createdAt,
    })),
  }
}

const DEAD_END_MIN_RUNS = 5

/**
 * Runs, completion, drop-off and outcomes of one tree's real runs (editor test runs left out) over the last `days`.
 * A run without an outcome counts as abandoned at the node where it stopped; a node is a dead end when at least five
 * runs stopped or ended there and most of them did not resolve.
 */
export async function treeAnalytics(ctx: Ctx, actor: Actor, id: number, days = 30): Promise<DecisionTreeAnalyticsDto> {
  if (!canViewDecisionTreeAnalytics(actor)) throw forbidden('see decision tree analytics')
  const tree = await getVisibleTree(ctx.db, actor, id)
  const since = now() - days * 86_400_000
  const runs = await ctx.db
    .selectFrom('decisionTreeRuns')
    .select(['path', 'outcome', 'currentNodeId', 'currentTreeId', 'channel'])
    .where('treeId', '=', id)
    .where('createdAt', '>=', since)
    .where('isTest', '=', 0)
    .limit(50_000)
    .execute()
  const titles = new Map<string, string>()
  const published = tree.publishedVersionId
    ? await ctx.db.selectFrom('decisionTreeVersions').select('definition').where('id', '=', tree.publishedVersionId).executeTakeFirst()
    : undefined
  for (const n of readJson<DecisionTreeDefinition>(published?.definition ?? tree.draft, EMPTY_DRAFT).nodes) titles.set(n.id, nodeTitle(n))
  type Stat = { reached: number; droppedOff: number; endedHere: number; ledToTicket: number; resolvedHere: number }
  const stats = new Map<string, Stat>()
  const stat = (nodeId: string) => {
    const found = stats.get(nodeId)
    if (found) return found
    const s = { reached: 0, droppedOff: 0, endedHere: 0, ledToTicket: 0, resolvedHere: 0 }
    stats.set(nodeId, s)
    return s
  }
  const outcomes = { resolved: 0, ticket: 0, abandoned: 0 }
  const channels = { help_center: 0, widget: 0, agent: 0 }
  for (const run of runs) {
    if (run.channel in channels) channels[run.channel as keyof typeof channels]++
    const path = readJson<DecisionTreePathEntry[]>(run.path, []).filter((p) => p.treeId === id)
    for (const nodeId of new Set(path.map((p) => p.nodeId))) stat(nodeId).reached++
    const outcome = run.outcome as 'resolved' | 'ticket' | null
    const last = path[path.length - 1]?.nodeId
    if (!outcome) {
      outcomes.abandoned++
      if (run.currentNodeId && run.currentTreeId === id) {
        const s = stat(run.currentNodeId)
        s.droppedOff++
        if (!path.some((p) => p.nodeId === run.currentNodeId)) s.reached++
      }
      continue
    }
    outcomes[outcome]++
    if (last) {
      const s = stat(last)
      s.endedHere++
      if (outcome === 'ticket') s.ledToTicket++
      else s.resolvedHere++
    }
  }
  const completed = outcomes.resolved + outcomes.ticket
  return {
    treeId: id,
    since,
    runs: runs.length,
    completed,
    completionRate: runs.length ? completed / runs.length : 0,
    outcomes,
    channels,
    nodes: [...stats.entries()]
      .map(([nodeId, s]) => {
        const stops = s.droppedOff + s.endedHere
        return {
          nodeId,
          title: titles.get(nodeId) ?? `${nodeId} (removed)`,
          reached: s.reached,
          droppedOff: s.droppedOff,
          endedHere: s.endedHere,
          ledToTicket: s.ledToTicket,
          isDeadEnd: stops >= DEAD_END_MIN_RUNS && s.droppedOff + s.ledToTicket > stops / 2,
        }
      })
      .sort((a, b) => b.reached - a.reached || a.nodeId.localeCompare(b.nodeId)),
  }
}

export async function listRequirements(ctx: Ctx, actor: Actor): Promise<{ items: DecisionTreeRequirementDto[] }> {
  if (!canViewDecisionTreeAnalytics(actor)) throw forbidden('see required scripts')
  const rows = await ctx.db
    .selectFrom('decisionTreeRequirements as r')
    .innerJoin('categories as c', 'c.id', 'r.categoryId')
    .innerJoin('decisionTrees as t', 't.id', 'r.treeId')
    .select(['r.categoryId', 'c.name as categoryName', 'r.treeId', 't.name as treeName'])
    .orderBy('c.name')
    .execute()
  return { items: rows }
}

/** Sets (or clears, with null) the script rotation contributors must run before replying on a category's tickets. */
export async function setRequirement(ctx: Ctx, actor: Actor, categoryId: number, treeId: number | null): Promise<{ items: DecisionTreeRequirementDto[] }> {
  if (!canManageScriptRequirements(actor)) throw forbidden('require scripts', 'admins decide this')
  if (!(await ctx.db.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst())) throw notFound('Category', categoryId)
  if (treeId !== null) {
    const tree = await findTreeRow(ctx.db, treeId)
    if (!tree) throw unprocessable(`Decision tree ${treeId} does not exist`)
    if (tree.publishedVersionId === null) throw unprocessable(`Publish “${tree.name}” before requiring it`)
    if (tree.audience === 'public') throw unprocessable(`“${tree.name}” is for customers only; set its audience to agents or both first`)
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('decisionTreeRequirements').where('categoryId', '=', categoryId).execute()
    if (treeId !== null) await trx.insertInto('decisionTreeRequirements').values({ categoryId, treeId, createdAt: now() }).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'decision_tree.requirement_set', targetType: 'category', targetId: categoryId, data: { treeId } })
  })
  return listRequirements(ctx, actor)
}
