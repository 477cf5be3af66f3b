import type { ImportMapping } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import type { Executor } from '../../platform/context.ts'

export async function findImportRow(db: Executor, id: number) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst()
}
export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImportRow>>>

/** One page of imports, newest first, by primary key. */
export function listImportRows(db: Executor, q: { before: number | null; limit: number }) {
  let query = db.selectFrom('imports').selectAll()
  if (q.before) query = query.where('id', '<', q.before)
  return query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
}

/** Moves an import from one of `from` to `to`; false when it was in another state (a double click, a race). */
export async function transitionImport(
  db: Executor,
  id: number,
  from: string[],
  to: string,
  extra: { startedAt?: number; finishedAt?: number | null; error?: string | null } = {},
) {
  const res = await db
    .updateTable('imports')
    .set({ status: to, ...extra, updatedAt: now() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export function findExternalRow(db: Executor, source: string, kind: string, externalId: string) {
  return db
    .selectFrom('importExternalIds')
    .select(['localId', 'label'])
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('externalId', '=', externalId)
    .executeTakeFirst()
}

/** The local id an external record (a Zendesk ticket, a Freshdesk contact …) was imported as. */
export async function findExternalId(db: Executor, source: string, kind: string, externalId: string): Promise<number | undefined> {
  return (await findExternalRow(db, source, kind, externalId))?.localId ?? undefined
}

export async function rememberExternalId(
  db: Executor,
  source: string,
  kind: string,
  externalId: string,
  localId: number | null,
  at: number,
  label: string | null = null,
) {
  await db
    .insertInto('importExternalIds')
    .values({ source, kind, externalId, localId, label, createdAt: at })
    .onConflict((oc) => oc.columns(['source', 'kind', 'externalId']).doUpdateSet({ localId, label }))
    .execute()
}

/**
 * The CSV mapping is kept as [column, field] pairs, not as an object: column names are the file's own, and the
 * CamelCasePlugin would rename an object's keys ("first_name" → "firstName") when PostgreSQL returns jsonb.
 */
export const writeMapping = (mapping: ImportMapping) => writeJson(Object.entries(mapping))
export const readMapping = (value: unknown): ImportMapping => Object.fromEntries(readJson<[string, string][]>(value, []))
