import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/helpers.ts'
import { type Database, openDatabase } from './database.ts'

/** camelCase names in queries reach the database in snake_case, and rows come back in camelCase, on both dialects. */
describe('camelCase ↔ snake_case naming', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>
  let database: Database
  let db: Kysely<any>

  beforeAll(async () => {
    target = await createTestDatabase()
    database = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 1 })
    db = database.db as unknown as Kysely<any>
    await sql`CREATE TABLE mail_notes (note_id integer PRIMARY KEY, first_line text NOT NULL, meta_json text)`.execute(db)
  })
  afterAll(async () => {
    await database.close()
    await target.drop()
  })

  it('writes tables, columns and aliases in snake_case', () => {
    const compiled = db
      .selectFrom('mailNotes as recentNotes')
      .select(['recentNotes.noteId', 'firstLine as openingLine'])
      .where('metaJson', 'is not', null)
      .orderBy('recentNotes.noteId')
      .compile()
    expect(compiled.sql).toMatch(/from "mail_notes" as "recent_notes"/)
    expect(compiled.sql).toMatch(/select "recent_notes"\."note_id", "first_line" as "opening_line"/)
    expect(compiled.sql).toMatch(/where "meta_json" is not null order by "recent_notes"\."note_id"/)
  })

  it('inserts, updates and reads through camelCase names and returns camelCase keys', async () => {
    await db.insertInto('mailNotes').values({ noteId: 1, firstLine: 'Hello', metaJson: null }).execute()
    await db.updateTable('mailNotes').set({ metaJson: '{"a_b":1}' }).where('noteId', '=', 1).execute()
    const rows = await db.selectFrom('mailNotes').select(['noteId', 'firstLine as openingLine', 'metaJson']).execute()
    expect(rows).toEqual([{ noteId: 1, openingLine: 'Hello', metaJson: '{"a_b":1}' }])
    // Raw SQL's result columns are camelCased too; a reference by sql.ref is snake_cased like any other.
    const raw = await sql<{ firstLine: string }>`SELECT ${sql.ref('firstLine')} FROM mail_notes`.execute(db)
    expect(raw.rows).toEqual([{ firstLine: 'Hello' }])
  })
})
