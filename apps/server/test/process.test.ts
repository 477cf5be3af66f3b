import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rawEmail } from './email-peers.ts'
import { createTestDatabase } from './helpers.ts'

const root = path.resolve(import.meta.dirname, '../../..')
const cli = path.join(root, 'apps/server/bin/allhands.mjs')

/** The server and CLI as an operator runs them: real processes, real ports, configuration from the environment. */
describe('server process and CLI', async () => {
  const target = await createTestDatabase()
  const fresh = await createTestDatabase()
  const env = {
    ...process.env,
    DATA_DIR: target.dataDir,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    LOG_LEVEL: 'warn',
    SMTP_INBOUND_PORT: '0',
  }
  const children: ChildProcess[] = []
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    await target.drop()
    await fresh.drop()
  })

  it('migrates and creates users from the command line', () => {
    const migrate = spawnSync(process.execPath, [cli, 'migrate'], { env, encoding: 'utf8' })
    expect(migrate.stdout).toContain('Database is up to date')
    const create = spawnSync(
      process.execPath,
      [cli, 'user', 'create', '--role', 'admin', '--email', 'ada@ops.test', '--password', 'admin password', '--name', 'Ada'],
      { env, encoding: 'utf8' },
    )
    expect(create.status).toBe(0)
    expect(create.stdout).toMatch(/Created admin ada@ops\.test/)
    const bad = spawnSync(process.execPath, [cli, 'user', 'create', '--role', 'emperor', '--email', 'x@ops.test', '--password', 'long password'], {
      env,
      encoding: 'utf8',
    })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain('--role must be one of')
  })

  it('refuses an invalid configuration with every problem listed', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts')], {
      env: { ...env, PORT: 'eighty', ALLHANDS_ROLE: 'boss' },
      encoding: 'utf8',
      cwd: root,
    })
    expect(res.status).toBe(1)
    expect(res.stderr).toContain('PORT must be a non-negative integer')
    expect(res.stderr).toContain('ALLHANDS_ROLE must be web, worker or all')
  })

  it('starts from the bundle, creates the owner from the environment and serves the API docs', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000)
    // The bundle `npm start` runs (built by `npm test` before the suite).
    const child = spawn(process.execPath, [path.join(root, 'apps/server/dist/main.mjs')], {
      env: {
        ...env,
        DATA_DIR: fresh.dataDir,
        ...(fresh.databaseUrl ? { DATABASE_URL: fresh.databaseUrl } : {}),
        PORT: String(port),
        HOST: '127.0.0.1',
        ALLHANDS_ADMIN_EMAIL: 'boss@ops.test',
        ALLHANDS_ADMIN_PASSWORD: 'boss password',
      },
      cwd: root,
      stdio: 'ignore',
    })
    children.push(child)
    const base = `http://127.0.0.1:${port}`
    await expect.poll(async () => (await fetch(`${base}/api/v1/health`).catch(() => null))?.status, { timeout: 20_000, interval: 200 }).toBe(200)
    expect(await (await fetch(`${base}/api/v1/setup`)).json()).toMatchObject({ needsSetup: false })
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@ops.test', password: 'boss password' }),
    })
    expect((await login.json()).user.role).toBe('owner')
    const spec = await (await fetch(`${base}/api/openapi.json`)).json()
    expect(spec.openapi).toBe('3.1.0')
    expect(Object.keys(spec.paths)).toContain('/api/v1/tickets/{id}/replies')
    expect((await fetch(`${base}/api/docs/`)).status).toBe(200)

    // The bundle is ASCII-only (scripts/build-server.mjs escapes what esbuild leaves in regular expressions), and the
    // multilingual reply patterns still match: a French "a écrit :" quote is trimmed from what the agent sees.
    const bundle = fs.readFileSync(path.join(root, 'apps/server/dist/main.mjs'), 'utf8')
    expect(bundle.match(/[\u0080-\uffff]/)).toBeNull()
    const headers = {
      cookie: login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      'content-type': 'application/json',
    }
    const inbox = await (
      await fetch(`${base}/api/v1/inboxes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Email', type: 'email', email: { addresses: ['help@ops.test'], displayName: 'Ops' } }),
      })
    ).json()
    const raw = rawEmail({
      from: 'Client <client@customer.test>',
      to: 'help@ops.test',
      subject: 'Ma carte',
      text: 'Merci, ça marche.\n\nLe jeu. 26 nov. 2026 à 09:00, Ops <help@ops.test> a écrit :\n> Essayez de redémarrer.',
    })
    const posted = await fetch(`${base}/api/v1/inboxes/${inbox.id}/inbound-email`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'message/rfc822' },
      body: raw,
    })
    expect(posted.status).toBe(202)
    const { ticketId } = await posted.json()
    const messages = (await (await fetch(`${base}/api/v1/tickets/${ticketId}/messages`, { headers })).json()).items
    expect(messages.find((m: { kind: string }) => m.kind === 'customer').text).toBe('Merci, ça marche.')
  })
})
