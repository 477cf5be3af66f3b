import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { createTestDatabase, unique } from './helpers.ts'

/** Several nodes in this process on one database and one Redis (a prefix of their own), each listening on a port. */
export async function buildNodes(count: number, env: Record<string, string> = {}) {
  const target = await createTestDatabase()
  const shared = {
    DATA_DIR: target.dataDir,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    LOG_LEVEL: 'silent',
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: unique('allhands-test-'),
    ...env,
  }
  const nodes: { app: Awaited<ReturnType<typeof buildApp>>; base: string; database: ReturnType<typeof openDatabase> }[] = []
  for (let i = 0; i < count; i++) {
    const config = loadConfig(shared)
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 })
    if (i === 0) await migrateToLatest(database.db)
    const app = await buildApp(config, database, { logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    nodes.push({ app, base, database })
  }
  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close()
      await n.database.close()
    }
    await target.drop()
  })
  // Both buses connected and every node subscribed: what one publishes from now on reaches the others.
  for (let waited = 0; !nodes.every((n) => n.app.ctx.bus.status() === 'ok'); waited += 50) {
    if (waited > 5000) throw new Error('the nodes did not connect to Redis')
    await new Promise((r) => setTimeout(r, 50))
  }
  return nodes
}
