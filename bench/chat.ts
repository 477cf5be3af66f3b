import { type ChildProcess, fork } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { ServerMessage } from '@allhands/contract'
import WebSocket from 'ws'
import type { Kysely } from 'kysely'
import { openDatabase } from '../apps/server/src/db/database.ts'
import type { DB } from '../apps/server/src/db/schema.ts'
import { newVisitorToken, visitorTokenHash } from '../apps/server/src/modules/chat/chat.visitors.ts'
import type { ConnectResult, ReceivedResult, SendResult, StatusResult, VisitorCommand, VisitorRequest, VisitorResponse } from './chat-visitors.ts'
import type { Client } from './scenarios.ts'
import type { ServerProcess } from './server.ts'
import { percentile } from './stats.ts'
import type { Target } from './target.ts'

/** Latency of one direction of live-chat messages, in ms; `lost` counts messages that never arrived. */
export interface ChatLatency {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
  lost: number
}

/** One level of concurrent visitors: every socket of this level and the ones below stays connected while it is measured. */
export interface ChatStage {
  /** Widget sockets connected at this level. */
  visitors: number
  /** Sockets opened for this level (on top of those of the previous level), and how many of them became ready. */
  added: number
  ready: number
  failed: number
  /** From the first handshake of this level to the last `ready`; sockets per second over that time. */
  connectSeconds: number
  connectPerSecond: number
  /**
   * Server RSS (settled) with every socket of this level connected and idle; per socket = (RSS − RSS before the
   * first level) / visitors, and per added socket = (RSS − RSS at the previous level) / sockets added for this level.
   */
  rssMb: number
  kbPerSocket: number
  kbPerAddedSocket: number
  /** Chats started by visitors of this level: their first message → `ticket.created` of the new chat on the first agent socket. */
  chatStart: ChatLatency
  /** A visitor's message → `message.created` on the first agent socket, and on the last of them. */
  visitorToAgents: ChatLatency
  visitorToAllAgents: ChatLatency
  /** Just before an agent's `POST /tickets/:id/replies` → the reply arriving on the visitor's socket. */
  agentToVisitor: ChatLatency
  /** Server RSS after the chats of this level. */
  rssAfterChatsMb: number
  /** Sockets the server closed during the level (should be 0), with the first reasons, and errors the server sent. */
  lostSockets: number
  errors: string[]
}

export interface ChatFigures {
  agentSockets: number
  chatsPerLevel: number
  messagesPerChat: number
  messagesPerSecond: number
  pingEverySeconds: number
  /** Visitors who chatted before the measurements; they stay connected on top of every level. */
  warmUpVisitors: number
  /** Server RSS (settled) after the warm-up, before the first level. */
  rssBeforeMb: number
  stages: ChatStage[]
}

export interface ChatOptions {
  /** Concurrent visitor levels, e.g. [1000, 5000]; sockets accumulate from one level to the next. */
  levels: number[]
  /** Agents (users with role agent, online for chat with capacity 50): one socket each, subscribed to `inbox` and `visitors`. */
  agents?: number
  /** Chats started per level; each exchanges `messagesPerChat` messages in each direction. */
  chats?: number
  messagesPerChat?: number
  /** Steady rate of each direction's messages. */
  messagesPerSecond?: number
  /** Handshakes in flight while connecting. */
  connectWindow?: number
  /** How often each idle visitor pings (the widget's keep-alive, apps/widget/src/connection.ts: every 20 s). */
  pingEveryMs?: number
}

export const clock = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const ORIGIN = 'https://shop.bench.example'
/** Visitors who chat before the measurements (and stay connected on top of each level's visitors). */
const WARM_UP = 20
/** A request of the chat phase answers within this or fails: a stuck server must end the bench, not hang it. */
const REQUEST_TIMEOUT_MS = 15_000
export type Api = (method: string, url: string, body?: unknown) => Promise<unknown>

/** A personal API token of a user, via the login form's route as a person would get one. */
export async function tokenFor(baseUrl: string, email: string, password: string): Promise<Record<string, string>> {
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal,
  })
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const token = (await apiOf(baseUrl, { cookie })('POST', '/api/v1/tokens', { name: 'bench chat' })) as { token: string }
  return { authorization: `Bearer ${token.token}` }
}

/** JSON requests with the bench's API token, each bounded in time. */
export function apiOf(baseUrl: string, headers: Record<string, string>): Api {
  return async (method, url, body) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    const text = await res.text()
    if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : null
  }
}

export function latency(samples: number[], lost: number): ChatLatency {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (v: number) => Math.round(v * 100) / 100
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    lost,
  }
}

/** Resident set size of a process in MB with kB precision (the per-socket figure needs more than whole MB). */
function rssPreciseMb(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]) / 1024
}

/** The visitors' process: forked with the bench's own TypeScript loader, driven over IPC. */
export class VisitorProcess {
  private child: ChildProcess
  private seq = 0
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()

  constructor() {
    this.child = fork(path.join(import.meta.dirname, 'chat-visitors.ts'), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.child.on('message', (m: VisitorResponse) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.error !== undefined) p.reject(new Error(`visitor process: ${m.error}`))
      else p.resolve(m.result)
    })
    this.child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`visitor process exited (${code ?? signal})`))
      this.pending.clear()
    })
  }

  call(cmd: Extract<VisitorCommand, { type: 'connect' }>): Promise<ConnectResult>
  call(cmd: Extract<VisitorCommand, { type: 'send' }>): Promise<SendResult>
  call(cmd: { type: 'received' }): Promise<ReceivedResult>
  call(cmd: { type: 'status' }): Promise<StatusResult>
  call(cmd: { type: 'close' }): Promise<{ closed: number }>
  call(cmd: VisitorCommand): Promise<unknown> {
    const id = ++this.seq
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, ...cmd } satisfies VisitorRequest)
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((r) => this.child.once('exit', r))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}

/** What an agent socket saw: a message (`message.created`) or a new ticket (`ticket.created`). */
export type Seen = `message:${number}` | `ticket:${number}`

/** Agents' sockets on /api/v1/ws: when each of them saw each new message and ticket. */
export class AgentSockets {
  private sockets: WebSocket[] = []
  /** Receive time per socket. */
  private seen = new Map<Seen, number[]>()
  readonly errors: string[] = []

  /** One socket per agent (their API token in `headers`). */
  async open(baseUrl: string, agents: Record<string, string>[]): Promise<void> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`
    for (const headers of agents) {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false })
      const subscribed = new Set<string>()
      ws.on('message', (raw: Buffer) => {
        const at = clock()
        const msg = JSON.parse(raw.toString('utf8')) as ServerMessage
        if (msg.type === 'event' && msg.name === 'message.created' && typeof msg.payload.messageId === 'number')
          this.record(`message:${msg.payload.messageId}`, at)
        else if (msg.type === 'event' && msg.name === 'ticket.created' && typeof msg.payload.ticketId === 'number')
          this.record(`ticket:${msg.payload.ticketId}`, at)
        else if (msg.type === 'subscribed') subscribed.add(msg.room)
        else if (msg.type === 'error' && this.errors.length < 10) this.errors.push(`agent socket: ${msg.message}`)
      })
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      })
      // `inbox` carries every ticket change the agent may see; `visitors` is the live visitor list an agent keeps open.
      for (const room of ['inbox', 'visitors']) ws.send(JSON.stringify({ type: 'subscribe', room }))
      const deadline = Date.now() + 5000
      while (subscribed.size < 2 && Date.now() < deadline) await sleep(10)
      if (!subscribed.has('inbox')) throw new Error('agent socket could not subscribe to the inbox room')
      this.sockets.push(ws)
    }
  }

  private record(key: Seen, at: number): void {
    const times = this.seen.get(key) ?? []
    times.push(at)
    this.seen.set(key, times)
  }

  /** First and last receive time over the agent sockets; undefined until every socket had it. */
  times(key: Seen): { first: number; last: number } | undefined {
    const t = this.seen.get(key)
    if (!t || t.length < this.sockets.length) return undefined
    return { first: Math.min(...t), last: Math.max(...t) }
  }

  async waitFor(keys: Seen[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline && !keys.every((k) => this.times(k))) await sleep(20)
  }

  close(): void {
    for (const ws of this.sockets) ws.close()
  }
}

/**
 * Visitors for the bench, written straight into the database as the session route would store them (the route is
 * rate-limited per address, and seeding is not what is measured): a token each, made and hashed as the server does.
 */
export async function seedVisitors(db: Kysely<DB>, inboxId: number, count: number): Promise<{ tokens: string[]; ids: number[] }> {
  const tokens = Array.from({ length: count }, () => newVisitorToken())
  const now = Date.now()
  const ids: number[] = []
  for (let i = 0; i < count; i += 500) {
    const rows = await db
      .insertInto('chatVisitors')
      .values(
        tokens.slice(i, i + 500).map((token) => ({
          inboxId,
          tokenHash: visitorTokenHash(token),
          verified: 0,
          visitCount: 1,
          visitStartedAt: now,
          timezone: '',
          language: '',
          createdAt: now,
          lastSeenAt: now,
        })),
      )
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return { tokens, ids }
}

/** The chat each of these visitors started: its ticket and the agent routing gave it to (null while waiting). */
export async function conversationTickets(db: Kysely<DB>, visitorIds: number[]): Promise<Map<number, { ticketId: number; agentId: number | null }>> {
  const rows = await db.selectFrom('chatConversations').select(['visitorId', 'ticketId', 'agentId']).where('visitorId', 'in', visitorIds).execute()
  return new Map(rows.map((r) => [r.visitorId, { ticketId: r.ticketId, agentId: r.agentId }]))
}

/** `count` indexes spread evenly over [from, to). */
export const spread = (from: number, to: number, count: number) =>
  Array.from({ length: Math.min(count, to - from) }, (_, k) => from + Math.floor((k * (to - from)) / Math.min(count, to - from)))

/**
 * Server RSS once it stops moving: at least 12 s (V8's memory reducer runs its full GCs a few seconds after the
 * allocation rate drops, so a heap grown by earlier work shrinks first), then until three readings a second apart
 * lie within 0.5 MB; at most 30 s.
 */
async function settledRssMb(pid: number | undefined): Promise<number> {
  const readings = [rssPreciseMb(pid)]
  for (let i = 0; i < 30; i++) {
    await sleep(1000)
    readings.push(rssPreciseMb(pid))
    const last3 = readings.slice(-3)
    if (i >= 11 && Math.max(...last3) - Math.min(...last3) < 0.5) break
  }
  return readings[readings.length - 1]!
}

interface Exchange {
  chatStart: ChatLatency
  visitorToAgents: ChatLatency
  visitorToAllAgents: ChatLatency
  agentToVisitor: ChatLatency
  errors: string[]
}

/** The agents of a chat bench, each with a personal API token; tokens and chat status live in the database, so any node accepts them. */
export interface ChatDesk {
  inboxId: number
  agents: { id: number; headers: Record<string, string> }[]
}

/**
 * A chat inbox with the default settings and `count` users with role agent who go online for chat with capacity 50:
 * round-robin routing gives each new chat to one of them.
 */
export async function setUpChatDesk(baseUrl: string, ownerHeaders: Record<string, string>, count: number): Promise<ChatDesk> {
  const api = apiOf(baseUrl, ownerHeaders)
  const stamp = Date.now().toString(36)
  const inbox = (await api('POST', '/api/v1/inboxes', { name: `Bench chat ${stamp}`, type: 'chat' })) as { id: number }
  const agents: ChatDesk['agents'] = []
  for (let k = 0; k < count; k++) {
    const email = `chat-agent-${stamp}-${k + 1}@bench.allhands.test`
    const password = `bench-password-${stamp}`
    const user = (await api('POST', '/api/v1/users', { email, name: `Chat Agent ${k + 1}`, role: 'agent', password })) as { id: number }
    const headers = await tokenFor(baseUrl, email, password)
    await apiOf(baseUrl, headers)('PUT', '/api/v1/chat/me', { status: 'online', capacity: 50 })
    agents.push({ id: user.id, headers })
  }
  return { inboxId: inbox.id, agents }
}

/**
 * Live chat on one node: widget sockets from a separate process at each level of concurrent visitors, the server's
 * memory per socket, and message latency both ways while every socket stays connected and keeps pinging.
 */
export async function measureChat(target: Target, server: ServerProcess, client: Client, opts: ChatOptions, log: (line: string) => void): Promise<ChatFigures> {
  const levels = [...new Set(opts.levels)].sort((a, b) => a - b)
  const agentCount = opts.agents ?? 5
  const chats = opts.chats ?? 200
  const perChat = opts.messagesPerChat ?? 3
  const perSecond = opts.messagesPerSecond ?? 20
  const window = opts.connectWindow ?? 50
  const pingEveryMs = opts.pingEveryMs ?? 20_000

  const desk = await setUpChatDesk(server.baseUrl, await client.authHeaders(), agentCount)
  const agentApis = new Map<number, Api>(desk.agents.map((a) => [a.id, apiOf(server.baseUrl, a.headers)]))
  const agentHeaders = desk.agents.map((a) => a.headers)
  const anyAgent = [...agentApis.values()][0]!
  // The bench's own connection to the server's database: to seed the visitors and to find the chats' tickets.
  const database = openDatabase({ databaseUrl: target.env.DATABASE_URL ?? null, dataDir: target.env.DATA_DIR!, poolSize: 2 })
  const { tokens, ids: visitorIds } = await seedVisitors(database.db, desk.inboxId, WARM_UP + levels[levels.length - 1]!).catch(async (err) => {
    await database.close()
    throw err
  })

  const agents = new AgentSockets()
  const visitors = new VisitorProcess()
  const wsUrl = `${server.baseUrl.replace(/^http/, 'ws')}/api/v1/widget/ws`

  /** Chats from these visitors: each starts one, then `messages` messages each way at the steady rate. */
  const exchange = async (sample: number[], messages: number, stamp: string): Promise<Exchange> => {
    const started = await visitors.call({
      type: 'send',
      items: chatStartItems(sample, stamp),
      perSecond,
      ackTimeoutMs: 15_000,
    })
    const chatsOf = await conversationTickets(
      database.db,
      sample.map((i) => visitorIds[i]!),
    )
    const tickets = new Map([...chatsOf].map(([visitorId, c]) => [visitorId, c.ticketId]))
    const chatStart = await agentLatency(
      agents,
      sample.map((visitor, k) => {
        const ticketId = tickets.get(visitorIds[visitor]!)
        return { key: ticketId === undefined ? null : (`ticket:${ticketId}` as const), sentAt: started.items[k]!.sentAt }
      }),
      'first',
    )
    const open = sample.filter((i) => tickets.has(visitorIds[i]!))

    // Visitor → agents: the chats' messages interleaved (one per chat, then the next round), at a steady rate.
    const items = Array.from({ length: messages }, (_, m) =>
      open.map((visitor, k) => ({ visitor, clientId: `msg-${stamp}-${m}-${k}`, text: `Follow-up ${m + 1}: the parcel tracking page shows nothing.` })),
    ).flat()
    const sent = await visitors.call({ type: 'send', items, perSecond, ackTimeoutMs: 15_000 })
    const visitorToAgents = await agentLatency(agents, messagesOf(sent), 'first')
    const visitorToAllAgents = await agentLatency(agents, messagesOf(sent), 'last')

    // Agent → visitor: replies over HTTP at the same steady rate, a bounded number in flight.
    // Each chat is answered by the agent routing gave it to (by any agent if it is still waiting: replying takes it).
    const replies = Array.from({ length: messages }, (_, m) =>
      open.map((visitor) => {
        const chat = chatsOf.get(visitorIds[visitor]!)!
        return { api: agentApis.get(chat.agentId ?? -1) ?? anyAgent, ticketId: chat.ticketId, text: `Reply ${m + 1}: let me check that for you.` }
      }),
    ).flat()
    const reply = await replyLatency(visitors, replies, perSecond)

    const sends = [...started.items, ...sent.items]
    const errors = [
      ...reply.errors.slice(0, 3),
      ...sends
        .map((i) => i.error)
        .filter((e): e is string => !!e)
        .slice(0, 3),
    ]
    const unacked = sends.filter((i) => i.messageId === null && !i.error).length
    if (unacked) errors.push(`${unacked} visitor messages got no ack within 15 s`)
    // The agents end the chats (not measured), which frees their capacity for the next chats.
    const ends = await paced(
      [...tickets.values()].map((ticketId) => () => anyAgent('POST', `/api/v1/tickets/${ticketId}/chat/end`)),
      perSecond,
    )
    errors.push(...ends.slice(0, 3))
    return { chatStart, visitorToAgents, visitorToAllAgents, agentToVisitor: reply.latency, errors }
  }

  const stages: ChatStage[] = []
  try {
    await agents.open(server.baseUrl, agentHeaders)
    // Warm-up, not measured: a few visitors chat first, so the server has compiled the chat paths (JIT, lazily
    // built validators) before anything is timed and before the memory baseline. They stay connected.
    const warm = await visitors.call({ type: 'connect', url: wsUrl, origin: ORIGIN, tokens: tokens.slice(0, WARM_UP), window, pingEveryMs })
    if (warm.failed) throw new Error(`warm-up visitors could not connect: ${warm.errors.join('; ')}`)
    const w = await exchange(
      Array.from({ length: WARM_UP }, (_, i) => i),
      2,
      `warm-${Date.now().toString(36)}`,
    )
    if (w.errors.length) log(`    warm-up errors: ${w.errors.join(' | ')}`)
    const rssBeforeMb = await settledRssMb(server.child.pid)
    let connected = 0
    let lostBefore = 0
    let previousRssMb = rssBeforeMb
    for (const level of levels) {
      const connect = await visitors.call({
        type: 'connect',
        url: wsUrl,
        origin: ORIGIN,
        tokens: tokens.slice(WARM_UP + connected, WARM_UP + level),
        window,
        pingEveryMs,
      })
      const from = WARM_UP + connected
      connected = level
      const connectSeconds = connect.ms / 1000
      log(
        `  chat ${level.toLocaleString('en')} visitors: +${connect.ready.toLocaleString('en')} ready in ${connectSeconds.toFixed(1)} s` +
          `${connect.failed ? `, ${connect.failed} failed (${connect.errors.join('; ')})` : ''}`,
      )
      const sample = spread(from, WARM_UP + level, chats)
      const rssMb = await settledRssMb(server.child.pid)
      const x = await exchange(sample, perChat, `${level}-${Date.now().toString(36)}`)
      const st = await visitors.call({ type: 'status' })
      const rssAfterChatsMb = rssPreciseMb(server.child.pid)
      const errors = [...connect.errors, ...st.lostReasons.slice(0, 3), ...st.serverErrors.slice(0, 3), ...agents.errors.slice(0, 3), ...x.errors]
      const stage: ChatStage = {
        visitors: level,
        added: connect.opened,
        ready: connect.ready,
        failed: connect.failed,
        connectSeconds: Math.round(connectSeconds * 10) / 10,
        connectPerSecond: Math.round(connect.ready / connectSeconds),
        rssMb: Math.round(rssMb),
        kbPerSocket: Math.round((((rssMb - rssBeforeMb) * 1024) / level) * 10) / 10,
        kbPerAddedSocket: Math.round((((rssMb - previousRssMb) * 1024) / Math.max(1, connect.ready)) * 10) / 10,
        chatStart: x.chatStart,
        visitorToAgents: x.visitorToAgents,
        visitorToAllAgents: x.visitorToAllAgents,
        agentToVisitor: x.agentToVisitor,
        rssAfterChatsMb: Math.round(rssAfterChatsMb),
        lostSockets: st.lost - lostBefore,
        errors,
      }
      lostBefore = st.lost
      previousRssMb = rssMb
      stages.push(stage)
      log(
        `  chat ${level.toLocaleString('en')} visitors: ${stage.connectPerSecond} sockets/s, ${stage.kbPerSocket} KB/socket ` +
          `(${stage.kbPerAddedSocket} KB per added socket, RSS ${stage.rssMb} MB), start p99 ${x.chatStart.p99} ms, ` +
          `visitor→agents p99 ${x.visitorToAgents.p99} ms (all ${agentCount}: ${x.visitorToAllAgents.p99} ms), ` +
          `agent→visitor p99 ${x.agentToVisitor.p99} ms${stage.lostSockets ? `, ${stage.lostSockets} sockets lost` : ''}`,
      )
      if (errors.length) log(`    errors: ${errors.join(' | ')}`)
    }
    return {
      agentSockets: agentCount,
      chatsPerLevel: chats,
      messagesPerChat: perChat,
      messagesPerSecond: perSecond,
      pingEverySeconds: pingEveryMs / 1000,
      warmUpVisitors: WARM_UP,
      rssBeforeMb: Math.round(rssBeforeMb),
      stages,
    }
  } finally {
    await visitors.call({ type: 'close' }).catch(() => undefined)
    await visitors.stop()
    agents.close()
    for (const agentApi of agentApis.values()) await agentApi('PUT', '/api/v1/chat/me', { status: 'offline' }).catch(() => undefined)
    await database.close()
  }
}

/**
 * Send time (visitor process) → receive time on the agent sockets of what each send caused: the stored message
 * (its id from the ack) or, for a chat's first message, the new ticket. A send without a key was never stored.
 */
async function agentLatency(agents: AgentSockets, sent: { key: Seen | null; sentAt: number }[], which: 'first' | 'last'): Promise<ChatLatency> {
  const keyed = sent.filter((s): s is { key: Seen; sentAt: number } => s.key !== null)
  await agents.waitFor(
    keyed.map((s) => s.key),
    10_000,
  )
  const samples: number[] = []
  for (const s of keyed) {
    const t = agents.times(s.key)
    if (t) samples.push(t[which] - s.sentAt)
  }
  return latency(samples, sent.length - samples.length)
}

const messagesOf = (sent: SendResult) => sent.items.map((i) => ({ key: i.messageId === null ? null : (`message:${i.messageId}` as const), sentAt: i.sentAt }))

/** POSTs the replies at `perSecond` (at most 32 in flight) and matches them with what the visitors received. */
export async function replyLatency(
  visitors: VisitorProcess,
  replies: { api: Api; ticketId: number; text: string }[],
  perSecond: number,
): Promise<{ latency: ChatLatency; errors: string[] }> {
  const sentAt = new Map<number, number>()
  const errors = await paced(
    replies.map((r) => async () => {
      // The moment just before the request: the latency includes the HTTP round trip and the server's work.
      const at = clock()
      const res = (await r.api('POST', `/api/v1/tickets/${r.ticketId}/replies`, { body: r.text })) as { id?: number }
      if (typeof res.id !== 'number') throw new Error(`reply to #${r.ticketId} was held: ${JSON.stringify(res).slice(0, 200)}`)
      sentAt.set(res.id, at)
    }),
    perSecond,
  )
  const got = new Map<number, number>()
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    for (const item of (await visitors.call({ type: 'received' })).items) if (!got.has(item.messageId)) got.set(item.messageId, item.at)
    if ([...sentAt.keys()].every((id) => got.has(id))) break
    await sleep(50)
  }
  const samples = [...sentAt].filter(([id]) => got.has(id)).map(([id, at]) => got.get(id)! - at)
  return { latency: latency(samples, replies.length - samples.length), errors }
}

/** Runs the requests at `perSecond`, at most 32 in flight; returns the first errors. */
export async function paced(work: (() => Promise<unknown>)[], perSecond: number): Promise<string[]> {
  const errors: string[] = []
  const t0 = clock()
  let inFlight = 0
  const running: Promise<void>[] = []
  for (let k = 0; k < work.length; k++) {
    const wait = t0 + (k * 1000) / perSecond - clock()
    if (wait > 1) await sleep(wait)
    while (inFlight >= 32) await sleep(1)
    inFlight++
    running.push(
      work[k]!()
        .then(() => undefined)
        .catch((err: Error) => {
          if (errors.length < 5) errors.push(err.message)
        })
        .finally(() => {
          inFlight--
        }),
    )
  }
  await Promise.all(running)
  return errors
}

/** The first message of each visitor's chat, with the answers to the default pre-chat form (name required, email optional). */
export const chatStartItems = (sample: number[], stamp: string) =>
  sample.map((visitor, k) => ({
    visitor,
    clientId: `start-${stamp}-${k}`,
    text: `Hello, I have a question about my order ${stamp}-${k}.`,
    fields: { name: `Bench Visitor ${visitor}`, email: `visitor-${visitor}@customer.example` },
  }))
