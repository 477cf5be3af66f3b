import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startSmtpSink as startPeerSmtpSink } from '../apps/server/test/email-peers.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export type Server = { url: string; stop: () => Promise<void>; output: () => string }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts the real server on a free port with an empty SQLite data dir; the first visit shows the setup page.
 * `extraEnv` adds settings, e.g. `SMTP_URL` pointing at a sink from `startSmtpSink()`.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  if (!fs.existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` first')
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-e2e-'))
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', SMTP_INBOUND_PORT: '0' }
  for (const k of Object.keys(env)) if (k.startsWith('ALLHANDS_') || k === 'DATABASE_URL' || k === 'REDIS_URL') delete env[k]
  Object.assign(env, extraEnv)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    try {
      const res = await fetch(`${url}/api/v1/health`)
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not become healthy:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A tiny JSON client that keeps the session cookie, for arranging data around the browser flows. */
export class ApiClient {
  private cookie = ''
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(method: string, pathname: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/v1${pathname}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const setCookie = res.headers.get('set-cookie')
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${pathname} → ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  /** Posts a raw RFC 822 message to an email inbox, as a mail relay would. */
  async postRawEmail(inboxId: number, raw: string) {
    const res = await fetch(`${this.baseUrl}/api/v1/inboxes/${inboxId}/inbound-email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', cookie: this.cookie },
      body: raw,
    })
    const text = await res.text()
    if (res.status !== 202) throw new Error(`inbound-email → ${res.status} ${text}`)
    return JSON.parse(text) as { messageId: number | null; ticketId: number | null; inboundEmailId: number; disposition: string }
  }

  createEmailInbox(name: string, addresses: string[]) {
    return this.call<{ id: number; name: string }>('POST', '/inboxes', { name, type: 'email', email: { addresses } })
  }

  static async setup(baseUrl: string, owner = { workspaceName: 'E2E Support', name: 'Olivia Owner', email: 'owner@example.com', password: 'correct-horse-1' }) {
    const client = new ApiClient(baseUrl)
    await client.call('POST', '/setup', owner)
    return client
  }

  static async login(baseUrl: string, email: string, password: string) {
    const client = new ApiClient(baseUrl)
    await client.call('POST', '/auth/login', { email, password })
    return client
  }

  createUser(u: { name: string; email: string; password: string; role?: string }) {
    return this.call<{ id: number; name: string }>('POST', '/users', { role: 'agent', ...u })
  }

  createTicket(subject: string, body = 'Hello, I need help.', email = 'customer@example.com') {
    return this.call<{ id: number; number: number; subject: string }>('POST', '/tickets', { subject, body, requester: { email, name: 'Casey Customer' } })
  }
}

let mailCounter = 0

/** A raw RFC 822 message: multipart/alternative with a text part and, if given, a base64 HTML part. */
export function rawEmail(m: { from: string; to: string; subject: string; text: string; html?: string; messageId?: string; inReplyTo?: string }): string {
  const id = m.messageId ?? `<e2e-${Date.now()}-${++mailCounter}@customer.example>`
  const head = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${id}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
  ]
  const b64 = (s: string) =>
    (
      Buffer.from(s, 'utf8')
        .toString('base64')
        .match(/.{1,76}/g) ?? []
    ).join('\r\n')
  if (m.html === undefined) return [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64(m.text), ''].join('\r\n')
  const boundary = `b-${Date.now()}-${mailCounter}`
  return [
    ...head,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(m.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(m.html),
    `--${boundary}--`,
    '',
  ].join('\r\n')
}

/** A browser context signed in as the given user (cookie set through the context's own request API). */
export async function signedInPage(browser: Browser, baseUrl: string, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } })
  const res = await context.request.post(`${baseUrl}/api/v1/auth/login`, { data: { email, password } })
  if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`)
  const page = await context.newPage()
  return { context, page }
}

const sinks = new Set<{ received: unknown[] }>()

/**
 * A real SMTP server on loopback that keeps what it receives (`received[].parsed` is the parsed mail,
 * `waitFor(n)` the n-th one), closed after the file's tests. The server tests' sink, shared. Start it at
 * the top of a test file and pass its `url` as `SMTP_URL`: `useServerAndBrowser({ env: { SMTP_URL: sink.url } })`.
 * A failed flow's second attempt starts with it empty.
 */
export async function startSmtpSink(): ReturnType<typeof startPeerSmtpSink> {
  const sink = await startPeerSmtpSink()
  sinks.add(sink)
  return sink
}

/**
 * What a failed browser flow leaves behind for whoever reads the CI log: every open page's address and visible text,
 * the browser's console errors and uncaught page errors, and the end of the server's output.
 */
function recordBrowserTrouble(browser: Browser): { report: (server?: Server) => Promise<string> } {
  const trouble: string[] = []
  const note = (line: string) => {
    trouble.push(`${new Date().toISOString().slice(11, 23)} ${line}`)
    if (trouble.length > 50) trouble.shift()
  }
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...args) => {
    const context = await newContext(...args)
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') note(`console ${m.type()} on ${m.page()?.url() ?? '?'}: ${m.text()}`)
    })
    context.on('weberror', (e) => note(`page error on ${e.page()?.url() ?? '?'}: ${e.error().stack ?? e.error().message}`))
    context.on('requestfailed', (r) => note(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`))
    return context
  }
  return {
    async report(server) {
      const pages: string[] = []
      for (const context of browser.contexts())
        for (const page of context.pages()) {
          const text = await page
            .locator('body')
            .innerText({ timeout: 2000 })
            .catch((err: Error) => `(no text: ${err.message})`)
          pages.push(`page ${page.url()}:\n${text.slice(0, 1500)}`)
        }
      return [
        '--- browser flow failed; what the browser showed ---',
        ...pages,
        '--- console and page errors ---',
        ...(trouble.length ? trouble : ['(none)']),
        '--- server output (end) ---',
        (server?.output() ?? '').slice(-3000) || '(none)',
      ].join('\n')
    },
  }
}

/**
 * A server and a browser for one test file: started before its tests, stopped after them. `env` adds server settings.
 *
 * When a flow fails, what the browser showed is printed, and if the flow will be tried again (the e2e project's
 * `retry`) it gets a new server on an empty database, a new browser and empty SMTP sinks: a second attempt that
 * passes has run the whole flow from the start. A flow that needs an earlier test's data fails again.
 */
export function useServerAndBrowser(options: { env?: Record<string, string> } = {}): { readonly server: Server; readonly browser: Browser } {
  const env = {} as { server: Server; browser: Browser }
  let trouble: ReturnType<typeof recordBrowserTrouble> | undefined
  const start = async () => {
    env.server = await startServer(options.env)
    env.browser = await launchBrowser()
    trouble = recordBrowserTrouble(env.browser)
  }
  beforeAll(start)
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return
    if (trouble) console.error(await trouble.report(env.server))
    if ((task.result.retryCount ?? 0) >= (typeof task.retry === 'number' ? task.retry : (task.retry?.count ?? 0))) return
    await env.browser?.close()
    await env.server?.stop()
    const dataDir = options.env?.DATA_DIR
    if (dataDir) for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true })
    for (const sink of sinks) sink.received.length = 0
    await start()
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}
