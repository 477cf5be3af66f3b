/**
 * `npm run bench:explain -- <DATABASE_URL>`: every query the hot paths run, with PostgreSQL's EXPLAIN (ANALYZE, BUFFERS),
 * on a seeded bench database (`npm run bench -- --db postgres --keep` or `--cluster --keep` prints its URL).
 *
 * The database is migrated to the current code first. The real routes run in this process (`app.inject`), each query
 * they send is captured, then explained: reads with
 * ANALYZE (they are run again, timed by PostgreSQL), writes without it (planned, never run twice). A sequential scan of
 * a big table is flagged. Writes bench/results/<date>-explain-postgres.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { CompiledQuery } from 'kysely'
import pg from 'pg'
import { buildApp } from '../apps/server/src/app.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import { openDatabase } from '../apps/server/src/db/database.ts'
import { migrateToLatest } from '../apps/server/src/db/migrate.ts'
import { loadSpamAssassin } from './ingest.ts'
import { SEARCHES } from './scenarios.ts'
import { seededFacts } from './seeded.ts'
import { ADMIN } from './target.ts'

const url = process.argv[2]
if (!url?.startsWith('postgres')) {
  console.error('Usage: npm run bench:explain -- postgres://…/allhands_bench_… (a seeded bench database, kept with --keep)')
  process.exit(2)
}

/** A table this big read from start to end on a hot path is a missing index. */
const BIG_TABLE_ROWS = 50_000

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows'?: number; 'Plan Rows'?: number; Plans?: PlanNode[] }
type Explained = { sql: string; ms: number | null; nodes: string[]; seqScans: string[]; error?: string }

const captured: CompiledQuery[] = []
let capturing = false
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-explain-'))
const database = openDatabase({ databaseUrl: url, dataDir, poolSize: 2, onQuery: (q) => capturing && captured.push(q) })
// The plans of the code as it is now: its migrations (new indexes) first.
await migrateToLatest(database.db)
const app = await buildApp(loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SMTP_INBOUND_PORT: '0' }), database, { logger: false })
await app.ready()
const explainer = new pg.Client({ connectionString: url })
await explainer.connect()

const bigTables = new Set(
  (await explainer.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > ${BIG_TABLE_ROWS}`)).rows.map((r) => r.relname),
)

const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN })
if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
const headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; ') }

const facts = await seededFacts(url)
const emailInbox = (await explainer.query<{ id: number }>(`SELECT id FROM inboxes WHERE type = 'email' ORDER BY id LIMIT 1`)).rows[0]
const mail = loadSpamAssassin(1)[0]

const inboxNames = ['Inbox: all open', 'Inbox: open, one assignee', 'Inbox: team, pending', 'Inbox: inbox, new+open', 'Inbox: unassigned']
const longTicket = facts.longTicketIds[0]
const paths: { name: string; method: 'GET' | 'POST'; url: string; body?: Buffer }[] = [
  ...facts.inboxQueries.map((q, i) => ({ name: inboxNames[i] ?? q, method: 'GET' as const, url: `/api/v1/tickets?${q}&limit=50` })),
  { name: 'Open a ticket', method: 'GET', url: `/api/v1/tickets/${longTicket}` },
  { name: 'Open a ticket: its messages', method: 'GET', url: `/api/v1/tickets/${longTicket}/messages` },
  ...SEARCHES.map((q) => ({ name: `Search "${q}"`, method: 'GET' as const, url: `/api/v1/search?q=${encodeURIComponent(q)}` })),
  ...(emailInbox && mail
    ? [{ name: 'Ingest one email (HTTP)', method: 'POST' as const, url: `/api/v1/inboxes/${emailInbox.id}/inbound-email`, body: mail }]
    : []),
]

async function explain(query: CompiledQuery): Promise<Explained> {
  const sql = query.sql.replace(/\s+/g, ' ')
  const isRead = /^\s*(select|with)\b/i.test(query.sql) && !/\b(insert|update|delete)\b/i.test(query.sql)
  try {
    const res = await explainer.query(`EXPLAIN (${isRead ? 'ANALYZE, BUFFERS, ' : ''}FORMAT JSON) ${query.sql}`, query.parameters as unknown[])
    const [plan] = res.rows[0]['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time'?: number }]
    const nodes: string[] = []
    const seqScans: string[] = []
    const walk = (n: PlanNode) => {
      const rows = n['Actual Rows'] ?? n['Plan Rows']
      if (n['Relation Name'] || n['Index Name'])
        nodes.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''} on ${n['Relation Name'] ?? '?'} (${rows} rows)`)
      if (n['Node Type'] === 'Seq Scan' && n['Relation Name'] && bigTables.has(n['Relation Name'])) seqScans.push(n['Relation Name'])
      for (const c of n.Plans ?? []) walk(c)
    }
    walk(plan.Plan)
    return { sql, ms: plan['Execution Time'] ?? null, nodes, seqScans }
  } catch (err) {
    return { sql, ms: null, nodes: [], seqScans: [], error: err instanceof Error ? err.message : String(err) }
  }
}

const lines: string[] = [`# EXPLAIN of the hot paths — ${new Date().toISOString().slice(0, 10)}`, '']
lines.push(`PostgreSQL, ${facts.tickets.toLocaleString('en')} tickets, ${facts.messages.toLocaleString('en')} messages.`, '')
let flagged = 0
for (const p of paths) {
  const inject = () =>
    app.inject({ method: p.method, url: p.url, headers: { ...headers, ...(p.body ? { 'content-type': 'message/rfc822' } : {}) }, payload: p.body })
  if (p.method === 'GET') await inject() // warm: the first call fills caches the server keeps
  captured.length = 0
  capturing = true
  const res = await inject()
  capturing = false
  lines.push(`## ${p.name} — \`${p.method} ${p.url.replace(/\?.*/, '?…')}\` → ${res.statusCode}`, '')
  lines.push('| # | ms (PostgreSQL) | plan | query |', '|---|---|---|---|')
  // Transaction control is not a query to explain.
  const queries = captured.filter((q) => !/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(q.sql))
  for (const [i, q] of queries.entries()) {
    const e = await explain(q)
    if (e.seqScans.length) flagged++
    const plan = e.error ? `error: ${e.error}` : e.nodes.join('; ') || '(no table)'
    const warn = e.seqScans.length ? ` **⚠ seq scan of ${e.seqScans.join(', ')}**` : ''
    lines.push(
      `| ${i + 1} | ${e.ms === null ? 'not run (write)' : e.ms.toFixed(2)} | ${plan}${warn} | \`${e.sql.slice(0, 160).replace(/\|/g, '\\|')}${e.sql.length > 160 ? '…' : ''}\` |`,
    )
  }
  lines.push('')
}
lines.push(flagged ? `**${flagged} queries read a big table sequentially.**` : 'No hot-path query reads a big table sequentially.')
const out = path.join(import.meta.dirname, 'results', `${new Date().toISOString().slice(0, 10)}-explain-postgres.md`)
fs.writeFileSync(out, `${lines.join('\n')}\n`)
console.log(lines.join('\n'))
console.log(`\nwrote ${path.relative(process.cwd(), out)}`)
await explainer.end()
await app.close()
await database.close()
fs.rmSync(dataDir, { recursive: true, force: true })
process.exit(flagged ? 1 : 0)
