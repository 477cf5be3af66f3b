import { defineConfig } from 'vitest/config'

// The whole server suite runs twice: on embedded SQLite and on PostgreSQL. Browser flows run once (SQLite), and so
// does the widget's bundle check (it needs no database).
//
// Server test files spend much of their time waiting on PostgreSQL or a child process, so two run at once even on a
// 2-core machine (vitest's default there is one); TEST_WORKERS overrides it. Browser flows run one at a time after
// them: they are timing-sensitive and each already drives a server process and Chromium.
const workers = Number(process.env.TEST_WORKERS ?? 2)
export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: 'sqlite',
          include: ['apps/server/**/*.test.ts', 'apps/widget/**/*.test.ts'],
          env: { TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: workers,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['apps/server/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: workers,
        },
      },
      { test: { name: 'e2e', include: ['e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
})
