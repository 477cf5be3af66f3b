import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RiskLevel, Role, TicketDto, TrustLevel } from '@allhands/contract'
import { type CompiledQuery, sql } from 'kysely'
import { afterAll, inject } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { createScratchDatabase } from '../src/db/pg-scratch.ts'
import { ensureDefaultInbox } from '../src/modules/auth/auth.service.ts'
import { insertUser } from '../src/modules/users/users.service.ts'
import { now } from '../src/platform/clock.ts'
import { PG_ADMIN_URL } from './pg-template.ts'

export const TEST_DB = (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres'

/**
 * A throwaway database of the dialect under test: a temp SQLite file or a fresh PostgreSQL database. With `migrated`,
 * PostgreSQL's is a copy of the run's migrated template (test/pg-template.ts) when there is one.
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<{ databaseUrl: string | null; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-test-'))
  if (TEST_DB !== 'postgres') return { databaseUrl: null, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
  const scratch = await createScratchDatabase(PG_ADMIN_URL, 'allhands_test', { template: opts.migrated ? inject('pgTemplate') : undefined })
  return {
    databaseUrl: scratch.url,
    dataDir,
    drop: async () => {
      await scratch.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>

/** A migrated app on its own database, closed after the file's tests. */
export async function buildTestApp(env: Record<string, string> = {}) {
  const target = await createTestDatabase({ migrated: true })
  const config = loadConfig({ DATA_DIR: target.dataDir, ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}), LOG_LEVEL: 'silent', ...env })
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 })
  await migrateToLatest(database.db)
  const app = await buildApp(config, database, { logger: false })
  await app.ready()
  afterAll(async () => {
    await app.close()
    await database.close()
    await target.drop()
  })
  return app
}

let seq = 0
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`

/** A user of the given role with a session; returns the cookie header to act as them. */
export async function buildUser(app: TestApp, opts: { role?: Role; teamIds?: number[]; name?: string } = {}) {
  const email = `${unique('user')}@example.test`
  const password = 'correct horse battery'
  await ensureDefaultInbox(app.ctx.db)
  const id = await insertUser(app.ctx.db, { email, name: opts.name ?? email.split('@')[0]!, role: opts.role ?? 'agent', password })
  for (const teamId of opts.teamIds ?? []) await app.ctx.db.insertInto('teamMembers').values({ teamId, userId: id }).execute()
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === 'allhands_session')!
  return { id, email, password, headers: { cookie: `allhands_session=${cookie.value}` } }
}

export async function buildTeam(app: TestApp, name = unique('Team ')) {
  const row = await app.ctx.db.insertInto('teams').values({ name, createdAt: Date.now() }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function buildTicket(app: TestApp, as: { headers: Record<string, string> }, overrides: Record<string, unknown> = {}): Promise<TicketDto> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: as.headers,
    payload: {
      subject: unique('Card not working '),
      body: 'My card was declined at the shop yesterday.',
      requester: { email: `${unique('cust')}@customer.test`, name: 'Casey Customer' },
      ...overrides,
    },
  })
  if (res.statusCode !== 201) throw new Error(`ticket create failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Puts a person on a shift from now for `ms` (directly, for tests of what a shift allows). */
export async function putOnShift(app: TestApp, userId: number, opts: { ms?: number; reviewRequired?: boolean } = {}) {
  const t = now()
  const row = await app.ctx.db
    .insertInto('shifts')
    .values({
      rotationId: null,
      userId,
      startsAt: t - 1000,
      endsAt: t + (opts.ms ?? 3600_000),
      startedAt: null,
      endedAt: null,
      reviewRequired: opts.reviewRequired ? 1 : 0,
      createdAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Sets a person's trust level and clearance directly (the admin API does the same, with an audit entry). */
export async function setParticipation(app: TestApp, userId: number, p: { trustLevel?: TrustLevel; clearance?: RiskLevel }) {
  await app.ctx.db.updateTable('users').set(p).where('id', '=', userId).execute()
}

/**
 * The plan the database would run `query` with, as text. On PostgreSQL sequential scans are disabled for the
 * check, so the planner shows whether a usable index exists even on a small test table.
 */
export async function queryPlan(app: TestApp, query: CompiledQuery): Promise<string> {
  return app.ctx.db.connection().execute(async (conn) => {
    if (TEST_DB === 'postgres') {
      await sql`SET enable_seqscan = off`.execute(conn)
      const rows = await conn.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `EXPLAIN ${query.sql}` })
      await sql`RESET enable_seqscan`.execute(conn)
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
    }
    const rows = await conn.executeQuery<{ detail: string }>({ ...query, sql: `EXPLAIN QUERY PLAN ${query.sql}` })
    return rows.rows.map((r) => r.detail).join('\n')
  })
}
