import type { Latency } from './stats.ts'
import type { IngestFigures } from './ingest.ts'
import type { RunFigures } from './scenarios.ts'
import type { ReportsFigures } from './reports.ts'

export interface DbResult {
  db: 'sqlite' | 'postgres'
  tickets: number
  messages: number
  contacts: number
  seedSeconds: number
  seedTicketsPerSecond: number
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
}

/** DESIGN.md §6; null where the design sets no budget. */
const BUDGETS = { inboxP95: 25, openP95: 25, searchP95: 150, coldStartMs: 3000, idleRssMb: 200, ingestPerSecond: 300, reportsP95: 200 }

const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : 'n/a')
const mark = (value: number, budget: number) => `${value <= budget ? '✅' : '❌'}`
const markAtLeast = (value: number, floor: number) => `${value >= floor ? '✅' : '❌'}`
const lat = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p95)}` : 'n/a')

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
  row('Seeding', '', (r) => `${r.seedTicketsPerSecond.toLocaleString('en')} tickets/s (${r.seedSeconds} s, ${r.sizeMb.toLocaleString('en')} MB)`)
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
  row(`**Email ingest**, raw MIME over HTTP (4 concurrent)`, `≥ ${BUDGETS.ingestPerSecond} msg/s`, (r) =>
    r.ingest ? `${r.ingest.httpPerSecond} msg/s ${markAtLeast(r.ingest.httpPerSecond, BUDGETS.ingestPerSecond)}` : 'n/a',
  )
  row('**Email ingest**, SMTP listener (4 connections)', `≥ ${BUDGETS.ingestPerSecond} msg/s`, (r) =>
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
    r.reports
      ? `${(r.reports.rebuild.ms / 1000).toFixed(1)} s, ${r.reports.rebuild.cycles.toLocaleString('en')} cycles, ${r.reports.rebuild.rollupRows.toLocaleString('en')} rollup rows`
      : 'n/a',
  )
  row('**Cold start** (median of 3)', `≤ ${BUDGETS.coldStartMs / 1000} s`, (r) => `${ms(r.coldStartMs)} ${mark(r.coldStartMs, BUDGETS.coldStartMs)}`)
  row('**Idle RSS** (after the agent workload)', `≤ ${BUDGETS.idleRssMb} MB`, (r) => `${r.idleRssMb} MB ${mark(r.idleRssMb, BUDGETS.idleRssMb)}`)
  row('&nbsp;&nbsp;RSS 3 s after the email burst', '', (r) => (r.afterIngestRssMb === null ? 'n/a' : `${r.afterIngestRssMb} MB`))
  return [head, sep, ...rows].join('\n')
}

export function allPass(r: DbResult): boolean {
  const f = r.figures
  return (
    f.inbox.overall.p95 <= BUDGETS.inboxP95 &&
    f.openTicket.both.p95 <= BUDGETS.openP95 &&
    f.search.overall.p95 <= BUDGETS.searchP95 &&
    r.coldStartMs <= BUDGETS.coldStartMs &&
    r.idleRssMb <= BUDGETS.idleRssMb &&
    (!r.reports || r.reports.overall.p95 <= BUDGETS.reportsP95)
  )
}
