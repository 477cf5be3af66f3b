import type { CustomFieldDto, CustomFieldValues } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAdminister } from '../../platform/policy.ts'

type Entity = CustomFieldDto['entity']

export async function listCustomFields(db: Executor, entity?: Entity): Promise<CustomFieldDto[]> {
  let q = db.selectFrom('customFields').selectAll().orderBy('id')
  if (entity) q = q.where('entity', '=', entity)
  return (await q.execute()).map((r) => ({
    id: r.id,
    entity: r.entity as Entity,
    key: r.key,
    label: r.label,
    type: r.type as CustomFieldDto['type'],
    options: readJson(r.options, []),
  }))
}

export async function createCustomField(
  ctx: Ctx,
  actor: Actor,
  input: Omit<CustomFieldDto, 'id' | 'options'> & { options?: string[] },
): Promise<CustomFieldDto> {
  if (!canAdminister(actor)) throw forbidden('define custom fields')
  if (input.type === 'select' && !input.options?.length) throw unprocessable('A select field needs options')
  const existing = await ctx.db.selectFrom('customFields').select('id').where('entity', '=', input.entity).where('key', '=', input.key).executeTakeFirst()
  if (existing) throw conflict(`A ${input.entity} field with key ${input.key} already exists`)
  const row = await ctx.db
    .insertInto('customFields')
    .values({ entity: input.entity, key: input.key, label: input.label, type: input.type, options: writeJson(input.options ?? []), createdAt: now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return (await listCustomFields(ctx.db)).find((f) => f.id === row.id)!
}

export async function updateCustomField(ctx: Ctx, actor: Actor, id: number, patch: { label?: string; options?: string[] }): Promise<CustomFieldDto> {
  if (!canAdminister(actor)) throw forbidden('change custom fields')
  const field = (await listCustomFields(ctx.db)).find((f) => f.id === id)
  if (!field) throw notFound('Custom field', id)
  await ctx.db
    .updateTable('customFields')
    .set({ ...(patch.label ? { label: patch.label } : {}), ...(patch.options ? { options: writeJson(patch.options) } : {}) })
    .where('id', '=', id)
    .execute()
  return (await listCustomFields(ctx.db)).find((f) => f.id === id)!
}

export async function deleteCustomField(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canAdminister(actor)) throw forbidden('delete custom fields')
  const res = await ctx.db.deleteFrom('customFields').where('id', '=', id).executeTakeFirst()
  if (!res.numDeletedRows) throw notFound('Custom field', id)
}

/** Checks values against the entity's field definitions; unknown keys and wrong types are refused. */
export async function validateCustomFields(db: Executor, entity: Entity, values: CustomFieldValues | undefined): Promise<CustomFieldValues> {
  if (!values || !Object.keys(values).length) return {}
  const defs = new Map((await listCustomFields(db, entity)).map((f) => [f.key, f]))
  const problems: string[] = []
  for (const [key, value] of Object.entries(values)) {
    const def = defs.get(key)
    if (!def) problems.push(`${key}: no such ${entity} field`)
    else if (value === null) continue
    else if (def.type === 'number' && typeof value !== 'number') problems.push(`${key}: must be a number`)
    else if (def.type === 'checkbox' && typeof value !== 'boolean') problems.push(`${key}: must be true or false`)
    else if (def.type === 'text' && typeof value !== 'string') problems.push(`${key}: must be text`)
    else if (def.type === 'date' && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) problems.push(`${key}: must be a date YYYY-MM-DD`)
    else if (def.type === 'select' && !def.options.includes(String(value))) problems.push(`${key}: must be one of ${def.options.join(', ')}`)
  }
  if (problems.length) throw unprocessable(`Invalid custom fields: ${problems.join('; ')}`, problems)
  return values
}
