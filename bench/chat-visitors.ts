import type { VisitorClientMessage, VisitorServerMessage } from '@allhands/contract'
import WebSocket from 'ws'

/**
 * The simulated visitors of the live-chat bench: a separate process (forked by bench/chat.ts) holding thousands of
 * widget sockets, so the bench process that plays the agents and measures does not share an event loop with them.
 * Talks to its parent over the IPC channel: each command `{id, ...}` gets one answer `{id, result}` or `{id, error}`.
 * Times are wall-clock milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now()),
 * comparable with the parent's on the same host.
 */

export type VisitorCommand =
  /** Opens one socket per token (appended to those already open) with at most `window` handshakes in flight. */
  | { type: 'connect'; url: string; origin: string; tokens: string[]; window: number; pingEveryMs: number }
  /** Sends chat messages from the given visitors (indexes into every token connected so far), paced at `perSecond`. */
  | { type: 'send'; items: { visitor: number; clientId: string; text: string; fields?: Record<string, string> }[]; perSecond: number; ackTimeoutMs: number }
  /** Every agent message the visitors received since the last call. */
  | { type: 'received' }
  | { type: 'status' }
  | { type: 'close' }

export interface ConnectResult {
  opened: number
  ready: number
  failed: number
  /** From the first handshake to the last `ready`. */
  ms: number
  errors: string[]
}
export interface SendResult {
  items: { clientId: string; sentAt: number; messageId: number | null; ackAt: number | null; error: string | null }[]
}
export interface ReceivedResult {
  items: { messageId: number; visitor: number; at: number }[]
}
export interface StatusResult {
  open: number
  /** Sockets the server closed while the bench was running (code and reason of the first few). */
  lost: number
  lostReasons: string[]
  pings: number
  pongs: number
  serverErrors: string[]
}

export type VisitorRequest = VisitorCommand & { id: number }
export type VisitorResponse = { id: number; result?: unknown; error?: string }

const clock = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A distinct loopback source address per visitor (127.1.1.1, 127.1.1.2, …): real visitors come from many addresses,
 * and the per-IP limits of the widget endpoints are meant for floods from one address, not for a site's audience.
 */
export function visitorAddress(i: number): string {
  return `127.${1 + Math.floor(i / 62_500)}.${1 + (Math.floor(i / 250) % 250)}.${1 + (i % 250)}`
}

interface Visitor {
  ws: WebSocket
  ready: boolean
  closing: boolean
  ping: NodeJS.Timeout | null
}

const visitors: Visitor[] = []
const acks = new Map<string, { messageId: number; at: number }>()
const sendErrors = new Map<string, string>()
let received: ReceivedResult['items'] = []
const status = { lost: 0, lostReasons: [] as string[], pings: 0, pongs: 0, serverErrors: [] as string[] }
let pageSeq = 0

function send(v: Visitor, message: VisitorClientMessage): void {
  if (v.ws.readyState === WebSocket.OPEN) v.ws.send(JSON.stringify(message))
}

function pageMessage(): VisitorClientMessage {
  const n = pageSeq++ % 40
  return {
    type: 'page',
    url: `https://shop.bench.example/products/${n}?ref=bench`,
    title: `Product ${n} · Bench shop`,
    referrer: n % 3 === 0 ? 'https://www.search.example/?q=bench' : '',
    timezone: n % 2 ? 'Europe/Berlin' : 'America/New_York',
    language: n % 2 ? 'de-DE' : 'en-US',
  }
}

async function connect(cmd: Extract<VisitorCommand, { type: 'connect' }>): Promise<ConnectResult> {
  const errors: string[] = []
  let ready = 0
  let failed = 0
  let next = 0
  const first = visitors.length
  const t0 = clock()
  let lastReady = t0
  const openOne = (k: number) =>
    new Promise<void>((resolve) => {
      const index = first + k
      const ws = new WebSocket(`${cmd.url}?token=${encodeURIComponent(cmd.tokens[k]!)}`, {
        headers: { origin: cmd.origin, 'user-agent': 'allhands-bench-visitor' },
        localAddress: visitorAddress(index),
        perMessageDeflate: false,
        handshakeTimeout: 30_000,
      })
      const v: Visitor = { ws, ready: false, closing: false, ping: null }
      visitors[index] = v
      let settled = false
      const settle = (ok: boolean, why?: string) => {
        if (settled) return
        settled = true
        if (ok) ready++
        else {
          failed++
          if (why && errors.length < 5) errors.push(why)
        }
        resolve()
      }
      ws.on('message', (raw: Buffer) => {
        let msg: VisitorServerMessage
        try {
          msg = JSON.parse(raw.toString('utf8'))
        } catch {
          return
        }
        const at = clock()
        switch (msg.type) {
          case 'ready':
            if (v.ready) return
            v.ready = true
            lastReady = at
            send(v, pageMessage())
            // Idle visitors keep their socket alive like the widget does, each on its own phase.
            setTimeout(
              () => {
                if (v.closing) return
                v.ping = setInterval(() => {
                  status.pings++
                  send(v, { type: 'ping' })
                }, cmd.pingEveryMs)
              },
              Math.floor(Math.random() * cmd.pingEveryMs),
            ).unref()
            settle(true)
            return
          case 'message':
            if (msg.message.author.kind === 'agent') received.push({ messageId: msg.message.id, visitor: index, at })
            return
          case 'ack':
            if (!acks.has(msg.clientId)) acks.set(msg.clientId, { messageId: msg.messageId, at })
            return
          case 'pong':
            status.pongs++
            return
          case 'error':
            if (msg.clientId) sendErrors.set(msg.clientId, msg.message)
            if (status.serverErrors.length < 10) status.serverErrors.push(msg.message)
            return
          default:
            return
        }
      })
      ws.on('error', (err) => settle(false, err.message))
      ws.on('unexpected-response', (_req, res) => {
        settle(false, `HTTP ${res.statusCode} on upgrade`)
        res.resume()
        ws.terminate()
      })
      ws.on('close', (code, reason) => {
        if (v.ping) clearInterval(v.ping)
        if (v.ready && !v.closing) {
          status.lost++
          if (status.lostReasons.length < 5) status.lostReasons.push(`${code} ${reason.toString('utf8')}`.trim())
        }
        settle(false, `closed ${code} ${reason.toString('utf8')}`.trim())
      })
    })
  await Promise.all(
    Array.from({ length: Math.max(1, cmd.window) }, async () => {
      while (next < cmd.tokens.length) await openOne(next++)
    }),
  )
  return { opened: cmd.tokens.length, ready, failed, ms: (ready ? lastReady : clock()) - t0, errors }
}

async function sendMessages(cmd: Extract<VisitorCommand, { type: 'send' }>): Promise<SendResult> {
  const t0 = clock()
  const gap = 1000 / cmd.perSecond
  const sent: { clientId: string; sentAt: number }[] = []
  for (let k = 0; k < cmd.items.length; k++) {
    const due = t0 + k * gap
    const wait = due - clock()
    if (wait > 1) await sleep(wait)
    const item = cmd.items[k]!
    const v = visitors[item.visitor]
    const sentAt = clock()
    if (v?.ready) send(v, { type: 'message', clientId: item.clientId, text: item.text, ...(item.fields ? { fields: item.fields } : {}) })
    else sendErrors.set(item.clientId, 'socket not ready')
    sent.push({ clientId: item.clientId, sentAt })
  }
  const deadline = clock() + cmd.ackTimeoutMs
  while (clock() < deadline && !sent.every((s) => acks.has(s.clientId) || sendErrors.has(s.clientId))) await sleep(20)
  return {
    items: sent.map((s) => ({
      clientId: s.clientId,
      sentAt: s.sentAt,
      messageId: acks.get(s.clientId)?.messageId ?? null,
      ackAt: acks.get(s.clientId)?.at ?? null,
      error: sendErrors.get(s.clientId) ?? null,
    })),
  }
}

async function closeAll(): Promise<{ closed: number }> {
  const open = visitors.filter((v) => v && v.ws.readyState !== WebSocket.CLOSED)
  await Promise.all(
    open.map(
      (v) =>
        new Promise<void>((resolve) => {
          v.closing = true
          if (v.ping) clearInterval(v.ping)
          const timer = setTimeout(() => {
            v.ws.terminate()
            resolve()
          }, 5000)
          v.ws.once('close', () => {
            clearTimeout(timer)
            resolve()
          })
          v.ws.close(1000, 'bench done')
        }),
    ),
  )
  return { closed: open.length }
}

async function handle(cmd: VisitorCommand): Promise<unknown> {
  switch (cmd.type) {
    case 'connect':
      return connect(cmd)
    case 'send':
      return sendMessages(cmd)
    case 'received': {
      const items = received
      received = []
      return { items } satisfies ReceivedResult
    }
    case 'status':
      return { open: visitors.filter((v) => v?.ws.readyState === WebSocket.OPEN).length, ...status } satisfies StatusResult
    case 'close':
      return closeAll()
  }
}

if (!process.send) {
  console.error('bench/chat-visitors.ts is started by bench/chat.ts (it needs an IPC channel)')
  process.exit(2)
}
process.on('message', (req: VisitorRequest) => {
  handle(req).then(
    (result) => process.send!({ id: req.id, result } satisfies VisitorResponse),
    (err: unknown) => process.send!({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies VisitorResponse),
  )
})
// The parent going away (crash, Ctrl-C) ends the visitors too.
process.on('disconnect', () => process.exit(0))
