import { type Kysely, sql } from 'kysely'
import { isPostgres } from './helpers.ts'

/** The audit log is append-only in the database itself: UPDATE, DELETE (and TRUNCATE on PostgreSQL) are refused. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db)
    return
  }
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER audit_log_no_truncate ON audit_log`.execute(db)
    await sql`DROP TRIGGER audit_log_no_change ON audit_log`.execute(db)
    await sql`DROP FUNCTION audit_log_append_only()`.execute(db)
    return
  }
  await sql`DROP TRIGGER audit_log_no_delete`.execute(db)
  await sql`DROP TRIGGER audit_log_no_update`.execute(db)
}
