import type { CustomFieldValues, OrganizationDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canEditContacts, canViewContacts } from '../../platform/policy.ts'
import { indexOrganization, searchOrganizationIds } from '../../platform/search.ts'
import { reassessOpenTicketsOf } from '../contacts/contacts.service.ts'
import { validateCustomFields } from '../custom-fields/custom-fields.service.ts'

type OrgInput = { name: string; domain?: string | null; notes?: string; customFields?: CustomFieldValues; tier?: string | null }

async function presentMany(db: Executor, ids: number[]): Promise<OrganizationDto[]> {
  if (!ids.length) return []
  const rows = await db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute()
  const counts = await db
    .selectFrom('contacts')
    .select(['organizationId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organizationId', 'in', ids)
    .where('mergedIntoId', 'is', null)
    .groupBy('organizationId')
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      notes: r.notes,
      customFields: readJson(r.customFields, {}),
      tier: r.tier,
      contactCount: Number(counts.find((c) => c.organizationId === r.id)?.n ?? 0),
      createdAt: r.createdAt,
    }))
}

export async function getOrganization(ctx: Ctx, actor: Actor, id: number): Promise<OrganizationDto> {
  if (!canViewContacts(actor)) throw forbidden('see organizations')
  const [org] = await presentMany(ctx.db, [id])
  if (!org) throw notFound('Organization', id)
  return org
}

export async function listOrganizations(ctx: Ctx, actor: Actor, query: { q?: string; cursor?: string; limit?: number }) {
  if (!canViewContacts(actor)) throw forbidden('see organizations')
  const limit = query.limit ?? 50
  if (query.q) return { items: await presentMany(ctx.db, await searchOrganizationIds(ctx.db, ctx.dialect, query.q, limit)), nextCursor: null }
  const after = decodeCursor(query.cursor, 2)
  let q = ctx.db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1)
  if (after) q = q.where((eb) => eb.or([eb('name', '>', String(after[0])), eb.and([eb('name', '=', String(after[0])), eb('id', '>', Number(after[1]))])]))
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await presentMany(
      ctx.db,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null,
  }
}

export async function createOrganization(ctx: Ctx, actor: Actor, input: OrgInput): Promise<OrganizationDto> {
  if (!canEditContacts(actor)) throw forbidden('create organizations')
  const customFields = await validateCustomFields(ctx.db, 'organization', input.customFields)
  const t = now()
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('organizations')
      .values({
        name: input.name,
        domain: input.domain?.toLowerCase() ?? null,
        notes: input.notes ?? '',
        customFields: writeJson(customFields),
        tier: input.tier?.trim().toLowerCase() || null,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await indexOrganization(trx, ctx.dialect, row.id, input.name, input.domain ?? null)
    return row.id
  })
  return getOrganization(ctx, actor, id)
}

export async function updateOrganization(ctx: Ctx, actor: Actor, id: number, patch: Partial<OrgInput>): Promise<OrganizationDto> {
  if (!canEditContacts(actor)) throw forbidden('change organizations')
  const current = await getOrganization(ctx, actor, id)
  const customFields = patch.customFields ? { ...current.customFields, ...(await validateCustomFields(ctx.db, 'organization', patch.customFields)) } : undefined
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('organizations')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.domain !== undefined ? { domain: patch.domain?.toLowerCase() ?? null } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(customFields ? { customFields: writeJson(customFields) } : {}),
        ...(patch.tier !== undefined ? { tier: patch.tier?.trim().toLowerCase() || null } : {}),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    await indexOrganization(trx, ctx.dialect, id, patch.name ?? current.name, patch.domain !== undefined ? patch.domain : current.domain)
  })
  if (patch.tier !== undefined && (patch.tier?.trim().toLowerCase() || null) !== current.tier) await reassessOpenTicketsOf(ctx, 'organizationId', id)
  return getOrganization(ctx, actor, id)
}

/** The organization a new contact belongs to, by the domain of their email. */
export async function findOrganizationByDomain(db: Executor, email: string): Promise<number | null> {
  const domain = email.split('@')[1]?.toLowerCase()
  if (!domain) return null
  const row = await db.selectFrom('organizations').select('id').where('domain', '=', domain).orderBy('id').limit(1).executeTakeFirst()
  return row?.id ?? null
}
