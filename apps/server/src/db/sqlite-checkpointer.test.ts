import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { TEST_DB } from '../../test/helpers.ts'
import { openDatabase } from './database.ts'

describe.skipIf(TEST_DB !== 'sqlite')('SQLite checkpoints on a worker thread', () => {
  it('copies committed pages from the log into the database file without the writer, and leaves no log behind on close', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-ckpt-'))
    const file = path.join(dataDir, 'allhands.db')
    const database = openDatabase({ databaseUrl: null, dataDir })
    try {
      await sql`create table filler (id integer primary key, body blob not null)`.execute(database.db)
      // 4 MB in 40 commits: far below the writer's own backstop (64 MB), so only the worker copies it into the file.
      for (let i = 0; i < 40; i++) await sql`insert into filler (body) values (randomblob(100000))`.execute(database.db)
      const deadline = Date.now() + 10_000
      while (fs.statSync(file).size < 4_000_000 && Date.now() < deadline) await sleep(100)
      expect(fs.statSync(file).size).toBeGreaterThanOrEqual(4_000_000)
      expect((await sql<{ n: number }>`select count(*) as n from filler`.execute(database.db)).rows[0]?.n).toBe(40)
    } finally {
      await database.close()
    }
    expect(fs.existsSync(`${file}-wal`)).toBe(false)
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
})
