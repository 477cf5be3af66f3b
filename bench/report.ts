import type { ChatFigures, ChatLatency, ChatStage } from './chat.ts'
import type { Latency } from './stats.ts'
import type { IngestFigures } from './ingest.ts'
import type { RunFigures } from './scenarios.ts'
import type { ReportsFigures } from './reports.ts'

export interface DbResult {
  db: 'sqlite' | 'postgres'
  tickets: number
  messages: number
  contacts: number
  /** Null when the run reused a kept database. */
  seedSeconds: number | null
  seedTicketsPerSecond: number | null
  sizeMb: number
  coldStartMs: number
  coldStarts: number[]
  idleRssMb: number
  /** RSS 3 s after the email ingest burst (null when ingest was skipped). */
  afterIngestRssMb: number | null
  runs: number
  figures: RunFigures
  ingest: IngestFigures | null
  /** Absent in results written before the reports existed. */
  reports?: ReportsFigures
  /** Live chat per level of concurrent visitors (null when skipped; absent in results written before it existed). */
  chat?: ChatFigures | null
}

/** DESIGN.md §6; null where the design sets no budget. */
export const BUDGETS = {
  inboxP95: 25,
  openP95: 25,
  searchP95: 150,
  coldStartMs: 3000,
  idleRssMb: 200,
  ingestPerSecond: 300,
  reportsP95: 200,
  chatSockets: 5000,
  chatP99: 50,
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : 'n/a')
export const mark = (value: number, budget: number) => `${value <= budget ? '✅' : '❌'}`
const markAtLeast = (value: number, floor: number) => `${value >= floor ? '✅' : '❌'}`
const lat = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p95)}` : 'n/a')
const pass = (ok: boolean) => (ok ? '✅' : '❌')
const lat99 = (l: ChatLatency) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}${l.lost ? `, ${l.lost} of ${l.n + l.lost} lost` : ''}`
const chatOk = (l: ChatLatency) => l.lost === 0 && l.p99 <= BUDGETS.chatP99
/** Every socket of the level connected and stayed connected. */
const socketsOk = (s: ChatStage) => s.failed === 0 && s.ready === s.added && s.lostSockets === 0

/** Markdown table, one column per database, budgets alongside. */
export function table(results: DbResult[]): string {
  const head = `| Measure | Budget | ${results.map((r) => (r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL')).join(' | ')} |`
  const sep = `|---|---|${results.map(() => '---').join('|')}|`
  const rows: string[] = []
  const row = (label: string, budget: string, cell: (r: DbResult) => string) => rows.push(`| ${label} | ${budget} | ${results.map(cell).join(' | ')} |`)
  row(
    'Data set',
    '',
    (r) => `${r.tickets.toLocaleString('en')} tickets, ${r.messages.toLocaleString('en')} messages, ${r.contacts.toLocaleString('en')} contacts`,
  )
  row('Seeding', '', (r) =>
    r.seedTicketsPerSecond === null
      ? `reused (${r.sizeMb.toLocaleString('en')} MB)`
      : `${r.seedTicketsPerSecond.toLocaleString('en')} tickets/s (${r.seedSeconds} s, ${r.sizeMb.toLocaleString('en')} MB)`,
  )
  row(
    '**Inbox list** p50 / p95, all filters',
    `p95 ≤ ${BUDGETS.inboxP95} ms`,
    (r) => `${lat(r.figures.inbox.overall)} ${mark(r.figures.inbox.overall.p95, BUDGETS.inboxP95)}`,
  )
  for (const name of Object.keys(results[0]?.figures.inbox ?? {}).filter((k) => k !== 'overall'))
    row(`&nbsp;&nbsp;${name}`, '', (r) => lat(r.figures.inbox[name]))
  row(
    '**Open ticket** (50 messages) p50 / p95',
    `p95 ≤ ${BUDGETS.openP95} ms`,
    (r) => `${lat(r.figures.openTicket.both)} ${mark(r.figures.openTicket.both.p95, BUDGETS.openP95)}`,
  )
  row('&nbsp;&nbsp;GET /tickets/:id', '', (r) => lat(r.figures.openTicket.ticket))
  row('&nbsp;&nbsp;GET /tickets/:id/messages', '', (r) => lat(r.figures.openTicket.messages))
  row(
    '**Search** p50 / p95, all queries',
    `p95 ≤ ${BUDGETS.searchP95} ms`,
    (r) => `${lat(r.figures.search.overall)} ${mark(r.figures.search.overall.p95, BUDGETS.searchP95)}`,
  )
  for (const q of Object.keys(results[0]?.figures.search ?? {}).filter((k) => k !== 'overall')) row(`&nbsp;&nbsp;"${q}"`, '', (r) => lat(r.figures.search[q]))
  row('**Ticket create** (8 concurrent)', '', (r) => `${r.figures.createPerSecond} tickets/s`)
  const inFlight = results.find((r) => r.ingest)?.ingest?.concurrency ?? '?'
  row(`**Email ingest**, raw MIME over HTTP (${inFlight} concurrent)`, `≥ ${BUDGETS.ingestPerSecond} msg/s`, (r) =>
    r.ingest ? `${r.ingest.httpPerSecond} msg/s ${markAtLeast(r.ingest.httpPerSecond, BUDGETS.ingestPerSecond)}` : 'n/a',
  )
  row(`**Email ingest**, SMTP listener (${inFlight} connections)`, `≥ ${BUDGETS.ingestPerSecond} msg/s`, (r) =>
    r.ingest ? `${r.ingest.smtpPerSecond} msg/s ${markAtLeast(r.ingest.smtpPerSecond, BUDGETS.ingestPerSecond)}` : 'n/a',
  )
  row('&nbsp;&nbsp;outcomes (SpamAssassin corpus)', '', (r) =>
    r.ingest
      ? Object.entries(r.ingest.outcomes)
          .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
          .join(', ')
      : 'n/a',
  )
  row('**Reports** p50 / p95, every route', `p95 ≤ ${BUDGETS.reportsP95} ms`, (r) =>
    r.reports ? `${lat(r.reports.overall)} ${mark(r.reports.overall.p95, BUDGETS.reportsP95)}` : 'n/a',
  )
  for (const name of Object.keys(results[0]?.reports?.routes ?? {})) row(`&nbsp;&nbsp;${name}`, '', (r) => lat(r.reports?.routes[name]))
  row('&nbsp;&nbsp;rebuild (facts and rollups)', '', (r) =>
    r.reports?.rebuild
      ? `${(r.reports.rebuild.ms / 1000).toFixed(1)} s, ${r.reports.rebuild.cycles.toLocaleString('en')} cycles, ${r.reports.rebuild.rollupRows.toLocaleString('en')} rollup rows`
      : 'n/a',
  )
  row('**Cold start** (median of 3)', `≤ ${BUDGETS.coldStartMs / 1000} s`, (r) => `${ms(r.coldStartMs)} ${mark(r.coldStartMs, BUDGETS.coldStartMs)}`)
  row('**Idle RSS** (after the agent workload)', `≤ ${BUDGETS.idleRssMb} MB`, (r) => `${r.idleRssMb} MB ${mark(r.idleRssMb, BUDGETS.idleRssMb)}`)
  row('&nbsp;&nbsp;RSS 3 s after the email burst', '', (r) => (r.afterIngestRssMb === null ? 'n/a' : `${r.afterIngestRssMb} MB`))
  chatRows(results, row)
  return [head, sep, ...rows].join('\n')
}

/** Live chat, one block per level of concurrent visitors found in any of the results. */
function chatRows(results: DbResult[], row: (label: string, budget: string, cell: (r: DbResult) => string) => void): void {
  const levels = [...new Set(results.flatMap((r) => r.chat?.stages.map((s) => s.visitors) ?? []))].sort((a, b) => a - b)
  const stageOf = (r: DbResult, level: number) => r.chat?.stages.find((s) => s.visitors === level)
  const cell = (level: number, show: (s: ChatStage, chat: ChatFigures) => string) => (r: DbResult) => {
    const s = stageOf(r, level)
    return s && r.chat ? show(s, r.chat) : 'n/a'
  }
  const agents = results.find((r) => r.chat)?.chat?.agentSockets ?? 0
  for (const level of levels) {
    const n = level.toLocaleString('en')
    row(
      `**Live chat**, ${n} concurrent visitors: connect`,
      level >= BUDGETS.chatSockets ? `${BUDGETS.chatSockets.toLocaleString('en')} sockets` : '',
      cell(level, (s) => {
        const failed = s.failed ? `, ${s.failed} failed` : ''
        const lost = s.lostSockets ? `, ${s.lostSockets} dropped` : ''
        return `${s.connectPerSecond.toLocaleString('en')} sockets/s (${s.added.toLocaleString('en')} in ${s.connectSeconds} s${failed}${lost}) ${level >= BUDGETS.chatSockets ? pass(socketsOk(s)) : ''}`.trim()
      }),
    )
    row(
      '&nbsp;&nbsp;server memory per socket',
      '',
      cell(level, (s, c) => {
        const added = s.added === s.visitors ? '' : `; ${s.kbPerAddedSocket} KB per socket added at this level`
        // RSS can fall while sockets are added: V8 collects the heap of the earlier workload meanwhile.
        if (s.kbPerSocket < 0) return `n/a (RSS fell ${c.rssBeforeMb} → ${s.rssMb} MB${added})`
        return `${s.kbPerSocket} KB (RSS ${c.rssBeforeMb} → ${s.rssMb} MB${added})`
      }),
    )
    row(
      `&nbsp;&nbsp;visitor → agents p50 / p95 / p99`,
      `p99 ≤ ${BUDGETS.chatP99} ms`,
      cell(level, (s) => `${lat99(s.visitorToAgents)} ${pass(chatOk(s.visitorToAgents))}`),
    )
    row(
      `&nbsp;&nbsp;agent → visitor p50 / p95 / p99`,
      `p99 ≤ ${BUDGETS.chatP99} ms`,
      cell(level, (s) => `${lat99(s.agentToVisitor)} ${pass(chatOk(s.agentToVisitor))}`),
    )
    row(
      `&nbsp;&nbsp;visitor → all ${agents} agent sockets`,
      '',
      cell(level, (s) => lat99(s.visitorToAllAgents)),
    )
    row(
      '&nbsp;&nbsp;chat start (first message → agents)',
      '',
      cell(level, (s) => lat99(s.chatStart)),
    )
    row(
      '&nbsp;&nbsp;RSS after the chats',
      '',
      cell(level, (s) => `${s.rssAfterChatsMb} MB`),
    )
  }
}

export function allPass(r: DbResult): boolean {
  const f = r.figures
  return (
    f.inbox.overall.p95 <= BUDGETS.inboxP95 &&
    f.openTicket.both.p95 <= BUDGETS.openP95 &&
    f.search.overall.p95 <= BUDGETS.searchP95 &&
    r.coldStartMs <= BUDGETS.coldStartMs &&
    r.idleRssMb <= BUDGETS.idleRssMb &&
    (!r.reports || r.reports.overall.p95 <= BUDGETS.reportsP95) &&
    (r.chat?.stages ?? []).every((s) => socketsOk(s) && chatOk(s.visitorToAgents) && chatOk(s.agentToVisitor))
  )
}
