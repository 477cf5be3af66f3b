import type { ChatLatency } from './chat.ts'
import type { ClusterPhase, ClusterResult } from './cluster.ts'
import type { OpFigures } from './load-generator.ts'
import { BUDGETS, mark, ms } from './report.ts'

const phaseName = (p: ClusterPhase) => `${p.webNodes} web + ${p.workers} worker`
const n = (v: number) => v.toLocaleString('en')
const p3 = (l: { p50: number; p95: number; p99: number }) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`
const errs = (e: number) => (e ? `, **${n(e)} errors**` : '')
/** Later phase ÷ first phase: above 1 is more throughput, or more latency. */
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? `×${(b / a).toFixed(2)}` : 'n/a')
const lost = (l: ChatLatency) => (l.lost ? `, **${l.lost} of ${l.n + l.lost} lost**` : '')

/** Markdown table: one column per phase, the budget of DESIGN.md §6 beside it and the ratio of the last phase to the first. */
export function clusterTable(r: ClusterResult): string {
  const phases = r.phases
  const first = phases[0]!
  const last = phases[phases.length - 1]!
  const rows: string[] = [
    `| Measure | Budget | ${phases.map(phaseName).join(' | ')} | ${phaseName(last)} ÷ ${phaseName(first)} |`,
    `|---|---|${phases.map(() => '---').join('|')}|---|`,
  ]
  const row = (label: string, budget: string, cell: (p: ClusterPhase) => string, change = '') =>
    rows.push(`| ${label} | ${budget} | ${phases.map(cell).join(' | ')} | ${change} |`)
  const op = (label: string, pick: (p: ClusterPhase) => OpFigures, budgetP95: number | null, unit = '/s', budgetText = '') =>
    row(
      label,
      budgetP95 === null ? budgetText : `p95 ≤ ${budgetP95} ms`,
      (p) => {
        const f = pick(p)
        const budget = budgetP95 === null ? '' : ` ${mark(f.server.p95, budgetP95)}`
        return `${n(f.perSecond)}${unit}; server ${p3(f.server)}${budget}; client ${p3(f)}${errs(f.errors)}`
      },
      `throughput ${ratio(pick(first).perSecond, pick(last).perSecond)}, server p95 ${ratio(pick(first).server.p95, pick(last).server.p95)}, client p95 ${ratio(pick(first).p95, pick(last).p95)}`,
    )

  row('Data set', '', () => `${n(r.tickets)} tickets, ${n(r.messages)} messages, ${n(r.contacts)} contacts`)
  row('Load', '', (p) => `${r.clients} closed-loop clients, ${p.load.seconds} s measured after ${p.warmupSeconds} s warm-up`)
  row(
    `**All operations** (mix ${Object.entries(r.mix)
      .map(([k, v]) => `${k} ${v}`)
      .join(' : ')})`,
    '',
    (p) => `${n(p.load.total.perSecond)}/s; ${p3(p.load.total)}${errs(p.load.total.errors)}`,
    `throughput ${ratio(first.load.total.perSecond, last.load.total.perSecond)}`,
  )
  row('&nbsp;&nbsp;per web node', '', (p) => p.load.perNode.map((x, i) => `web ${i + 1}: ${n(x.perSecond)}/s`).join(', '))
  op('**Inbox list**, 50 rows, filtered: p50 / p95 / p99 (server time, then as the client saw it)', (p) => p.load.ops.inbox, BUDGETS.inboxP95)
  op('**Open ticket** (GET ticket + GET its 50 messages, together)', (p) => p.load.ops.open, BUDGETS.openP95)
  op('&nbsp;&nbsp;GET /tickets/:id', (p) => p.load.openParts.ticket, null)
  op('&nbsp;&nbsp;GET /tickets/:id/messages', (p) => p.load.openParts.messages, null)
  op('**Search**', (p) => p.load.ops.search, BUDGETS.searchP95)
  op('**Email ingest**, raw MIME over HTTP', (p) => p.load.ops.ingest, null, ' msg/s', `(ingest alone: ≥ ${BUDGETS.ingestPerSecond} msg/s per node)`)
  row('&nbsp;&nbsp;outcomes', '', (p) =>
    Object.entries(p.load.ingestOutcomes)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', '),
  )
  if (phases.some((p) => p.chat)) {
    const chat = (show: (c: NonNullable<ClusterPhase['chat']>) => string) => (p: ClusterPhase) => (p.chat ? show(p.chat) : 'n/a')
    const chatChange = (pick: (c: NonNullable<ClusterPhase['chat']>) => ChatLatency) =>
      first.chat && last.chat ? `p99 ${ratio(pick(first.chat).p99, pick(last.chat).p99)}` : ''
    row(
      '**Live chat**: widget sockets (per node), agent sockets per node',
      '',
      chat(
        (c) =>
          `${n(c.visitors + c.warmUpVisitors)} (${c.visitorsPerNode.map(n).join(' + ')} + ${c.warmUpVisitors} warm-up) in ${c.connectSeconds} s${c.failed ? `, **${c.failed} failed**` : ''}${c.lostSockets ? `, **${c.lostSockets} dropped**` : ''}; ${c.agentSocketsPerNode}`,
      ),
    )
    row(
      '&nbsp;&nbsp;chat start: visitor on X → agents on Y',
      '',
      chat((c) => `${p3(c.chatStart)}${lost(c.chatStart)}`),
      chatChange((c) => c.chatStart),
    )
    row(
      '&nbsp;&nbsp;visitor on X → agent on Y: p50 / p95 / p99',
      `p99 ≤ ${BUDGETS.chatP99} ms`,
      chat((c) => `${p3(c.visitorToAgent)} ${chatPass(c.visitorToAgent)}${lost(c.visitorToAgent)}`),
      chatChange((c) => c.visitorToAgent),
    )
    row(
      '&nbsp;&nbsp;agent reply via Y → visitor on X',
      `p99 ≤ ${BUDGETS.chatP99} ms`,
      chat((c) => `${p3(c.agentToVisitor)} ${chatPass(c.agentToVisitor)}${lost(c.agentToVisitor)}`),
      chatChange((c) => c.agentToVisitor),
    )
    row(
      '&nbsp;&nbsp;chats, messages each way',
      '',
      chat((c) => `${c.chats} chats in ${c.seconds} s, ${n(c.visitorToAgent.n + c.visitorToAgent.lost)} messages each way at ${c.messagesPerSecond}/s`),
    )
  }
  row(
    'CPU during the window, in cores',
    '',
    (p) => `${p.nodes.map((x) => `${x.name} ${x.cpuCores}`).join(', ')}, PostgreSQL ${p.postgresCores}, load generator ${p.load.cpuCores}`,
  )
  row('Machine load average (1 min) at the end of the window', '', (p) => `${p.loadAverage}`)
  row('RSS after the window', '', (p) => p.nodes.map((x) => `${x.name} ${x.rssMb} MB`).join(', '))
  return rows.join('\n')
}

const chatPass = (l: ChatLatency) => (l.lost === 0 && l.p99 <= BUDGETS.chatP99 ? '✅' : '❌')

/** Every phase within the latency budgets of §6 (server time under load), without errors or lost chat messages. */
export function clusterPass(r: ClusterResult): boolean {
  return r.phases.every(
    (p) =>
      p.load.total.errors === 0 &&
      p.load.ops.inbox.server.p95 <= BUDGETS.inboxP95 &&
      p.load.ops.open.server.p95 <= BUDGETS.openP95 &&
      p.load.ops.search.server.p95 <= BUDGETS.searchP95 &&
      (!p.chat || (p.chat.failed === 0 && p.chat.lostSockets === 0 && chatPass(p.chat.visitorToAgent) === '✅' && chatPass(p.chat.agentToVisitor) === '✅')),
  )
}
