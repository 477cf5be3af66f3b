import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PostgreSQL database the test databases of this run are copied from (see createTestDatabase). */
    pgTemplate: string
  }
}

/**
 * Global setup of the PostgreSQL project: migrates one database for the whole run; each test file's database is a
 * copy of it (CREATE DATABASE … TEMPLATE, ~0.1 s) instead of a fresh database migrated again (~0.6 s a file). Dropped
 * when the run ends.
 */
export default async function setup(project: TestProject) {
  const name = `allhands_test_template_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  const database = openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 })
  try {
    await migrateToLatest(database.db)
  } finally {
    await database.close()
  }
  project.provide('pgTemplate', name)
  return () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(text)
  } finally {
    await admin.end()
  }
}
