import type { Kysely } from 'kysely'
import { idColumn, idType, jsonType } from './helpers.ts'

/**
 * Rotation programs (recurring, onboarding, all-hands windows), who is enrolled in them (people or whole
 * teams), the generated shifts' slot (the person originally planned, so a swap or a removal survives
 * regeneration), reminders sent, and shift swaps between colleagues.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rotations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('oncall_team_id', 'integer', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('quota_per_year', 'integer')
    .addColumn('swap_requires_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminder_lead_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('schedule', jsonType(db), (c) => c.notNull())
    .addColumn('snippets', jsonType(db), (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rotations_by_oncall_team').on('rotations').column('oncall_team_id').execute()

  await db.schema
    .createTable('rotation_members')
    .addColumn('rotation_id', 'integer', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('member_type', 'text', (c) => c.notNull())
    .addColumn('member_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rotation_members_pk', ['rotation_id', 'member_type', 'member_id'])
    .execute()

  await db.schema.alterTable('shifts').addColumn('planned_user_id', 'integer').execute()
  await db.schema.alterTable('shifts').addColumn('reminded_at', 'bigint').execute()
  // One generated shift per rotation, planned person and start: regeneration never duplicates.
  await db.schema.createIndex('shifts_by_rotation_slot').on('shifts').columns(['rotation_id', 'planned_user_id', 'starts_at']).unique().execute()
  await db.schema.createIndex('shifts_by_start').on('shifts').columns(['starts_at']).execute()
  await db.schema.createIndex('shifts_by_rotation_end').on('shifts').columns(['rotation_id', 'ends_at']).execute()

  // Generated shifts an admin removed: regeneration leaves those slots empty.
  await db.schema
    .createTable('shift_skips')
    .addColumn('rotation_id', 'integer', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('shift_skips_pk', ['rotation_id', 'user_id', 'starts_at'])
    .execute()

  await db.schema
    .createTable('shift_swaps')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('shift_id', 'integer', (c) => c.notNull().references('shifts.id').onDelete('cascade'))
    .addColumn('from_user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('to_user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('decided_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute()
  await db.schema.createIndex('shift_swaps_by_shift').on('shift_swaps').columns(['shift_id', 'status']).execute()
  await db.schema.createIndex('shift_swaps_by_to').on('shift_swaps').columns(['to_user_id', 'status']).execute()
  await db.schema.createIndex('shift_swaps_by_from').on('shift_swaps').columns(['from_user_id', 'status']).execute()
  await db.schema.createIndex('shift_swaps_by_status').on('shift_swaps').columns(['status', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shift_swaps').execute()
  await db.schema.dropTable('shift_skips').execute()
  for (const i of ['shifts_by_rotation_end', 'shifts_by_start', 'shifts_by_rotation_slot']) await db.schema.dropIndex(i).execute()
  for (const c of ['reminded_at', 'planned_user_id']) await db.schema.alterTable('shifts').dropColumn(c).execute()
  await db.schema.dropTable('rotation_members').execute()
  await db.schema.dropTable('rotations').execute()
}
