import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { createScratchDatabase } from '../src/db/pg-scratch.ts'

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
  const template = await createScratchDatabase(PG_ADMIN_URL, 'allhands_test_template')
  const database = openDatabase({ databaseUrl: template.url, dataDir: '', poolSize: 1 })
  try {
    await migrateToLatest(database.db)
  } finally {
    await database.close()
  }
  project.provide('pgTemplate', template.name)
  return template.drop
}
