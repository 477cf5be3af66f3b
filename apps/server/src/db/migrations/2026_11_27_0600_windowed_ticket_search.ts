import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

/**
 * PostgreSQL ticket search reads the newest matches through an id window (platform/search.ts). With `t.id > minId`
 * as a plain filter the planner, which underestimates how often words occur together ("pin" and "blocked" in 14,000
 * tickets where it expects 500), fetched every match of the whole table and dropped those outside the window: 13,787
 * heap pages for 1,158 rows at a million tickets. The id buckets in the index itself (10,000 and 100,000 ids wide:
 * see TICKET_ID_BUCKETS) let one GIN scan intersect the words with the window: 1,236 pages. SQLite's FTS5 needs none.
 * The new index serves the previous release's plain `search_vector @@` queries too (its first column), so nodes of
 * both releases can run during the upgrade. Building it blocks writes to tickets meanwhile: 22 s at a million tickets
 * on the 2-core bench machine.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return
  await sql`DROP INDEX tickets_search`.execute(db)
  await sql`CREATE INDEX tickets_search ON tickets USING GIN (search_vector, (ARRAY[id / 10000, 1000000 + id / 100000]))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return
  await sql`DROP INDEX tickets_search`.execute(db)
  await sql`CREATE INDEX tickets_search ON tickets USING GIN (search_vector)`.execute(db)
}
