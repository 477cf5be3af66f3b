import { type Kysely, sql } from 'kysely'

/**
 * Report facts: one row per solve cycle of a ticket (a still-open cycle is a fact too) and one row per
 * person who took part in a cycle (replied, reviewed a held reply, answered a consult). Recomputed per
 * ticket from its own rows, so no foreign keys: the old facts must outlive a deleted ticket long enough
 * to be subtracted from the rollups.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_cycles')
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('first_response_at', 'bigint')
    .addColumn('first_response_seconds', 'integer')
    .addColumn('solved_at', 'bigint')
    .addColumn('resolution_seconds', 'integer')
    .addColumn('replies', 'integer', (c) => c.notNull())
    .addColumn('reviewed_replies', 'integer', (c) => c.notNull())
    .addColumn('reopened', 'integer', (c) => c.notNull())
    .addColumn('is_open', 'integer', (c) => c.notNull())
    .addColumn('waiting_since', 'bigint')
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('team_id', 'integer')
    .addColumn('assignee_id', 'integer')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('category_id', 'integer')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('csat_sent', 'integer', (c) => c.notNull())
    .addColumn('csat_score', 'integer')
    .addPrimaryKeyConstraint('report_cycles_pk', ['ticket_id', 'cycle'])
    .execute()
  // "Waiting longer than X" counts: index ranges over open cycles, overall and per scope.
  await db.schema.createIndex('report_cycles_waiting').on('report_cycles').columns(['is_open', 'waiting_since']).execute()
  await db.schema.createIndex('report_cycles_waiting_inbox').on('report_cycles').columns(['inbox_id', 'is_open', 'waiting_since']).execute()
  await db.schema.createIndex('report_cycles_waiting_team').on('report_cycles').columns(['team_id', 'is_open', 'waiting_since']).execute()

  await db.schema
    .createTable('report_cycle_responders')
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('replied', 'integer', (c) => c.notNull())
    .addColumn('reviewed', 'integer', (c) => c.notNull())
    .addColumn('consulted', 'integer', (c) => c.notNull())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('trust_level', 'text', (c) => c.notNull())
    .addColumn('replies', 'integer', (c) => c.notNull())
    .addColumn('reviewed_replies', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_cycle_responders_pk', ['ticket_id', 'cycle', 'user_id'])
    .execute()

  // A workspace that already has tickets gets their facts computed by the drain job after the upgrade.
  await sql`INSERT INTO report_dirty_tickets (ticket_id, marked_at) SELECT id, 0 FROM tickets`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_cycle_responders').execute()
  await db.schema.dropTable('report_cycles').execute()
}
