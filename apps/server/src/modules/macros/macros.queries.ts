import type { MacroActions, MacroDto, MacroScope } from '@allhands/contract'
import { sql } from 'kysely'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import { canEditMacro } from './macros.policy.ts'

export async function findMacroRow(db: Executor, id: number) {
  return db.selectFrom('macros').selectAll().where('id', '=', id).executeTakeFirst()
}
export type MacroRow = NonNullable<Awaited<ReturnType<typeof findMacroRow>>>

const likeWord = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * The macros a person may use: their own personal ones and the shared ones (only the approved shared ones for
 * contributors), most used first, then by name. A workspace has hundreds of macros at most, one page holds them.
 */
export async function listUsableMacroRows(db: Executor, actor: Actor, opts: { q?: string; limit: number }): Promise<MacroRow[]> {
  let q = db.selectFrom('macros').selectAll()
  if (actor.role === 'contributor') q = q.where('scope', '=', 'shared').where('approvedForContributors', '=', 1)
  else q = q.where((eb) => eb.or([eb('scope', '=', 'shared'), eb.and([eb('scope', '=', 'personal'), eb('ownerId', '=', actor.id)])]))
  const words = (opts.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)
  for (const w of words) q = q.where(sql<boolean>`lower(name) like ${likeWord(w)} escape '\\'`)
  return q.orderBy('usageCount', 'desc').orderBy(sql`lower(name)`).orderBy('id').limit(opts.limit).execute()
}

/** Counts one use of a macro (applied to a ticket). */
export async function countMacroUse(db: Executor, id: number): Promise<void> {
  await db
    .updateTable('macros')
    .set((eb) => ({ usageCount: eb('usageCount', '+', 1), lastUsedAt: now() }))
    .where('id', '=', id)
    .execute()
}

/** Rows as DTOs, with owner and author names in one read, and whether the viewer may edit each. */
export async function presentMacros(db: Executor, actor: Actor, rows: MacroRow[]): Promise<MacroDto[]> {
  const userIds = [...new Set(rows.flatMap((r) => [r.ownerId, r.createdById]).filter((v): v is number => v !== null))]
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []
  const ref = (id: number | null) => {
    const u = id === null ? undefined : users.find((x) => x.id === id)
    return u ? { id: u.id, name: u.name } : null
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    bodyHtml: r.bodyHtml,
    actions: readJson<MacroActions>(r.actions, {}),
    scope: r.scope as MacroScope,
    owner: ref(r.ownerId),
    approvedForContributors: !!r.approvedForContributors,
    usageCount: r.usageCount,
    lastUsedAt: r.lastUsedAt,
    createdBy: ref(r.createdById),
    canEdit: canEditMacro(actor, r),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }))
}
