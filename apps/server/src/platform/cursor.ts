import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import { badRequest } from './errors.ts'

/** Opaque keyset cursors: base64url of the sort key of the last row returned. */
export function encodeCursor(parts: (number | string)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, arity: number): (number | string)[] | null {
  if (!cursor) return null
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'number' || typeof p === 'string')) return parts
  } catch {}
  throw badRequest('cursor is not valid')
}

/**
 * The rows after a keyset cursor on (key, id), both sorted in `order`. For newest first that is
 * `key < at OR (key = at AND id < lastId)`, written as `key <= at AND (key < at OR id < lastId)` so the planner sees a
 * plain range on the sort column and walks its index from the cursor. With the OR alone SQLite gathers every row
 * before the cursor and sorts them, or picks another index altogether (the CSAT scan at 100k tickets: 115 ms instead
 * of 0.5 ms; an inbox page 500 rows deep: 1.6 ms instead of 0.08 ms, growing with the depth).
 */
export function afterCursor(eb: ExpressionBuilder<any, any>, key: string, id: string, order: 'asc' | 'desc', at: number, lastId: number): Expression<SqlBool> {
  const [past, pastOrEqual] = order === 'desc' ? (['<', '<='] as const) : (['>', '>='] as const)
  return eb.and([eb(key, pastOrEqual, at), eb.or([eb(key, past, at), eb(id, past, lastId)])])
}
