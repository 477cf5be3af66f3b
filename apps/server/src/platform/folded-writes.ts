import type { Compilable, QueryCreator } from 'kysely'
import { isPostgres } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { Executor } from './context.ts'

/** An insert, update or delete whose result nobody reads. */
export type Write = Compilable & { execute(): Promise<unknown> }

/**
 * Runs writes nobody reads the result of as part of the statement the caller runs next, built from what this returns:
 * on PostgreSQL they become data-modifying CTEs of that statement, one round trip instead of one per write (they run
 * once each whether or not the statement refers to them, and see the data as it was before it); on SQLite, which has
 * no such CTEs and no round trips, they run first, in order. The caller must run that statement. Build the writes on
 * `db` itself (the transaction): on SQLite a write on another executor would wait for the transaction's connection.
 */
export async function foldingWrites(db: Executor, writes: readonly (Write | null)[]): Promise<QueryCreator<DB>> {
  const due = writes.filter((w): w is Write => w !== null)
  if (!due.length) return db
  if (!isPostgres(db)) {
    for (const write of due) await write.execute()
    return db
  }
  let creator: QueryCreator<any> = db
  due.forEach((write, i) => {
    creator = creator.with(`folded_write_${i}`, () => write as never)
  })
  return creator as QueryCreator<DB>
}
