import { type Kysely, sql } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * SLA (issue 10): business-hours calendars, ordered policies, one row per ticket SLA clock, and each ticket's
 * soonest running due time (the "breaches next" list order). Open clocks are found by partial indexes on their
 * due and warning times, so the minute scan and the list sort stay index lookups at a million tickets.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_calendars')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('week', jsonType(db), (c) => c.notNull())
    .addColumn('holidays', jsonType(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('sla_policies')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('conditions', jsonType(db), (c) => c.notNull())
    .addColumn('targets', jsonType(db), (c) => c.notNull())
    .addColumn('calendar_id', 'integer', (c) => c.references('sla_calendars.id').onDelete('restrict'))
    .addColumn('warn_percent', 'integer', (c) => c.notNull().defaultTo(80))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sla_policies_by_position').on('sla_policies').columns(['position', 'id']).execute()
  await db.schema
    .createTable('sla_timers')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'integer', (c) => c.references('sla_policies.id').onDelete('set null'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer')
    .addColumn('calendar', jsonType(db))
    .addColumn('target_ms', 'bigint', (c) => c.notNull())
    .addColumn('warn_ms', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('warn_at', 'bigint')
    .addColumn('paused_at', 'bigint')
    .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('achieved_at', 'bigint')
    .addColumn('breached_at', 'bigint')
    .addColumn('warned_at', 'bigint')
    .execute()
  await db.schema.createIndex('sla_timers_by_ticket').on('sla_timers').columns(['ticket_id', 'metric']).execute()
  // The scanner's two questions: which running clocks passed their due time, which passed their warning time.
  await db.schema
    .createIndex('sla_timers_running_due')
    .on('sla_timers')
    .column('due_at')
    .where(sql.ref('achieved_at'), 'is', null)
    .where(sql.ref('breached_at'), 'is', null)
    .where(sql.ref('due_at'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('sla_timers_running_warn')
    .on('sla_timers')
    .column('warn_at')
    .where(sql.ref('achieved_at'), 'is', null)
    .where(sql.ref('warned_at'), 'is', null)
    .where(sql.ref('warn_at'), 'is not', null)
    .execute()
  // Reports count outcomes in a period. Partial, so that no planner takes them for the scanner's "IS NULL" terms.
  await db.schema.createIndex('sla_timers_by_achieved').on('sla_timers').column('achieved_at').where(sql.ref('achieved_at'), 'is not', null).execute()
  await db.schema.createIndex('sla_timers_by_breached').on('sla_timers').column('breached_at').where(sql.ref('breached_at'), 'is not', null).execute()
  await db.schema
    .createTable('sla_ticket_due')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sla_ticket_due_order').on('sla_ticket_due').columns(['due_at', 'ticket_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_ticket_due').execute()
  await db.schema.dropTable('sla_timers').execute()
  await db.schema.dropTable('sla_policies').execute()
  await db.schema.dropTable('sla_calendars').execute()
}
