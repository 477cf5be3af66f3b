import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { serverEnv, serverFlags } from '../scripts/server-process.mjs'
import { type ClusterNode, startNode, waitUntil } from '../apps/server/test/cluster.ts'
import { openDatabase } from '../apps/server/src/db/database.ts'
import { type ChatDesk, setUpChatDesk } from './chat.ts'
import { ClusterChat, type ClusterChatFigures } from './cluster-chat.ts'
import type { LoadFigures, LoadMessage, LoadPlan, Operation } from './load-generator.ts'
import { Client, SEARCHES } from './scenarios.ts'
import { rssMb } from './server.ts'
import { prepareTarget } from './seeded.ts'

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
/** Share of each operation in every client's mix: mostly reading, as a help desk's agents do. */
const MIX: Record<Operation, number> = { inbox: 4, open: 3, search: 2, ingest: 1 }
const AGENTS = 5
const CHAT_MESSAGES_PER_SECOND = 30
const CHAT_MESSAGES_PER_CHAT = 2
const REQUEST_TIMEOUT_MS = 15_000

export interface ClusterOptions {
  tickets: number
  /** Measured window of the load generator per phase. */
  seconds: number
  /** Concurrent closed-loop clients of the load generator. */
  clients: number
  /** Widget sockets per phase (0 skips the chat fan-out). */
  visitors: number
  keep: boolean
  /** A database seeded by an earlier `--keep` run: the phases run on it without seeding again. */
  reuse: string | null
}

export interface ClusterPhase {
  webNodes: number
  workers: number
  warmupSeconds: number
  load: LoadFigures
  chat: ClusterChatFigures | null
  /** Each process right after the measured window: RSS, and CPU used during the window in cores (1 = one core busy). */
  nodes: { name: string; role: string; rssMb: number; cpuCores: number }[]
  /** CPU of the database's PostgreSQL backends during the window (NaN when PostgreSQL runs on another host). */
  postgresCores: number
  /** The machine's 1-minute load average at the end of the window: above the core count, processes queue for CPU. */
  loadAverage: number
}

export interface ClusterResult {
  mode: 'cluster'
  db: 'postgres'
  tickets: number
  messages: number
  contacts: number
  /** Null when the run reused a database seeded earlier (`--reuse`). */
  seedSeconds: number | null
  sizeMb: number
  clients: number
  seconds: number
  mix: Record<Operation, number>
  phases: ClusterPhase[]
}

/**
 * `npm run bench -- --cluster`: seeds one PostgreSQL database, then runs the same concurrent load twice, on 1 web
 * node + 1 worker and on 2 web nodes + 1 worker (processes from the server bundle, Redis between them), with live-chat
 * fan-out measured across the nodes meanwhile.
 */
export async function benchCluster(opts: ClusterOptions, log: (line: string) => void): Promise<ClusterResult> {
  const { target, seeded } = await prepareTarget('postgres', { tickets: opts.tickets, reuse: opts.reuse ?? undefined, name: 'cluster (postgres)' }, log)
  try {
    // The bench's own connection: to seed widget visitors and find the chats' tickets.
    const database = openDatabase({ databaseUrl: target.env.DATABASE_URL!, dataDir: target.env.DATA_DIR!, poolSize: 2 })
    const phases: ClusterPhase[] = []
    try {
      let desk: ChatDesk | null = null
      for (const webNodes of [1, 2]) {
        const phase = await runPhase({
          env: target.env,
          webNodes,
          opts,
          plan: { inboxQueries: seeded.inboxQueries, ticketIds: seeded.longTicketIds, searches: SEARCHES },
          chat: async (nodes, headers) => {
            if (!opts.visitors) return null
            desk ??= await setUpChatDesk(nodes[0]!, headers, AGENTS)
            return ClusterChat.open(nodes, desk, database.db, opts.visitors, log)
          },
          log,
        })
        phases.push(phase)
      }
    } finally {
      await database.close()
    }
    return {
      mode: 'cluster',
      db: 'postgres',
      tickets: seeded.tickets,
      messages: seeded.messages,
      contacts: seeded.contacts,
      seedSeconds: seeded.ms === null ? null : Math.round(seeded.ms / 100) / 10,
      sizeMb: seeded.sizeMb,
      clients: opts.clients,
      seconds: opts.seconds,
      mix: MIX,
      phases,
    }
  } finally {
    if (opts.keep || opts.reuse) log(`  kept: ${JSON.stringify(target.env)}`)
    else await target.drop()
  }
}

interface PhaseInput {
  env: Record<string, string>
  webNodes: number
  opts: ClusterOptions
  plan: Pick<LoadPlan, 'inboxQueries' | 'ticketIds' | 'searches'>
  chat: (nodes: string[], headers: Record<string, string>) => Promise<ClusterChat | null>
  log: (line: string) => void
}

/** One phase: start the nodes, connect the chat sockets, run the load generator (chat measured meanwhile), stop. */
async function runPhase(input: PhaseInput): Promise<ClusterPhase> {
  const { webNodes, opts, log } = input
  log(`\n== cluster phase: ${webNodes} web node${webNodes > 1 ? 's' : ''} + 1 worker, ${opts.clients} clients for ${opts.seconds} s`)
  const nodes = await startCluster(input.env, webNodes, log)
  const webs = nodes.filter((n) => n.role === 'web')
  const databaseName = new URL(input.env.DATABASE_URL!).pathname.slice(1)
  let chat: ClusterChat | null = null
  try {
    const client = new Client(webs[0]!.base)
    await client.login()
    const headers = await client.authHeaders()
    const stamp = Date.now().toString(36)
    const address = `load-${stamp}@bench.allhands.test`
    const ingestInbox = await client.request('POST', '/api/v1/inboxes', { name: address, type: 'email', email: { addresses: [address] } })
    chat = await input.chat(
      webs.map((n) => n.base),
      headers,
    )
    const warmupSeconds = Math.min(10, Math.max(3, Math.round(opts.seconds / 5)))
    const plan: LoadPlan = {
      ...input.plan,
      nodes: webs.map((n) => n.base),
      headers,
      clients: opts.clients,
      warmupSeconds,
      seconds: opts.seconds,
      mix: MIX,
      ingestInboxId: (ingestInbox.body as { id: number }).id,
      timeoutMs: REQUEST_TIMEOUT_MS,
    }
    const during: { chat?: Promise<ClusterChatFigures>; cpu?: CpuClock } = {}
    const load = await runLoadGenerator(plan, () => {
      during.cpu = new CpuClock([
        ...nodes.map((n) => ({ name: n.name, pids: () => [n.pid] })),
        { name: 'PostgreSQL', pids: () => postgresBackends(databaseName) },
      ])
      log(`  load: warmed up for ${warmupSeconds} s, measuring${chat ? ' (chat fan-out meanwhile)' : ''}`)
      if (!chat) return
      during.chat = chat.measure(opts.seconds, CHAT_MESSAGES_PER_SECOND, CHAT_MESSAGES_PER_CHAT)
      // Awaited once the load is done; until then a failure must not count as unhandled.
      during.chat.catch(() => undefined)
    })
    const cores = during.cpu?.cores() ?? []
    const processes = nodes.map((n) => ({
      name: n.name,
      role: n.role,
      rssMb: rssMb(n.pid),
      cpuCores: cores.find((c) => c.name === n.name)?.cores ?? Number.NaN,
    }))
    const postgresCores = cores.find((c) => c.name === 'PostgreSQL')?.cores ?? Number.NaN
    const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100
    const chatResult = during.chat ? await during.chat : null
    const dead = nodes.filter((n) => !n.isRunning)
    if (dead.length) throw new Error(`node(s) exited during the phase:${dead.map((n) => n.describe()).join('\n')}`)
    const o = load.ops
    log(
      `  ${load.total.perSecond} req/s over ${load.seconds} s (${load.total.errors} errors): inbox p95 ${o.inbox.p95} ms, open p95 ${o.open.p95} ms, ` +
        `search p95 ${o.search.p95} ms, ingest ${o.ingest.perSecond} msg/s; CPU cores: ${processes.map((p) => `${p.name} ${p.cpuCores}`).join(', ')}, ` +
        `PostgreSQL ${postgresCores}, load generator ${load.cpuCores}; load average ${loadAverage}`,
    )
    if (load.errorSamples.length) log(`    errors: ${load.errorSamples.slice(0, 5).join(' | ')}`)
    if (chatResult) {
      log(
        `  chat: ${chatResult.chats} chats in ${chatResult.seconds} s, visitor → agent p99 ${chatResult.visitorToAgent.p99} ms, agent → visitor p99 ${chatResult.agentToVisitor.p99} ms` +
          `${chatResult.lostSockets ? `, ${chatResult.lostSockets} sockets lost` : ''}`,
      )
      if (chatResult.errors.length) log(`    chat errors: ${chatResult.errors.join(' | ')}`)
    }
    return { webNodes, workers: nodes.length - webs.length, warmupSeconds, load, chat: chatResult, nodes: processes, postgresCores, loadAverage }
  } finally {
    await chat?.close()
    await Promise.all(nodes.map((n) => n.stop(10_000)))
  }
}

/**
 * Web nodes and one worker from the bundle, with the Node flags of `npm start`, all on the target database, one data
 * dir and a fresh Redis prefix. The first web node starts alone (it runs the migrations); the others follow together.
 */
async function startCluster(targetEnv: Record<string, string>, webNodes: number, log: (line: string) => void): Promise<ClusterNode[]> {
  const env = { ...serverEnv, ...targetEnv, REDIS_URL, REDIS_PREFIX: `allhands-bench-${randomBytes(5).toString('hex')}`, NODE_OPTIONS: serverFlags.join(' ') }
  const nodes: ClusterNode[] = []
  try {
    const first = await startNode({ name: 'web 1', role: 'web', env })
    nodes.push(first)
    await first.waitReady(60_000)
    for (let i = 2; i <= webNodes; i++) nodes.push(await startNode({ name: `web ${i}`, role: 'web', env }))
    nodes.push(await startNode({ name: 'worker', role: 'worker', env }))
    await Promise.all(nodes.map((n) => n.waitReady(60_000)))
    // Without Redis each node would only see its own events: the cross-node figures would mean nothing.
    for (const node of nodes.filter((n) => n.role === 'web'))
      await waitUntil(
        `${node.name} to reach Redis at ${REDIS_URL}`,
        async () => {
          const health = (await (await fetch(`${node.base}/api/v1/health`)).json()) as { redis?: string }
          return health.redis === 'ok' ? true : undefined
        },
        10_000,
        { describe: () => node.describe() },
      )
    log(`  nodes up: ${nodes.map((n) => `${n.name} (pid ${n.pid}${n.port ? `, :${n.port}` : ''})`).join(', ')}; Redis prefix ${env.REDIS_PREFIX}`)
    return nodes
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop(10_000)))
    throw err
  }
}

/** Forks bench/load-generator.ts, hands it the plan and waits for its figures; bounded in time. */
function runLoadGenerator(plan: LoadPlan, onMeasuring: () => void): Promise<LoadFigures> {
  const child = fork(path.join(import.meta.dirname, 'load-generator.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  // Warm-up and window, the last requests' timeout, plus the process start and loading the mail corpus.
  const limitMs = (plan.warmupSeconds + plan.seconds) * 1000 + plan.timeoutMs + 60_000
  return new Promise<LoadFigures>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the load generator did not finish within ${limitMs / 1000} s`))
    }, limitMs)
    const done = (fn: () => void) => {
      clearTimeout(timer)
      if (child.connected) child.disconnect()
      fn()
    }
    child.on('message', (m: LoadMessage) => {
      if (m.type === 'measuring') onMeasuring()
      else if (m.type === 'result') done(() => resolve(m.figures))
      else done(() => reject(new Error(`load generator: ${m.error}`)))
    })
    child.once('exit', (code, signal) => done(() => reject(new Error(`the load generator exited (${code ?? signal}) without figures`))))
    child.send(plan)
  })
}

/** CPU time of groups of processes from /proc (Linux), from construction to `cores()`: CPU seconds per wall second. */
class CpuClock {
  private readonly t0 = performance.now()
  private readonly start: Map<number, number>[]

  constructor(private readonly groups: { name: string; pids: () => number[] }[]) {
    this.start = groups.map((g) => new Map(g.pids().map((pid) => [pid, cpuSeconds(pid)])))
  }

  /** Per group; a process that appeared meanwhile counts whole, one that ended meanwhile is missed. */
  cores(): { name: string; cores: number }[] {
    const wall = (performance.now() - this.t0) / 1000
    return this.groups.map((g, i) => {
      const pids = g.pids()
      if (!pids.length) return { name: g.name, cores: Number.NaN }
      const used = pids.reduce((sum, pid) => sum + cpuSeconds(pid) - (this.start[i]!.get(pid) ?? 0), 0)
      return { name: g.name, cores: Math.round((used / wall) * 100) / 100 }
    })
  }
}

/** utime + stime of a process in seconds (clock ticks of 1/100 s, as on every Linux build); NaN when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** PostgreSQL backends serving this database on this host (title `postgres: [cluster: ]<user> <database> <client> …`); none when remote. */
function postgresBackends(database: string): number[] {
  const pids: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (title.startsWith('postgres: ') && title.includes(` ${database} `)) pids.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids
}
