import type { TicketFilters, ViewDto, ViewInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAdminister } from '../../platform/policy.ts'
import { applyTicketFilters } from './tickets.queries.ts'
import { countUpTo } from '../../platform/capped-count.ts'

const OPEN = 'new,open,pending,on_hold'
export const BUILTIN_VIEWS: { id: string; name: string; filters: TicketFilters; staffOnly?: boolean }[] = [
  { id: 'unassigned', name: 'Unassigned', filters: { assignee: 'none', status: 'new,open' } },
  { id: 'mine', name: 'Mine', filters: { assignee: 'me', status: OPEN }, staffOnly: true },
  { id: 'my_team', name: 'My team', filters: { team: 'mine', status: OPEN } },
  { id: 'all_open', name: 'All open', filters: { status: 'new,open' } },
  { id: 'pending', name: 'Pending', filters: { status: 'pending' } },
  { id: 'solved', name: 'Solved', filters: { status: 'solved' } },
]

/** Counting stops here: past it the UI shows "10,000+" and the count stays cheap at a million tickets. */
export const COUNT_CAP = 10_000

async function countTickets(ctx: Ctx, actor: Actor, filters: TicketFilters): Promise<number> {
  return countUpTo(ctx.db, applyTicketFilters(ctx.db.selectFrom('tickets').select(['tickets.id', 'tickets.updatedAt']), ctx.dialect, actor, filters), COUNT_CAP)
}

/** The filters of a built-in or saved view the actor may use. */
export async function resolveViewFilters(ctx: Ctx, actor: Actor, id: string): Promise<TicketFilters> {
  const builtin = BUILTIN_VIEWS.find((v) => v.id === id)
  if (builtin) return builtin.filters
  const n = Number(id)
  if (!Number.isInteger(n) || n < 1) throw notFound('View', id)
  const row = await ctx.db.selectFrom('views').selectAll().where('id', '=', n).executeTakeFirst()
  if (!row || (row.userId !== actor.id && !row.shared)) throw notFound('View', id)
  return readJson(row.filters, {})
}

export async function listViews(ctx: Ctx, actor: Actor): Promise<ViewDto[]> {
  const saved = await ctx.db
    .selectFrom('views')
    .selectAll()
    .where((eb) => eb.or([eb('userId', '=', actor.id), eb('shared', '=', 1)]))
    .orderBy('name')
    .execute()
  const all = [
    ...BUILTIN_VIEWS.map((v) => ({ id: v.id, name: v.name, builtin: true, shared: true, filters: v.filters })),
    ...saved.map((v) => ({ id: String(v.id), name: v.name, builtin: false, shared: !!v.shared, filters: readJson<TicketFilters>(v.filters, {}) })),
  ]
  return Promise.all(all.map(async (v) => ({ ...v, count: await countTickets(ctx, actor, v.filters) })))
}

async function getOwnView(ctx: Ctx, actor: Actor, id: string) {
  const n = Number(id)
  const row = Number.isInteger(n) && n > 0 ? await ctx.db.selectFrom('views').selectAll().where('id', '=', n).executeTakeFirst() : undefined
  if (!row || (row.userId !== actor.id && !row.shared)) throw notFound('View', id)
  if (row.userId !== actor.id && !canAdminister(actor)) throw forbidden('change a view someone else shared')
  return row
}

async function presentView(ctx: Ctx, actor: Actor, id: number): Promise<ViewDto> {
  const v = await ctx.db.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const filters = readJson<TicketFilters>(v.filters, {})
  return { id: String(v.id), name: v.name, builtin: false, shared: !!v.shared, filters, count: await countTickets(ctx, actor, filters) }
}

export async function createView(ctx: Ctx, actor: Actor, input: ViewInput): Promise<ViewDto> {
  if (input.shared && !canAdminister(actor)) throw forbidden('share views with everyone')
  await countTickets(ctx, actor, input.filters) // refuses invalid filters before saving them
  const row = await ctx.db
    .insertInto('views')
    .values({ userId: actor.id, name: input.name, shared: input.shared ? 1 : 0, filters: writeJson(input.filters), createdAt: now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return presentView(ctx, actor, row.id)
}

export async function updateView(ctx: Ctx, actor: Actor, id: string, input: Partial<ViewInput>): Promise<ViewDto> {
  const row = await getOwnView(ctx, actor, id)
  if (input.shared && !canAdminister(actor)) throw forbidden('share views with everyone')
  if (input.filters) await countTickets(ctx, actor, input.filters)
  await ctx.db
    .updateTable('views')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shared !== undefined ? { shared: input.shared ? 1 : 0 } : {}),
      ...(input.filters !== undefined ? { filters: writeJson(input.filters) } : {}),
    })
    .where('id', '=', row.id)
    .execute()
  return presentView(ctx, actor, row.id)
}

export async function deleteView(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const row = await getOwnView(ctx, actor, id)
  await ctx.db.deleteFrom('views').where('id', '=', row.id).execute()
}
