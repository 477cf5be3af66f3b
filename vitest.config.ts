import { defineConfig } from 'vitest/config'

// The whole server suite runs twice: on embedded SQLite and on PostgreSQL. Browser flows run once (SQLite), and so
// does the widget's bundle check (it needs no database).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'sqlite',
          include: ['apps/server/**/*.test.ts', 'apps/widget/**/*.test.ts'],
          env: { TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'postgres', include: ['apps/server/**/*.test.ts'], env: { TEST_DB: 'postgres' }, testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'e2e', include: ['e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
})
