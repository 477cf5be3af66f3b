import { defineConfig } from 'vitest/config'

// The whole server suite runs twice: on embedded SQLite and on PostgreSQL. Browser flows run once (SQLite), and so
// does the widget's bundle check (it needs no database).
//
// Server test files spend much of their time waiting on PostgreSQL or a child process, so two run at once even on a
// 2-core machine (vitest's default there is one); TEST_WORKERS overrides it. Browser flows run one at a time after
// them: they are timing-sensitive and each already drives a server process and Chromium.
//
// Server test files run without isolation: a worker imports the app's ~400 modules once instead of once per file
// (`npm test` on the 2-core machine: 16 → 12 minutes, the browser flows unchanged at about 7). Module state is
// therefore shared between the files of a worker: each app keeps its state per database (platform/cache.ts), test
// helpers create what they close per file, and test/setup.ts puts the clock back after each file.
const workers = Number(process.env.TEST_WORKERS ?? 2)
const server = { isolate: false, setupFiles: ['apps/server/test/setup.ts'], testTimeout: 30_000, hookTimeout: 60_000, maxWorkers: workers }
export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: 'sqlite',
          include: ['apps/server/**/*.test.ts', 'apps/widget/**/*.test.ts'],
          env: { TEST_DB: 'sqlite' },
          ...server,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['apps/server/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['apps/server/test/pg-template.ts'],
          ...server,
        },
      },
      // A browser flow that fails is run once more (its first failure still prints what the browser showed, see
      // e2e/harness.ts): on a loaded 2-core CI machine a rare timing flake must not hide every other result.
      { test: { name: 'e2e', include: ['e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false, retry: 1 } },
    ],
  },
})
