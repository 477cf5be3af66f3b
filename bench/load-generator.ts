import { loadSpamAssassin } from './ingest.ts'
import { percentile } from './stats.ts'

/**
 * The agent workload of the cluster bench: a separate process (forked by bench/cluster.ts with `--import tsx`) running
 * closed-loop clients, each bound to one web node (round-robin) and each sending its next request as soon as the last
 * one answered. Gets one `LoadPlan` over IPC, warms up, says `measuring`, runs the measured window, answers with its
 * figures and exits when the parent disconnects. Loopback only; every request is bounded by `timeoutMs`.
 */

export type Operation = 'inbox' | 'open' | 'search' | 'ingest'
const OPERATIONS: Operation[] = ['inbox', 'open', 'search', 'ingest']

export interface LoadPlan {
  /** Base URLs of the web nodes; client i talks to node i % nodes.length. */
  nodes: string[]
  /** Authorization header of an admin API token (raw email delivery needs an admin). */
  headers: Record<string, string>
  clients: number
  warmupSeconds: number
  seconds: number
  /** Relative weight of each operation in every client's mix. */
  mix: Record<Operation, number>
  /** Query strings of `GET /api/v1/tickets` (filtered inbox lists); `&limit=50` is added. */
  inboxQueries: string[]
  /** Tickets opened by `open` (ticket and its messages, together as the UI does). */
  ticketIds: number[]
  searches: string[]
  /** An email inbox of this phase: deduplication is per inbox, so a fresh one makes every message do the full work. */
  ingestInboxId: number
  timeoutMs: number
}

/** Client-measured figures of one kind of request over the measured window: answered requests and failed ones. */
export interface OpFigures {
  count: number
  /** Answered requests per second (failures not counted). */
  perSecond: number
  errors: number
  p50: number
  p95: number
  p99: number
  max: number
  /** Server time (the `Server-Timing` header: from request received to response sent) of the same requests. */
  server: { p50: number; p95: number; p99: number }
}

export interface LoadFigures {
  /** Wall time of the measured window: from its start until the last request started in it has answered. */
  seconds: number
  /** CPU this process used during the window, in cores: near 1 means the generator itself may limit the load. */
  cpuCores: number
  total: OpFigures
  ops: Record<Operation, OpFigures>
  /** The two requests of `open` on their own. */
  openParts: { ticket: OpFigures; messages: OpFigures }
  /** Operations (answered or failed) per web node (index as in `nodes`) and per second. */
  perNode: { requests: number; perSecond: number }[]
  /** Dispositions of the ingested messages (`http <status>` for refused ones). */
  ingestOutcomes: Record<string, number>
  /** The first few errors, as `<operation>: <message>`. */
  errorSamples: string[]
}

export type LoadMessage = { type: 'measuring' } | { type: 'result'; figures: LoadFigures } | { type: 'error'; error: string }

const clock = () => performance.timeOrigin + performance.now()

/** Deterministic per-client random numbers (mulberry32), so two runs send the same mix. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The SpamAssassin corpus, endlessly: the first pass as published, later passes with a fresh Message-ID so each
 * delivery is a new message (same Message-ID would be a cheap `duplicate`, not an ingest).
 */
class MailSource {
  private next = 0
  constructor(private readonly corpus: Buffer[]) {}

  take(): Buffer {
    const k = this.next++
    const raw = this.corpus[k % this.corpus.length]!
    const pass = Math.floor(k / this.corpus.length)
    if (pass === 0) return raw
    const text = raw.toString('latin1')
    const end = text.search(/\r?\n\r?\n/)
    const head = (end < 0 ? text : text.slice(0, end)).replace(/^message-id:.*(?:\r?\n[ \t].*)*(?:\r?\n)?/im, '')
    const rest = end < 0 ? '' : text.slice(end)
    return Buffer.from(`Message-ID: <bench-${pass}-${k}@load.bench.allhands.test>\n${head}${rest}`, 'latin1')
  }
}

class Recorder {
  readonly samples = new Map<string, number[]>()
  readonly serverSamples = new Map<string, number[]>()
  readonly errors = new Map<string, number>()
  readonly errorSamples: string[] = []
  readonly outcomes: Record<string, number> = {}
  readonly perNode: number[]

  constructor(nodes: number) {
    this.perNode = Array.from({ length: nodes }, () => 0)
  }

  ok(name: string, ms: number, serverMs: number | null): void {
    const list = this.samples.get(name) ?? []
    list.push(ms)
    this.samples.set(name, list)
    if (serverMs === null) return
    const server = this.serverSamples.get(name) ?? []
    server.push(serverMs)
    this.serverSamples.set(name, server)
  }

  failed(name: string, message: string): void {
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1)
    if (this.errorSamples.length < 10) this.errorSamples.push(`${name}: ${message}`)
  }

  figures(name: string, seconds: number): OpFigures {
    const sorted = [...(this.samples.get(name) ?? [])].sort((a, b) => a - b)
    const server = [...(this.serverSamples.get(name) ?? [])].sort((a, b) => a - b)
    const errors = this.errors.get(name) ?? 0
    const round = (v: number) => Math.round(v * 100) / 100
    return {
      count: sorted.length,
      perSecond: Math.round((sorted.length / seconds) * 10) / 10,
      errors,
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? Number.NaN),
      server: { p50: round(percentile(server, 50)), p95: round(percentile(server, 95)), p99: round(percentile(server, 99)) },
    }
  }
}

/**
 * One request with the body read to the end, and the server's own time for it (Server-Timing); throws on a non-2xx
 * answer or when it outlasts the timeout.
 */
async function request(plan: LoadPlan, base: string, path: string, init: RequestInit = {}): Promise<{ text: string; serverMs: number | null }> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...plan.headers, ...init.headers }, signal: AbortSignal.timeout(plan.timeoutMs) })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path.split('?')[0]} → ${res.status}: ${text.slice(0, 200)}`)
  const dur = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')
  return { text, serverMs: dur ? Number(dur[1]) : null }
}

/** Times one call (its work answers the server time, if known); a failure is counted under `name` and not timed. */
async function timed(rec: Recorder | null, name: string, work: () => Promise<number | null>): Promise<boolean> {
  const t0 = performance.now()
  try {
    const serverMs = await work()
    rec?.ok(name, performance.now() - t0, serverMs)
    return true
  } catch (err) {
    rec?.failed(name, err instanceof Error ? err.message : String(err))
    return false
  }
}

function operations(plan: LoadPlan, mail: MailSource) {
  return {
    inbox: (base: string, k: number, rec: Recorder | null) =>
      timed(rec, 'inbox', async () => (await request(plan, base, `/api/v1/tickets?${plan.inboxQueries[k % plan.inboxQueries.length]}&limit=50`)).serverMs),
    open: (base: string, k: number, rec: Recorder | null) => {
      const id = plan.ticketIds[k % plan.ticketIds.length]
      return timed(rec, 'open', async () => {
        // The two requests run side by side: the open takes as long on the server as the slower one.
        let slowest: number | null = null
        const part = (name: string, path: string) =>
          timed(rec, name, async () => {
            const { serverMs } = await request(plan, base, path)
            if (serverMs !== null) slowest = Math.max(slowest ?? 0, serverMs)
            return serverMs
          })
        const parts = await Promise.all([part('ticket', `/api/v1/tickets/${id}`), part('messages', `/api/v1/tickets/${id}/messages`)])
        if (!parts.every(Boolean)) throw new Error(`ticket ${id} did not open`)
        return slowest
      })
    },
    search: (base: string, k: number, rec: Recorder | null) =>
      timed(
        rec,
        'search',
        async () => (await request(plan, base, `/api/v1/search?q=${encodeURIComponent(plan.searches[k % plan.searches.length]!)}`)).serverMs,
      ),
    ingest: (base: string, _k: number, rec: Recorder | null) =>
      timed(rec, 'ingest', async () => {
        const { text, serverMs } = await request(plan, base, `/api/v1/inboxes/${plan.ingestInboxId}/inbound-email`, {
          method: 'POST',
          headers: { 'content-type': 'message/rfc822' },
          body: new Uint8Array(mail.take()),
        })
        const disposition = (JSON.parse(text) as { disposition?: string }).disposition ?? 'unknown'
        if (rec) rec.outcomes[disposition] = (rec.outcomes[disposition] ?? 0) + 1
        return serverMs
      }),
  } satisfies Record<Operation, (base: string, k: number, rec: Recorder | null) => Promise<boolean>>
}

/** Every client until `until`; each starts its next request when the last one answered (closed loop). */
async function runClients(plan: LoadPlan, ops: ReturnType<typeof operations>, until: number, rec: Recorder | null, seed: number): Promise<void> {
  // Cumulative weights: an operation is picked where a uniform draw over [0, total) falls.
  let total = 0
  const upTo = OPERATIONS.map((op) => (total += Math.max(0, plan.mix[op])))
  await Promise.all(
    Array.from({ length: plan.clients }, async (_, i) => {
      const node = i % plan.nodes.length
      const rand = random(seed * 1000 + i + 1)
      for (let k = i; clock() < until; k++) {
        const draw = rand() * total
        const op = OPERATIONS[upTo.findIndex((w) => draw < w)] ?? 'inbox'
        const ok = await ops[op](plan.nodes[node]!, k, rec)
        if (rec) rec.perNode[node]!++
        // A refused connection fails at once: pause a little rather than spin on a node that went away.
        if (!ok) await new Promise((r) => setTimeout(r, 20))
      }
    }),
  )
}

/** Warm-up (not recorded), then the measured window. */
async function generateLoad(plan: LoadPlan, onMeasuring: () => void): Promise<LoadFigures> {
  const ops = operations(plan, new MailSource(loadSpamAssassin(Number.MAX_SAFE_INTEGER)))
  await runClients(plan, ops, clock() + plan.warmupSeconds * 1000, null, 1)
  onMeasuring()
  const rec = new Recorder(plan.nodes.length)
  const t0 = clock()
  const cpu0 = process.cpuUsage()
  await runClients(plan, ops, t0 + plan.seconds * 1000, rec, 2)
  const seconds = (clock() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const byOp = Object.fromEntries(OPERATIONS.map((op) => [op, rec.figures(op, seconds)])) as Record<Operation, OpFigures>
  const all = OPERATIONS.flatMap((op) => rec.samples.get(op) ?? [])
  rec.samples.set('total', all)
  rec.errors.set(
    'total',
    OPERATIONS.reduce((sum, op) => sum + (rec.errors.get(op) ?? 0), 0),
  )
  return {
    seconds: Math.round(seconds * 100) / 100,
    cpuCores: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) / 100,
    total: rec.figures('total', seconds),
    ops: byOp,
    openParts: { ticket: rec.figures('ticket', seconds), messages: rec.figures('messages', seconds) },
    perNode: rec.perNode.map((n) => ({ requests: n, perSecond: Math.round((n / seconds) * 10) / 10 })),
    ingestOutcomes: rec.outcomes,
    errorSamples: rec.errorSamples,
  }
}

if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    generateLoad(plan, () => process.send!({ type: 'measuring' } satisfies LoadMessage)).then(
      (figures) => process.send!({ type: 'result', figures } satisfies LoadMessage),
      (err: unknown) => process.send!({ type: 'error', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies LoadMessage),
    )
  })
  // The parent going away (done, crash, Ctrl-C) ends the clients too.
  process.on('disconnect', () => process.exit(0))
}
