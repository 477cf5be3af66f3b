import type { SelectQueryBuilder } from 'kysely'
import type { Executor } from './context.ts'

/**
 * Counts the rows `query` selects, stopping at `cap + 1`: a count past the cap would read a whole index range at a
 * million tickets, so callers show "cap+" instead. Returned as a query so plan tests can compile it.
 */
export const cappedCountQuery = (db: Executor, query: SelectQueryBuilder<any, any, any>, cap: number) =>
  db.selectFrom(query.limit(cap + 1).as('capped')).select((eb) => eb.fn.countAll<number>().as('n'))

export async function countUpTo(db: Executor, query: SelectQueryBuilder<any, any, any>, cap: number): Promise<number> {
  const row = await cappedCountQuery(db, query, cap).executeTakeFirst()
  return Number(row?.n ?? 0)
}
