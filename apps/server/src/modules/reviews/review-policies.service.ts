import type { CreateReviewPolicyInput, ReviewPolicyDto, UpdateReviewPolicyInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canAdminister } from '../../platform/policy.ts'

export interface ReviewPolicy {
  id: number
  categoryId: number | null
  enabled: boolean
  approvalsRequired: number
  maxEditRatio: number
  slaMinutes: number
}

/** Fallback when the default row is missing (it is created by the migration and cannot be deleted). */
const BUILT_IN: ReviewPolicy = { id: 0, categoryId: null, enabled: true, approvalsRequired: 10, maxEditRatio: 0.2, slaMinutes: 60 }

/** Every review policy (one per category at most, plus the default): a handful of rows, read whole. */
export async function loadReviewPolicies(db: Executor): Promise<{ forCategory(categoryId: number | null): ReviewPolicy; all: ReviewPolicy[] }> {
  const rows = await db.selectFrom('reviewPolicies').select(['id', 'categoryId', 'enabled', 'approvalsRequired', 'maxEditRatio', 'slaMinutes']).execute()
  const all = rows.map((r) => ({ ...r, enabled: !!r.enabled, maxEditRatio: Number(r.maxEditRatio) }))
  const fallback = all.find((p) => p.categoryId === null) ?? BUILT_IN
  const byCategory = new Map(all.filter((p) => p.categoryId !== null).map((p) => [p.categoryId, p]))
  return { all, forCategory: (categoryId) => (categoryId === null ? fallback : (byCategory.get(categoryId) ?? fallback)) }
}

async function presentPolicies(db: Executor, ids?: number[]): Promise<ReviewPolicyDto[]> {
  let q = db
    .selectFrom('reviewPolicies as p')
    .leftJoin('categories as c', 'c.id', 'p.categoryId')
    .select(['p.id', 'p.categoryId', 'c.name as categoryName', 'p.enabled', 'p.approvalsRequired', 'p.maxEditRatio', 'p.slaMinutes', 'p.updatedAt'])
  if (ids) q = q.where('p.id', 'in', ids)
  const rows = await q.execute()
  return rows
    .map((r) => ({ ...r, enabled: !!r.enabled, maxEditRatio: Number(r.maxEditRatio) }))
    .sort((a, b) => (a.categoryId === null ? -1 : b.categoryId === null ? 1 : (a.categoryName ?? '').localeCompare(b.categoryName ?? '')))
}

/** The default policy first, then one per category that overrides it. Everyone may read them (authors see what promotion takes). */
export async function listReviewPolicies(ctx: Ctx): Promise<ReviewPolicyDto[]> {
  return presentPolicies(ctx.db)
}

export async function createReviewPolicy(ctx: Ctx, actor: Actor, input: CreateReviewPolicyInput): Promise<ReviewPolicyDto> {
  if (!canAdminister(actor)) throw forbidden('change review policies')
  const id = await ctx.db.transaction().execute(async (trx) => {
    const category = await trx.selectFrom('categories').select('id').where('id', '=', input.categoryId).executeTakeFirst()
    if (!category) throw unprocessable(`Category ${input.categoryId} does not exist`)
    const existing = await trx.selectFrom('reviewPolicies').select('id').where('categoryId', '=', input.categoryId).executeTakeFirst()
    if (existing) throw conflict(`Category ${input.categoryId} already has a review policy (${existing.id})`)
    const base = (await loadReviewPolicies(trx)).forCategory(null)
    const t = now()
    const row = await trx
      .insertInto('reviewPolicies')
      .values({
        categoryId: input.categoryId,
        enabled: (input.enabled ?? base.enabled) ? 1 : 0,
        approvalsRequired: input.approvalsRequired ?? base.approvalsRequired,
        maxEditRatio: input.maxEditRatio ?? base.maxEditRatio,
        slaMinutes: input.slaMinutes ?? base.slaMinutes,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'review_policy.created', targetType: 'review_policy', targetId: row.id, data: { ...input } })
    return row.id
  })
  return (await presentPolicies(ctx.db, [id]))[0]!
}

export async function updateReviewPolicy(ctx: Ctx, actor: Actor, id: number, patch: UpdateReviewPolicyInput): Promise<ReviewPolicyDto> {
  if (!canAdminister(actor)) throw forbidden('change review policies')
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('reviewPolicies').selectAll().where('id', '=', id).executeTakeFirst()
    if (!before) throw notFound('Review policy', id)
    await trx
      .updateTable('reviewPolicies')
      .set({
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(patch.approvalsRequired !== undefined ? { approvalsRequired: patch.approvalsRequired } : {}),
        ...(patch.maxEditRatio !== undefined ? { maxEditRatio: patch.maxEditRatio } : {}),
        ...(patch.slaMinutes !== undefined ? { slaMinutes: patch.slaMinutes } : {}),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    const from = {
      enabled: !!before.enabled,
      approvalsRequired: before.approvalsRequired,
      maxEditRatio: Number(before.maxEditRatio),
      slaMinutes: before.slaMinutes,
    }
    const changed = Object.entries(patch).filter(([k, v]) => v !== undefined && from[k as keyof typeof from] !== v)
    if (changed.length) {
      const data = Object.fromEntries(changed.map(([k, v]) => [k, { from: from[k as keyof typeof from], to: v }]))
      await recordAudit(trx, { actorId: actor.id, action: 'review_policy.changed', targetType: 'review_policy', targetId: id, data })
    }
  })
  return (await presentPolicies(ctx.db, [id]))[0]!
}

/** Removes a category's override (its tickets fall back to the default); the default itself stays. */
export async function deleteReviewPolicy(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canAdminister(actor)) throw forbidden('change review policies')
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('reviewPolicies').select(['id', 'categoryId']).where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('Review policy', id)
    if (row.categoryId === null) throw unprocessable('The default review policy cannot be deleted; change it instead')
    await trx.deleteFrom('reviewPolicies').where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'review_policy.deleted',
      targetType: 'review_policy',
      targetId: id,
      data: { categoryId: row.categoryId },
    })
  })
}
