import { type Kysely, sql } from 'kysely'

/**
 * The dead-letter view lists dead jobs newest failure first, all kinds or one, and counts them by kind. Partial
 * indexes hold only dead rows, so the hot path (queue, claim, finish) never touches them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const dead = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('jobs').columns(columns).where(sql.ref('status'), '=', sql.lit('dead')).execute()
  await dead('jobs_dead', ['updated_at', 'id'])
  await dead('jobs_dead_by_name', ['name', 'updated_at', 'id'])
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_dead_by_name').execute()
  await db.schema.dropIndex('jobs_dead').execute()
}
