import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Automations: ordered rules (event or time triggered) and the log of their firings. The firings serve the loop
 * guard (firings per ticket in the last hour), make a time rule fire once per ticket per period, and feed the
 * run counts. Time rules scan tickets on the existing (updated_at, id), (created_at, id) and (solved_at, id)
 * indexes from a per-rule cursor (scan_at, scan_id), so no new ticket index is needed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('automations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('schedule', jsonType(db))
    .addColumn('conditions', jsonType(db), (c) => c.notNull())
    .addColumn('actions', jsonType(db), (c) => c.notNull())
    .addColumn('run_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_fired_at', 'bigint')
    .addColumn('scan_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('scan_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('automations_trigger').on('automations').columns(['trigger', 'enabled', 'position']).execute()

  await db.schema
    .createTable('automation_firings')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('automation_id', 'integer', (c) => c.notNull().references('automations.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('automation_firings_once').on('automation_firings').columns(['automation_id', 'ticket_id', 'event_key']).unique().execute()
  await db.schema.createIndex('automation_firings_ticket').on('automation_firings').columns(['ticket_id', 'fired_at']).execute()
  await db.schema.createIndex('automation_firings_fired').on('automation_firings').columns(['fired_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('automation_firings').execute()
  await db.schema.dropTable('automations').execute()
}
