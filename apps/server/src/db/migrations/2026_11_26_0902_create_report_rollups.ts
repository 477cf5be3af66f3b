import type { Kysely } from 'kysely'

/** Buckets of the duration histograms (bounds in modules/reports/reports.metrics.ts; the last is open-ended). */
const BUCKETS = 12

/**
 * Daily rollups, the only thing report requests read: per UTC day (days since 1970-01-01) × scope
 * (`all`, `inbox:<id>`, `team:<id>`) × dimension × key, additive sums only, so a ticket's recomputation
 * subtracts its old contribution and adds the new one. Keyed for range reads of one scope and dimension.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable('report_rollups')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
  for (const col of ['created', 'opened', 'solved', 'replies', 'reviewed_replies', 'reopened', 'backlog', 'csat_sent', 'csat_rated', 'csat_positive'])
    table = table.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0))
  for (const metric of ['fr', 'res']) {
    table = table.addColumn(`${metric}_count`, 'integer', (c) => c.notNull().defaultTo(0))
    table = table.addColumn(`${metric}_sum`, 'bigint', (c) => c.notNull().defaultTo(0))
    for (let i = 0; i < BUCKETS; i++) table = table.addColumn(`${metric}_h${i}`, 'integer', (c) => c.notNull().defaultTo(0))
  }
  await table.addPrimaryKeyConstraint('report_rollups_pk', ['scope', 'dim', 'day', 'key']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_rollups').execute()
}
