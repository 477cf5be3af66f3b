import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A cluster as an operator runs it: real server processes from the bundle, a private Redis, an SMTP sink. */

const root = path.resolve(import.meta.dirname, '../../..')
export const SERVER_BUNDLE = path.join(root, 'apps/server/dist/main.mjs')
const REDIS_SERVER = '/usr/bin/redis-server'
const KEEP_LINES = 300

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/**
 * Polls `check` until it returns a value other than undefined; after `timeoutMs` throws, naming what it waited for
 * and adding `describe()` (e.g. a process's output) as it is at that moment.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  opts: { intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown = null
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (err) {
      lastError = err
    }
    if (Date.now() >= deadline) break
    await sleep(Math.min(opts.intervalMs ?? 100, Math.max(0, deadline - Date.now())))
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}${opts.describe?.() ?? ''}`)
}

/** The last lines a child process wrote (stdout and stderr together), kept for failure messages. */
function captureOutput(child: ChildProcess): () => string {
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line)
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => lines.join('\n')
}

export type NodeRole = 'web' | 'worker' | 'all'

/** One Allhands server process of the cluster. */
export class ClusterNode {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null
  readonly output: () => string

  constructor(
    readonly name: string,
    readonly role: NodeRole,
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    this.output = captureOutput(child)
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal }
        resolve(this.exitStatus)
      }),
    )
  }

  get pid(): number {
    return this.child.pid!
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get isRunning(): boolean {
    return this.exitStatus === null
  }

  /** The node's recent output, for an assertion or timeout message. */
  describe(): string {
    const status = this.exitStatus ? `exited (code ${this.exitStatus.code}, signal ${this.exitStatus.signal})` : 'running'
    return `\n--- ${this.name} (${this.role}, pid ${this.pid}, ${status}) ---\n${this.output() || '(no output)'}`
  }

  /** Ready: a web node answers /api/v1/health; a worker has no port and logs that it is ready instead. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    await waitUntil(
      `${this.name} to be ready`,
      async () => {
        if (!this.isRunning) throw new Error(`${this.name} exited before it was ready`)
        if (this.role === 'worker') return this.output().includes('Allhands is ready') ? true : undefined
        const res = await fetch(`${this.base}/api/v1/health`)
        return res.status === 200 ? true : undefined
      },
      timeoutMs,
      { describe: () => this.describe() },
    )
  }

  /** Sends a signal and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.isRunning) return
    this.child.kill(signal)
    await this.exited
  }

  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.isRunning) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }
}

/** Starts a server process from the bundle with only the given environment (plus PATH and HOME). */
export async function startNode(opts: { name: string; role: NodeRole; env: Record<string, string> }): Promise<ClusterNode> {
  if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run node scripts/build-server.mjs (npm test builds it first)`)
  const port = opts.role === 'worker' ? 0 : await freePort()
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    SMTP_INBOUND_PORT: '0',
    // A worker has no port to ask, so it is seen ready by its start-up log line, which is logged at info.
    LOG_LEVEL: opts.role === 'worker' ? 'info' : 'warn',
    ...opts.env,
    ALLHANDS_ROLE: opts.role,
    ...(port ? { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
  }
  const child = spawn(process.execPath, [SERVER_BUNDLE], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  return new ClusterNode(opts.name, opts.role, port, child)
}

/** A Redis server of the test's own on a loopback port, which can be stopped and started again on the same port. */
export class PrivateRedis {
  private child: ChildProcess | null = null
  private output: () => string = () => ''

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    if (!fs.existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: apt-get install -y redis-server (.ci/run installs it)`)
    const redis = new PrivateRedis(await freePort())
    await redis.start()
    return redis
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    if (this.child) return
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    this.output = captureOutput(child)
    child.once('exit', () => {
      if (this.child === child) this.child = null
    })
    await waitUntil('the private Redis to answer PING', async () => ((await this.ping()) ? true : undefined), 10_000, { describe: () => `\n${this.output()}` })
  }

  /** Shuts the server down (SIGTERM) and waits until its port is closed. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    const gone = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await gone
  }

  /** Whether a server answers PING on the port. */
  ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, '127.0.0.1')
      const done = (ok: boolean) => {
        socket.destroy()
        resolve(ok)
      }
      socket.setTimeout(1000, () => done(false))
      socket.once('error', () => done(false))
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
    })
  }
}

export type SinkMessage = { messageId: string | null; rcpt: string[]; text: string; raw: Buffer }

/**
 * An SMTP server on loopback standing in for the outbound relay: accepts everything and records each accepted
 * message. `stallFirst` holds back the answer to one message's DATA, so its sender is caught mid-send; a stalled
 * message is never accepted (it counts only if the sender's connection survives until `release`).
 */
export async function startSmtpSink() {
  const accepted: SinkMessage[] = []
  const stalled: SinkMessage[] = []
  let stallWhen: ((m: SinkMessage) => boolean) | null = null
  const held = new Map<string, { message: SinkMessage; answer: () => void }>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        const parsed = await simpleParser(raw)
        const message = { messageId: parsed.messageId ?? null, rcpt: session.envelope.rcptTo.map((r) => r.address), text: parsed.text ?? '', raw }
        if (stallWhen?.(message)) {
          stallWhen = null
          stalled.push(message)
          held.set(session.id, {
            message,
            answer: () => {
              accepted.push(message)
              callback()
            },
          })
          return
        }
        accepted.push(message)
        callback()
      })
    },
    onClose(session) {
      // The sender went away while its DATA was held: the message was never accepted.
      held.delete(session.id)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as net.AddressInfo).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    stalled,
    /** Holds the answer to the next message that matches, until release() or until its sender disconnects. */
    stallFirst(when: (m: SinkMessage) => boolean) {
      stallWhen = when
    },
    release() {
      for (const [id, h] of held) {
        held.delete(id)
        h.answer()
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>

export type Session = { email: string; headers: Record<string, string> }

/** Signs in through the API; the session cookie is valid on every node (sessions live in the database). */
export async function login(base: string, email: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('allhands_session='))
  if (!cookie) throw new Error('login answered without a session cookie')
  return { email, headers: { cookie } }
}

/** One API call to a node: `body` goes as JSON, or as it is (a string) when `contentType` is given. */
export async function call(
  base: string,
  as: { headers: Record<string, string> } | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  contentType?: string,
): Promise<{ status: number; json: any }> {
  const raw = body === undefined ? undefined : contentType ? String(body) : JSON.stringify(body)
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { ...(as?.headers ?? {}), ...(raw !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}) },
    body: raw,
  })
  const text = await res.text()
  let json: unknown = text
  try {
    json = text ? JSON.parse(text) : null
  } catch {}
  return { status: res.status, json }
}
