import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { create, extract, list } from 'tar'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser, createTestDatabase, TEST_DB, type TestApp } from '../../../test/helpers.ts'
import { buildApp } from '../../app.ts'
import { loadConfig } from '../../config.ts'
import { openDatabase } from '../../db/database.ts'

const root = path.resolve(import.meta.dirname, '../../../../..')
const cli = path.join(root, 'apps/server/bin/allhands.mjs')
type Target = { dataDir: string; databaseUrl: string | null }

/** Environment of an operator's shell pointed at one deployment. */
function envFor(target: Target): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env
  return { ...env, DATA_DIR: target.dataDir, ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}), LOG_LEVEL: 'warn' }
}

const allhands = (target: Target, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { env: envFor(target), encoding: 'utf8' })

/** Runs the line of the CLI's output that starts with `command` exactly as printed, in a shell. */
function runPrinted(output: string, command: 'pg_dump' | 'pg_restore') {
  const line = output.split('\n').find((l) => l.startsWith(`  ${command} --`))
  expect(line, `${command} command in:\n${output}`).toBeDefined()
  return spawnSync('sh', ['-c', line!.trim()], { encoding: 'utf8' })
}

async function uploadFile(app: TestApp, headers: Record<string, string>, bytes: Buffer): Promise<{ id: number; url: string }> {
  const boundary = 'b0undary'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  })
  expect(res.statusCode).toBe(201)
  return res.json()
}

/** Rewrites an archive after `change` edited its extracted files, keeping the entry order. */
async function tamper(archive: string, out: string, change: (dir: string, entries: string[]) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-tamper-'))
  const entries: string[] = []
  await list({ file: archive, onReadEntry: (e) => void entries.push(e.path) })
  await extract({ file: archive, cwd: dir })
  change(dir, entries)
  await create({ gzip: true, file: out, cwd: dir }, entries)
  fs.rmSync(dir, { recursive: true, force: true })
}

const flipByte = (file: string, at: number) => {
  const bytes = fs.readFileSync(file)
  bytes[at] = bytes[at]! ^ 0xff
  fs.writeFileSync(file, bytes)
}

/** `allhands backup` and `allhands restore` as an operator runs them, against an app that stays open and writing. */
describe(`allhands backup / restore (${TEST_DB})`, async () => {
  const app = await buildTestApp()
  const source: Target = { dataDir: app.ctx.config.dataDir, databaseUrl: app.ctx.config.databaseUrl }
  const agent = await buildUser(app, { role: 'agent' })
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-backup-test-'))
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    fs.rmSync(work, { recursive: true, force: true })
  })
  const freshTarget = async () => {
    const target = await createTestDatabase()
    cleanups.push(target.drop)
    return target
  }
  const backup = (name: string) => {
    const archive = path.join(work, name)
    const res = allhands(source, 'backup', archive)
    expect(res.status, res.stderr).toBe(0)
    return { archive, stdout: res.stdout }
  }

  it('backs up while the app writes; an app started on the restored DATA_DIR serves the same tickets and files', { timeout: 180_000 }, async () => {
    const fileBytes = randomBytes(20_000)
    const upload = await uploadFile(app, agent.headers, fileBytes)
    const ticket = await buildTicket(app, agent)
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: agent.headers,
      payload: { body: 'Your statement is attached', attachmentIds: [upload.id] },
    })
    expect(reply.statusCode).toBeLessThan(300)

    // A blob from before BlobStore's one-level layout: archived where it is, restored where BlobStore now writes.
    const legacy = randomBytes(500)
    const legacyHash = createHash('sha256').update(legacy).digest('hex')
    fs.mkdirSync(path.join(source.dataDir, 'blobs', legacyHash.slice(0, 2), legacyHash.slice(2, 4)), { recursive: true })
    fs.writeFileSync(path.join(source.dataDir, 'blobs', legacyHash.slice(0, 2), legacyHash.slice(2, 4), legacyHash), legacy)

    const archive = path.join(work, 'online.tar.gz')
    const child = spawn(process.execPath, [cli, 'backup', archive], { env: envFor(source), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const exited = once(child, 'exit')
    let running = true
    void exited.then(() => (running = false))
    // The server keeps taking tickets and uploads the whole time the backup process runs.
    let writesDuring = 0
    while (running) {
      await buildTicket(app, agent)
      await uploadFile(app, agent.headers, randomBytes(2_000))
      writesDuring++
    }
    const [code] = await exited
    expect(code, stderr).toBe(0)
    expect(writesDuring).toBeGreaterThan(0)
    expect(stdout).toMatch(/^Wrote .*online\.tar\.gz/m)
    if (TEST_DB === 'postgres') {
      expect(stdout).toContain('does not copy')
      expect(stdout).toContain(`--dbname='${source.databaseUrl}'`)
      const dump = runPrinted(stdout, 'pg_dump')
      expect(dump.status, dump.stderr).toBe(0)
    } else {
      expect(stdout).toMatch(/database .*\d+ tickets/)
    }

    const fresh = await freshTarget()
    const restore = allhands(fresh, 'restore', archive)
    expect(restore.status, restore.stderr).toBe(0)
    expect(restore.stdout).toContain('every checksum matches')
    expect(fs.readFileSync(path.join(fresh.dataDir, 'blobs', legacyHash.slice(0, 2), legacyHash)).equals(legacy)).toBe(true)
    expect(fs.readdirSync(fresh.dataDir).filter((n) => n.startsWith('.restore-'))).toEqual([])
    expect(fs.readdirSync(path.join(fresh.dataDir, 'blobs')).filter((n) => n.startsWith('.restore-'))).toEqual([])
    if (TEST_DB === 'postgres') {
      expect(restore.stdout).toContain(`--dbname='${fresh.databaseUrl}'`)
      const pgRestore = runPrinted(restore.stdout, 'pg_restore')
      expect(pgRestore.status, pgRestore.stderr).toBe(0)
      const migrate = allhands(fresh, 'migrate')
      expect(migrate.status, migrate.stderr).toBe(0)
    }

    const config = loadConfig({ DATA_DIR: fresh.dataDir, ...(fresh.databaseUrl ? { DATABASE_URL: fresh.databaseUrl } : {}), LOG_LEVEL: 'silent' })
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
    const restored = await buildApp(config, database, { logger: false })
    cleanups.push(async () => {
      await restored.close()
      await database.close()
    })
    await restored.ready()
    const login = await restored.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: agent.password } })
    expect(login.statusCode).toBe(200)
    const headers = { cookie: `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')!.value}` }
    const got = await restored.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers })
    expect(got.json()).toMatchObject({ id: ticket.id, subject: ticket.subject })
    const messages = (await restored.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers })).json().items
    const attachment = messages.flatMap((m: { attachments: { url: string }[] }) => m.attachments)[0]
    expect(attachment).toBeDefined()
    const file = await restored.inject({ method: 'GET', url: attachment.url, headers })
    expect(file.statusCode).toBe(200)
    expect(file.rawPayload.equals(fileBytes)).toBe(true)

    if (TEST_DB === 'sqlite') {
      // A consistent snapshot taken mid-write, and every file its rows refer to is in the archive.
      const check = await sql<{ integrityCheck: string }>`PRAGMA integrity_check`.execute(database.db)
      expect(check.rows[0]!.integrityCheck).toBe('ok')
      const hashes = await database.db.selectFrom('attachments').select('blobHash').execute()
      expect(hashes.length).toBeGreaterThan(1)
      for (const { blobHash } of hashes) expect(fs.existsSync(path.join(fresh.dataDir, 'blobs', blobHash.slice(0, 2), blobHash))).toBe(true)
    }
  })

  it('refuses a missing, corrupt or tampered archive and leaves DATA_DIR as it was', { timeout: 180_000 }, async () => {
    const bytes = randomBytes(3_000)
    await uploadFile(app, agent.headers, bytes)
    const { archive } = backup('checked.tar.gz')
    // The archive reaches the blobs through a link in its staging directory: removing that left them where they were.
    const hash = createHash('sha256').update(bytes).digest('hex')
    expect(fs.readFileSync(path.join(source.dataDir, 'blobs', hash.slice(0, 2), hash)).equals(bytes)).toBe(true)
    const again = allhands(source, 'backup', archive)
    expect(again.status).toBe(1)
    expect(again.stderr).toContain('already exists')

    const target: Target = { dataDir: fs.mkdtempSync(path.join(work, 'target-')), databaseUrl: source.databaseUrl }
    const refuse = (file: string, reason: RegExp) => {
      const res = allhands(target, 'restore', file)
      expect(res.status, res.stdout).toBe(1)
      expect(res.stderr).toMatch(reason)
      expect(fs.readdirSync(target.dataDir)).toEqual([])
    }
    refuse(path.join(work, 'no-such.tar.gz'), /No backup archive at/)

    const garbled = path.join(work, 'garbled.tar.gz')
    fs.copyFileSync(archive, garbled)
    flipByte(garbled, Math.floor(fs.statSync(garbled).size / 2))
    refuse(garbled, /not a usable Allhands backup: it is corrupt or truncated/)

    const badBlob = path.join(work, 'bad-blob.tar.gz')
    await tamper(archive, badBlob, (dir, entries) => flipByte(path.join(dir, entries.find((e) => e.startsWith('blobs/'))!), 0))
    refuse(badBlob, /is damaged: its bytes do not match its name/)

    const noManifest = path.join(work, 'no-manifest.tar.gz')
    await tamper(archive, noManifest, (_dir, entries) => entries.splice(entries.indexOf('manifest.json'), 1))
    refuse(noManifest, /has no manifest\.json/)

    if (TEST_DB === 'sqlite') {
      const badDb = path.join(work, 'bad-db.tar.gz')
      await tamper(archive, badDb, (dir) => flipByte(path.join(dir, 'allhands.db'), 5000))
      refuse(badDb, /allhands\.db does not match the checksum in the manifest/)
      const nothing = allhands({ dataDir: path.join(work, 'empty'), databaseUrl: null }, 'backup', path.join(work, 'nothing.tar.gz'))
      expect(nothing.status).toBe(1)
      expect(nothing.stderr).toContain('There is no database at')
    }
  })

  if (TEST_DB === 'sqlite') {
    it('refuses to replace an existing database without --force, and moves it aside with --force', { timeout: 180_000 }, async () => {
      const { archive } = backup('replace.tar.gz')
      const target = await freshTarget()
      const created = allhands(target, 'user', 'create', '--email', 'keep@ops.test', '--password', 'keep password')
      expect(created.status, created.stderr).toBe(0)
      const emails = (file: string) => {
        const db = new SQLite(file, { readonly: true })
        const rows = db.prepare('SELECT email FROM users').all() as { email: string }[]
        db.close()
        return rows.map((r) => r.email)
      }
      const dbFile = path.join(target.dataDir, 'allhands.db')

      const refused = allhands(target, 'restore', archive)
      expect(refused.status).toBe(1)
      expect(refused.stderr).toMatch(/already holds a database .*--force/)
      expect(emails(dbFile)).toEqual(['keep@ops.test'])

      const forced = allhands(target, 'restore', archive, '--force')
      expect(forced.status, forced.stderr).toBe(0)
      const aside = /moved to (\S+);/.exec(forced.stdout)?.[1]
      expect(aside).toBeDefined()
      expect(emails(path.join(aside!, 'allhands.db'))).toEqual(['keep@ops.test'])
      expect(emails(dbFile)).toContain(agent.email)
      expect(emails(dbFile)).not.toContain('keep@ops.test')
      expect(fs.readdirSync(target.dataDir).filter((n) => n.startsWith('.restore-'))).toEqual([])
    })
  } else {
    it('restores only the files onto PostgreSQL, keeps those already there and leaves the database to pg_restore', { timeout: 180_000 }, async () => {
      const { archive } = backup('files.tar.gz')
      const target = await freshTarget()
      const kept = Buffer.from('a file only this deployment has')
      const keptHash = createHash('sha256').update(kept).digest('hex')
      fs.mkdirSync(path.join(target.dataDir, 'blobs', keptHash.slice(0, 2)), { recursive: true })
      fs.writeFileSync(path.join(target.dataDir, 'blobs', keptHash.slice(0, 2), keptHash), kept)

      const res = allhands(target, 'restore', archive)
      expect(res.status, res.stderr).toBe(0)
      expect(res.stdout).toMatch(/pg_restore --clean .*\.pgdump'/)
      expect(res.stdout).toContain('allhands migrate')
      expect(fs.readFileSync(path.join(target.dataDir, 'blobs', keptHash.slice(0, 2), keptHash)).equals(kept)).toBe(true)
      const hashes = await app.ctx.db.selectFrom('attachments').select('blobHash').execute()
      for (const { blobHash } of hashes) expect(fs.existsSync(path.join(target.dataDir, 'blobs', blobHash.slice(0, 2), blobHash))).toBe(true)
      // The PostgreSQL database is pg_restore's to fill: restore did not create a single table in it.
      const probe = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 1 })
      const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`.execute(probe.db)
      await probe.close()
      expect(tables.rows[0]!.n).toBe(0)
    })
  }
})
