import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { autovacuumStandIn } from './autovacuum.ts'
import { measureChat } from './chat.ts'
import { benchCluster } from './cluster.ts'
import { clusterPass, clusterTable } from './cluster-report.ts'
import { type DbResult, allPass, table } from './report.ts'
import { type IngestFigures, loadIngestMail, measureIngest } from './ingest.ts'
import { measureRebuild, measureReportRoutes } from './reports.ts'
import { Client, type RunFigures, runScenarios } from './scenarios.ts'
import { rssMb, startServer } from './server.ts'
import { median, medianLatency } from './stats.ts'
import { prepareTarget } from './seeded.ts'
import type { DbKind } from './target.ts'

const HELP = `Usage: npm run bench -- [--tickets N] [--db sqlite|postgres|both] [--runs N] [--samples N] [--ingest-messages N] [--chat-visitors N,N] [--keep | --db postgres --reuse DATABASE_URL]
       npm run bench -- --ingest-only [--tickets N] [--db sqlite|postgres|both] [--ingest-messages N] [--ingest-runs N] [--ingest-concurrency N] [--keep | --reuse DATABASE_URL]
       npm run bench -- --cluster [--tickets N] [--cluster-seconds S] [--cluster-clients N] [--cluster-visitors N] [--keep | --reuse DATABASE_URL]

Seeds N tickets (default 100000) into a fresh database per dialect, starts a real server process and measures
inbox lists, opening a long ticket, search, ticket creation, email ingest (HTTP and SMTP, real SpamAssassin
messages, each delivery's bytes new, after 300 untimed from the other end of the corpus; 0 skips it), report routes and a reports rebuild, cold start and idle RSS over HTTP, then live chat: widget
sockets from a separate process at each level of --chat-visitors (default 1000,5000; 0 skips it), memory per socket
and message latency agent → visitor and visitor → agents.
Writes bench/results/<date>-<db>.json. PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
--keep keeps the seeded PostgreSQL database and prints its URL; --reuse URL measures on such a database again without
seeding (what the run writes stays in it: created tickets, ingested mail).

--cluster (PostgreSQL only) seeds N tickets once, then runs the same load twice: on 1 web node + 1 worker, then on 2 web
nodes + 1 worker (server processes from the bundle, Redis between them: BENCH_REDIS_URL, default redis://127.0.0.1:6379).
A load generator process runs --cluster-clients closed-loop clients (default 16) round-robin over the web nodes for
--cluster-seconds (default 30, after a warm-up): filtered inbox lists, opening a 50-message ticket, search and raw email
ingest; meanwhile --cluster-visitors widget sockets (default 1000; 0 skips the chat) spread over the nodes chat with
agents whose sockets are on the other node. Reports per operation req/s and p50/p95/p99, chat fan-out both ways, and
the ratio of the two phases; writes bench/results/<date>-cluster.json. --keep prints the seeded database's URL;
--reuse URL runs the phases on such a database again without seeding. --runs, --samples, --ingest-messages and
--chat-visitors do not apply.

--ingest-only seeds N tickets and measures email ingest alone (no other phase), --ingest-runs times (default 3) on the
same server, each run into fresh inboxes; reports every run and the median. With --reuse URL it measures on a PostgreSQL
database an earlier --keep run seeded (the ingested mail stays in it). Writes bench/results/<date>-<db>-ingest.json.
--ingest-concurrency N: deliveries in flight at once, per channel (HTTP requests; SMTP connections), in the full run
and in --ingest-only. Default 16: an MTA relays to one destination over several connections at once (Postfix allows
20 by default), and with 4 in flight the server waited on its database round trips with CPU to spare.`

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    db: { type: 'string' },
    runs: { type: 'string', default: '3' },
    samples: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'ingest-messages': { type: 'string', default: '3000' },
    'ingest-only': { type: 'boolean', default: false },
    'ingest-runs': { type: 'string', default: '3' },
    'ingest-concurrency': { type: 'string', default: '16' },
    'chat-visitors': { type: 'string', default: '1000,5000' },
    cluster: { type: 'boolean', default: false },
    'cluster-seconds': { type: 'string', default: '30' },
    'cluster-clients': { type: 'string', default: '16' },
    'cluster-visitors': { type: 'string', default: '1000' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const tickets = Number(values.tickets)
const runs = Number(values.runs)
const samples = Number(values.samples)
const dbs: DbKind[] = (values.db ?? 'both') === 'both' ? ['sqlite', 'postgres'] : [values.db as DbKind]
const chatLevels = values['chat-visitors'] === '0' ? [] : values['chat-visitors'].split(',').map(Number)
const ingestRuns = Number(values['ingest-runs'])
const ingestConcurrency = Number(values['ingest-concurrency'])
if (
  !Number.isInteger(ingestConcurrency) ||
  ingestConcurrency < 1 ||
  !Number.isInteger(ingestRuns) ||
  ingestRuns < 1 ||
  (values['ingest-only'] && Number(values['ingest-messages']) < 1) ||
  !Number.isInteger(tickets) ||
  tickets < 100 ||
  !Number.isInteger(runs) ||
  runs < 1 ||
  !dbs.every((d) => d === 'sqlite' || d === 'postgres') ||
  !chatLevels.every((n) => Number.isInteger(n) && n >= 1 && n <= 15_000)
) {
  console.error(HELP)
  process.exit(2)
}

if (values.reuse !== undefined && (values.db ?? (values.cluster ? 'postgres' : 'both')) !== 'postgres') {
  console.error('--reuse takes a kept PostgreSQL database: add --db postgres')
  process.exit(2)
}
if (values.cluster && values.db !== undefined && values.db !== 'postgres') {
  console.error(
    `--cluster runs on PostgreSQL only (several server processes share one database; SQLite is embedded in one process): drop --db ${values.db} or use --db postgres`,
  )
  process.exit(2)
}
const cluster = {
  seconds: Number(values['cluster-seconds']),
  clients: Number(values['cluster-clients']),
  visitors: Number(values['cluster-visitors']),
}
if (
  !Number.isInteger(cluster.seconds) ||
  cluster.seconds < 1 ||
  cluster.seconds > 3600 ||
  !Number.isInteger(cluster.clients) ||
  cluster.clients < 1 ||
  cluster.clients > 1000 ||
  !Number.isInteger(cluster.visitors) ||
  cluster.visitors < 0 ||
  cluster.visitors > 15_000
) {
  console.error(HELP)
  process.exit(2)
}

const log = (line: string) => console.log(line)
const RESULTS = path.join(import.meta.dirname, 'results')

async function benchOne(kind: DbKind): Promise<DbResult> {
  const reuse = values.reuse
  const { target, seeded } = await prepareTarget(kind, { tickets, reuse }, log)
  try {
    // Seeding already rebuilt the reports once; a second, timed rebuild gives the figure on its own. Not on a reused
    // database: its seeding run measured it, and the rewritten rows would leave autovacuum busy during the measurements.
    const rebuild = reuse ? null : await measureRebuild(target, log)
    if (rebuild)
      log(
        `  reports rebuild: ${Math.round(rebuild.ms / 100) / 10} s for ${rebuild.tickets.toLocaleString('en')} tickets (${rebuild.cycles.toLocaleString('en')} cycles)`,
      )

    // Three cold starts on the seeded database; the last server stays up for the measurements.
    const coldStarts: number[] = []
    let server = await startServer(target.env)
    coldStarts.push(server.startMs)
    for (let i = 0; i < 2; i++) {
      await server.stop()
      server = await startServer(target.env)
      coldStarts.push(server.startMs)
    }
    log(`  cold starts: ${coldStarts.map((v) => Math.round(v)).join(', ')} ms`)
    try {
      const client = new Client(server.baseUrl)
      await client.login()
      const rounds: RunFigures[] = []
      for (let i = 0; i < runs; i++) {
        const figures = await runScenarios(client, seeded.world, seeded.longTicketIds, { samples, warmup: i === 0 ? 30 : 5, creates: 400, concurrency: 8 })
        log(
          `  run ${i + 1}/${runs}: inbox p95 ${figures.inbox.overall.p95} ms, open p95 ${figures.openTicket.both.p95} ms, search p95 ${figures.search.overall.p95} ms, create ${figures.createPerSecond}/s`,
        )
        rounds.push(figures)
      }
      // Idle: the server has served the agent workload above and now rests; timers and GC settle first (the server
      // collects garbage 2–4 s into a quiet spell that follows work, and once more 2 s later: platform/idle-gc.ts).
      await new Promise((r) => setTimeout(r, 10_000))
      const idleRssMb = rssMb(server.child.pid)
      const ingestCount = Number(values['ingest-messages'])
      const ingest = ingestCount > 0 ? await measureIngest(client, server.baseUrl, server.smtpPort, loadIngestMail(ingestCount), ingestConcurrency) : null
      if (ingest) log(`  ingest: ${ingest.httpPerSecond} msg/s over HTTP, ${ingest.smtpPerSecond} msg/s over SMTP (${JSON.stringify(ingest.outcomes)})`)
      // After a burst of thousands of parsed emails V8 keeps the heap it grew for a while: reported, not budgeted.
      await new Promise((r) => setTimeout(r, 3000))
      const afterIngestRssMb = ingest ? rssMb(server.child.pid) : null
      const reportRoutes = await measureReportRoutes(client, server.baseUrl, seeded.world, Math.max(20, Math.ceil(samples / 4)))
      log(`  reports: p95 ${reportRoutes.overall.p95} ms over every report route`)
      const chat = chatLevels.length ? await measureChat(target, server, client, { levels: chatLevels }, log) : null
      return {
        db: kind,
        tickets: seeded.tickets,
        messages: seeded.messages,
        contacts: seeded.contacts,
        seedSeconds: seeded.ms === null ? null : Math.round(seeded.ms / 100) / 10,
        seedTicketsPerSecond: seeded.ms === null ? null : Math.round(seeded.tickets / (seeded.ms / 1000)),
        sizeMb: seeded.sizeMb,
        coldStartMs: Math.round(median(coldStarts)),
        coldStarts: coldStarts.map(Math.round),
        idleRssMb,
        afterIngestRssMb,
        runs,
        figures: mergeRuns(rounds),
        ingest,
        reports: { rebuild, ...reportRoutes },
        chat,
      }
    } finally {
      await server.stop()
    }
  } finally {
    if (values.keep || reuse) log(`  kept: ${JSON.stringify(target.env)}`)
    if (reuse || !values.keep) await target.drop()
  }
}

/**
 * Ingest alone on a seeded database: --ingest-runs rounds on one server, each into fresh inboxes. Repeated on a kept
 * database, the mail log and the report queue churn through many rows: a server without autovacuum gets a stand-in.
 */
async function benchIngestOnly(kind: DbKind) {
  const reuse = values.reuse
  const { target, seeded } = await prepareTarget(kind, { tickets, reuse }, log)
  const vacuum = target.env.DATABASE_URL ? await autovacuumStandIn(target.env.DATABASE_URL, log) : null
  try {
    const server = await startServer(target.env)
    try {
      const client = new Client(server.baseUrl)
      await client.login()
      const mail = loadIngestMail(Number(values['ingest-messages']))
      const rounds: IngestFigures[] = []
      for (let i = 0; i < ingestRuns; i++) {
        const ingest = await measureIngest(client, server.baseUrl, server.smtpPort, mail, ingestConcurrency)
        log(
          `  ingest run ${i + 1}/${ingestRuns}: ${ingest.httpPerSecond} msg/s over HTTP, ${ingest.smtpPerSecond} msg/s over SMTP (${JSON.stringify(ingest.outcomes)})`,
        )
        rounds.push(ingest)
      }
      const result = {
        db: kind,
        tickets: seeded.tickets,
        messages: mail.measured.length,
        concurrency: ingestConcurrency,
        loadAverage: os.loadavg().map((v) => Math.round(v * 10) / 10),
        httpPerSecond: Math.round(median(rounds.map((r) => r.httpPerSecond))),
        smtpPerSecond: Math.round(median(rounds.map((r) => r.smtpPerSecond))),
        rounds,
      }
      log(
        `  ingest median of ${ingestRuns}, ${ingestConcurrency} at a time: ${result.httpPerSecond} msg/s over HTTP, ${result.smtpPerSecond} msg/s over SMTP (load average ${result.loadAverage.join(', ')})`,
      )
      return result
    } finally {
      await server.stop()
    }
  } finally {
    await vacuum?.stop()
    if (values.keep || reuse) log(`  kept: ${JSON.stringify(target.env)}`)
    if (reuse || !values.keep) await target.drop()
  }
}

/** Median of each percentile over the rounds, so one noisy round on a 2-core machine does not decide the figure. */
function mergeRuns(rounds: RunFigures[]): RunFigures {
  const merge = <T extends Record<string, unknown>>(pick: (f: RunFigures) => T): T =>
    Object.fromEntries(Object.keys(pick(rounds[0]!)).map((k) => [k, medianLatency(rounds.map((r) => pick(r)[k] as never))])) as T
  return {
    inbox: merge((f) => f.inbox),
    openTicket: merge((f) => f.openTicket),
    search: merge((f) => f.search),
    createPerSecond: Math.round(median(rounds.map((r) => r.createPerSecond))),
  }
}

/** bench/results/<date>-<name>.json with the machine it ran on. */
function writeResult(name: string, result: object): void {
  fs.mkdirSync(RESULTS, { recursive: true })
  const file = path.join(RESULTS, `${new Date().toISOString().slice(0, 10)}-${name}.json`)
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1e9),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  }
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2)}\n`)
  log(`  wrote ${path.relative(process.cwd(), file)}`)
}

// The server runs as `npm start` runs it: the esbuild bundle on plain Node.
if (spawnSync(process.execPath, [path.join(import.meta.dirname, '../scripts/build-server.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1)
if (values.cluster) {
  const result = await benchCluster({ tickets, ...cluster, keep: values.keep, reuse: values.reuse ?? null }, log)
  writeResult('cluster', result)
  console.log(`\n${clusterTable(result)}\n`)
  process.exitCode = clusterPass(result) ? 0 : 1
} else if (values['ingest-only']) {
  const results = []
  for (const kind of dbs) {
    const result = await benchIngestOnly(kind)
    results.push(result)
    writeResult(`${kind}-ingest`, result)
  }
  process.exitCode = results.every((r) => r.httpPerSecond >= 300 && r.smtpPerSecond >= 300) ? 0 : 1
} else {
  const results: DbResult[] = []
  for (const kind of dbs) {
    const result = await benchOne(kind)
    results.push(result)
    writeResult(kind, { samples, ...result })
  }
  console.log(`\n${table(results)}\n`)
  process.exitCode = results.every(allPass) ? 0 : 1
}
