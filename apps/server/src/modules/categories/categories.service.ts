import type { CategoryDto, CategoryInput, CategoryPatch } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canManageCategories } from '../../platform/policy.ts'
import { invalidateRiskConfig, startReassessment } from '../risk/index.ts'

type Row = { id: number; name: string; keywords: unknown; createdAt: number }
const present = (r: Row): CategoryDto => ({ id: r.id, name: r.name, keywords: readJson<string[]>(r.keywords, []), createdAt: r.createdAt })
const cleanKeywords = (words: string[] | undefined) => [...new Set((words ?? []).map((w) => w.trim()).filter(Boolean))]

/** Every category, by name (a workspace has tens, not thousands). */
export async function listCategories(db: Executor): Promise<CategoryDto[]> {
  return (await db.selectFrom('categories').selectAll().orderBy('name').execute()).map(present)
}

export async function getCategory(db: Executor, id: number): Promise<CategoryDto> {
  const row = await db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Category', id)
  return present(row)
}

async function assertNameFree(db: Executor, name: string, exceptId?: number) {
  const clash = await db.selectFrom('categories').select('id').where('name', '=', name).executeTakeFirst()
  if (clash && clash.id !== exceptId) throw conflict(`A category named “${name}” already exists`, { categoryId: clash.id })
}

/** Keywords feed automatic categorisation: after a change, open tickets are reassessed in the background. */
async function afterChange(ctx: Ctx) {
  invalidateRiskConfig(ctx.db)
  await startReassessment(ctx.db)
}

export async function createCategory(ctx: Ctx, actor: Actor, input: CategoryInput): Promise<CategoryDto> {
  if (!canManageCategories(actor)) throw forbidden('manage categories')
  const name = input.name.trim()
  const id = await ctx.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, name)
    const keywords = cleanKeywords(input.keywords)
    const row = await trx
      .insertInto('categories')
      .values({ name, keywords: writeJson(keywords), createdAt: now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'category.created', targetType: 'category', targetId: row.id, data: { name, keywords } })
    return row.id
  })
  await afterChange(ctx)
  return getCategory(ctx.db, id)
}

export async function updateCategory(ctx: Ctx, actor: Actor, id: number, patch: CategoryPatch): Promise<CategoryDto> {
  if (!canManageCategories(actor)) throw forbidden('manage categories')
  await ctx.db.transaction().execute(async (trx) => {
    const before = await getCategory(trx, id)
    const name = patch.name?.trim()
    if (name !== undefined) await assertNameFree(trx, name, id)
    const keywords = patch.keywords !== undefined ? cleanKeywords(patch.keywords) : undefined
    await trx
      .updateTable('categories')
      .set({ ...(name !== undefined ? { name } : {}), ...(keywords ? { keywords: writeJson(keywords) } : {}) })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'category.updated',
      targetType: 'category',
      targetId: id,
      data: { before, changes: { name, keywords } },
    })
  })
  await afterChange(ctx)
  return getCategory(ctx.db, id)
}

/** Removes a category: its tickets become uncategorised and its certifications go (foreign keys). */
export async function deleteCategory(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageCategories(actor)) throw forbidden('manage categories')
  await ctx.db.transaction().execute(async (trx) => {
    const before = await getCategory(trx, id)
    await trx.updateTable('tickets').set({ categoryId: null }).where('categoryId', '=', id).execute()
    await trx.deleteFrom('certifications').where('categoryId', '=', id).execute()
    await trx.deleteFrom('categories').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'category.deleted', targetType: 'category', targetId: id, data: { name: before.name } })
  })
  await afterChange(ctx)
}
