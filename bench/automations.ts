/**
 * Automation evaluation cost per event on an existing database (the lead's has 1M tickets):
 *
 *   node --import tsx bench/automations.ts <postgres-url>      (or a SQLite data directory)
 *
 * Creates 20 realistic rules (named "bench: …", deleted at the end), then for a few hundred events on random real
 * tickets measures, in one transaction each that is rolled back (nothing is changed): the rules' lookup, loading the
 * ticket's facts, evaluating every rule, and applying the matching rules' actions. Then one time-rule scan batch per
 * time rule (the indexed candidate query, facts for the batch, evaluation). Prints a small table.
 */
import type { AutomationInput } from '@allhands/contract'
import { prepareDatabase } from '../apps/server/src/bootstrap.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import { applyActions } from '../apps/server/src/modules/automations/automations.actions.ts'
import { matches } from '../apps/server/src/modules/automations/automations.conditions.ts'
import { type EventTrigger, enabledRules, TIME_SCAN_BATCH, timeRuleCandidates } from '../apps/server/src/modules/automations/automations.engine.ts'
import { type EventContext, loadFacts } from '../apps/server/src/modules/automations/automations.facts.ts'
import { now } from '../apps/server/src/platform/clock.ts'
import type { Ctx } from '../apps/server/src/platform/context.ts'
import { summarize } from './stats.ts'

const target = process.argv[2]
if (!target) {
  console.error('usage: node --import tsx bench/automations.ts <postgres-url | sqlite-data-dir> [events=300]')
  process.exit(2)
}
const EVENTS = Number(process.argv[3] ?? 300)
const isPg = /^postgres(ql)?:\/\//.test(target)
const config = loadConfig({ ...(isPg ? { DATABASE_URL: target } : { DATA_DIR: target }), LOG_LEVEL: 'warn' })
const database = await prepareDatabase(config, { operator: true })
const { db } = database
const ctx = { db, dialect: database.dialect, config } as unknown as Ctx

class Rollback extends Error {}

function rules(teamId: number, agentId: number, inboxId: number): AutomationInput[] {
  const tags = (t: string[]) => ({ type: 'add_tags' as const, tags: t })
  return [
    {
      name: 'refunds',
      trigger: 'ticket.created',
      conditions: {
        any: [
          { field: 'ticket.subject', op: 'contains', value: 'refund' },
          { field: 'message.body', op: 'contains', value: 'money back' },
        ],
      },
      actions: [tags(['refund']), { type: 'set_team', teamId }],
    },
    {
      name: 'vip',
      trigger: 'ticket.created',
      conditions: { all: [{ field: 'requester.vip', op: 'is', value: true }] },
      actions: [{ type: 'set_priority', priority: 'high' }, tags(['vip'])],
    },
    { name: 'gold orgs', trigger: 'ticket.created', conditions: { all: [{ field: 'organization.tier', op: 'is', value: 'gold' }] }, actions: [tags(['gold'])] },
    {
      name: 'inbox route',
      trigger: 'ticket.created',
      conditions: {
        all: [
          { field: 'ticket.inbox', op: 'is', value: inboxId },
          { field: 'ticket.team', op: 'is_not_set' },
        ],
      },
      actions: [{ type: 'set_team', teamId }],
    },
    {
      name: 'outage',
      trigger: 'ticket.created',
      conditions: {
        any: [
          { field: 'ticket.subject', op: 'contains', value: 'down' },
          { field: 'ticket.subject', op: 'contains', value: 'outage' },
        ],
      },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_note', body: 'Possible outage: {{ticket.subject}}' },
      ],
    },
    {
      name: 'reopen urgent',
      trigger: 'message.created',
      conditions: {
        all: [
          { field: 'message.fromCustomer', op: 'is', value: true },
          { field: 'ticket.status', op: 'in', value: ['solved', 'closed'] },
        ],
      },
      actions: [tags(['reopened'])],
    },
    {
      name: 'angry words',
      trigger: 'message.created',
      conditions: {
        any: [
          { field: 'message.body', op: 'contains', value: 'unacceptable' },
          { field: 'message.body', op: 'contains', value: 'lawyer' },
        ],
      },
      actions: [{ type: 'set_priority', priority: 'high' }, tags(['escalate'])],
    },
    {
      name: 'domain',
      trigger: 'message.created',
      conditions: {
        all: [
          { field: 'requester.domain', op: 'ends_with', value: '.com' },
          { field: 'message.isFirst', op: 'is', value: false },
        ],
      },
      actions: [tags(['followup'])],
    },
    {
      name: 'unassigned reply',
      trigger: 'message.created',
      conditions: {
        all: [
          { field: 'ticket.assignee', op: 'is_not_set' },
          { field: 'message.fromCustomer', op: 'is', value: true },
        ],
      },
      actions: [{ type: 'assign', userId: agentId }],
    },
    {
      name: 'invoice',
      trigger: 'message.created',
      conditions: { all: [{ field: 'message.body', op: 'contains', value: 'invoice' }] },
      actions: [tags(['billing'])],
    },
    {
      name: 'urgent team',
      trigger: 'ticket.updated',
      conditions: {
        all: [
          { field: 'ticket.priority', op: 'is', value: 'urgent' },
          { field: 'ticket.team', op: 'is_not_set' },
        ],
      },
      actions: [{ type: 'set_team', teamId }],
    },
    {
      name: 'tag sync',
      trigger: 'ticket.updated',
      conditions: { all: [{ field: 'ticket.tags', op: 'includes', value: ['billing', 'refund'] }] },
      actions: [tags(['finance'])],
    },
    {
      name: 'pending no assignee',
      trigger: 'ticket.updated',
      conditions: {
        all: [
          { field: 'ticket.status', op: 'is', value: 'pending' },
          { field: 'ticket.assignee', op: 'is_not_set' },
        ],
      },
      actions: [{ type: 'assign', userId: agentId }],
    },
    {
      name: 'weekend',
      trigger: 'ticket.updated',
      conditions: {
        all: [
          { field: 'time.weekday', op: 'in', value: ['sat', 'sun'] },
          { field: 'ticket.priority', op: 'in', value: ['high', 'urgent'] },
        ],
      },
      actions: [tags(['weekend'])],
    },
    {
      name: 'email channel',
      trigger: 'ticket.updated',
      conditions: {
        all: [
          { field: 'ticket.channel', op: 'is', value: 'email' },
          { field: 'ticket.subject', op: 'starts_with', value: 're:' },
        ],
      },
      actions: [tags(['thread'])],
    },
    {
      name: 'pending 3 days',
      trigger: 'time',
      schedule: { anchor: 'updated', hours: 72 },
      conditions: { all: [{ field: 'ticket.status', op: 'is', value: 'pending' }] },
      actions: [{ type: 'add_note', body: 'Reminder: waiting on {{requester.name}} for 3 days' }],
    },
    {
      name: 'solved 4 days',
      trigger: 'time',
      schedule: { anchor: 'solved', hours: 96 },
      conditions: { all: [{ field: 'ticket.status', op: 'is', value: 'solved' }] },
      actions: [{ type: 'set_status', status: 'closed' }],
    },
    {
      name: 'open 7 days',
      trigger: 'time',
      schedule: { anchor: 'updated', hours: 168 },
      conditions: { all: [{ field: 'ticket.status', op: 'is', value: 'open' }] },
      actions: [tags(['stale'])],
    },
    {
      name: 'new 1 day',
      trigger: 'time',
      schedule: { anchor: 'created', hours: 24 },
      conditions: {
        all: [
          { field: 'ticket.status', op: 'is', value: 'new' },
          { field: 'ticket.assignee', op: 'is_not_set' },
        ],
      },
      actions: [{ type: 'set_priority', priority: 'high' }],
    },
    {
      name: 'on hold 14 days',
      trigger: 'time',
      schedule: { anchor: 'updated', hours: 336 },
      conditions: { all: [{ field: 'ticket.status', op: 'is', value: 'on_hold' }] },
      actions: [tags(['on-hold-long'])],
    },
  ]
}

const team = await db.selectFrom('teams').select('id').orderBy('id').executeTakeFirst()
const agent = await db
  .selectFrom('users')
  .select('id')
  .where('role', 'in', ['agent', 'admin', 'owner'])
  .where('isActive', '=', 1)
  .orderBy('id')
  .executeTakeFirst()
const inbox = await db.selectFrom('inboxes').select('id').orderBy('id').executeTakeFirst()
const bounds = await db
  .selectFrom('tickets')
  .select([(eb) => eb.fn.min<number>('id').as('lo'), (eb) => eb.fn.max<number>('id').as('hi')])
  .executeTakeFirst()
if (!team || !agent || !inbox || !bounds?.hi) {
  console.error('The database needs at least one team, one agent, one inbox and some tickets (e.g. `allhands seed demo`).')
  process.exit(1)
}
const ticketCount = Number(
  (
    await db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
)

const t0 = now()
const last = await db
  .selectFrom('automations')
  .select((eb) => eb.fn.max<number>('position').as('p'))
  .executeTakeFirst()
const created: number[] = []
try {
  for (const [i, r] of rules(team.id, agent.id, inbox.id).entries()) {
    const row = await db
      .insertInto('automations')
      .values({
        name: `bench: ${r.name}`,
        trigger: r.trigger,
        schedule: r.schedule ? JSON.stringify(r.schedule) : null,
        conditions: JSON.stringify(r.conditions),
        actions: JSON.stringify(r.actions),
        position: Number(last?.p ?? 0) + i + 1,
        createdById: null,
        createdAt: t0,
        updatedAt: t0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    created.push(row.id)
  }

  const lo = Number(bounds.lo)
  const hi = Number(bounds.hi)
  const randomTicket = async () => {
    const start = lo + Math.floor(Math.random() * (hi - lo + 1))
    const row = await db.selectFrom('tickets').select(['id', 'lastMessageId']).where('id', '>=', start).orderBy('id').limit(1).executeTakeFirst()
    return row ?? { id: lo, lastMessageId: null }
  }
  const triggers: EventTrigger[] = ['ticket.created', 'message.created', 'ticket.updated']
  const evaluate: number[] = []
  const full: number[] = []
  let matched = 0
  for (let i = 0; i < EVENTS; i++) {
    const trigger = triggers[i % triggers.length]!
    const ticket = await randomTicket()
    const context: EventContext =
      trigger === 'ticket.created' ? { openingMessage: true } : trigger === 'message.created' ? { messageId: ticket.lastMessageId } : {}
    const started = performance.now()
    try {
      await db.transaction().execute(async (trx) => {
        const list = await enabledRules(trx, trigger)
        const facts = (await loadFacts(trx, [ticket.id], context)).get(ticket.id)
        if (!facts) throw new Rollback()
        const hits = list.filter((r) => matches(r.conditions, facts))
        evaluate.push(performance.now() - started)
        for (const rule of hits) {
          matched++
          await applyActions(trx, ctx, () => {}, rule, facts, { chain: [rule.id], eventKey: `bench:${i}`, trigger })
        }
        throw new Rollback()
      })
    } catch (err) {
      if (!(err instanceof Rollback)) throw err
    }
    full.push(performance.now() - started)
  }

  const scans: number[] = []
  let scanned = 0
  for (const rule of await enabledRules(db, 'time')) {
    if (!created.includes(rule.id) || !rule.schedule) continue
    const started = performance.now()
    const candidates = await timeRuleCandidates(db, { ...rule, scanAt: 0, scanId: 0 })
    const facts = await loadFacts(
      db,
      candidates.map((c) => c.id),
      {},
    )
    for (const f of facts.values()) matches(rule.conditions, f)
    scans.push(performance.now() - started)
    scanned += candidates.length
  }

  const e = summarize(evaluate)
  const f = summarize(full)
  const s = summarize(scans)
  const line = (name: string, l: { n: number; p50: number; p95: number; max: number }) =>
    `${name.padEnd(44)} ${String(l.n).padStart(5)} ${l.p50.toFixed(2).padStart(9)} ${l.p95.toFixed(2).padStart(9)} ${l.max.toFixed(2).padStart(9)}`
  console.log(`\nAutomations bench — ${isPg ? 'PostgreSQL' : 'SQLite'}, ${ticketCount.toLocaleString('en')} tickets, 20 rules (15 event, 5 time)\n`)
  console.log(`${'what'.padEnd(44)} ${'n'.padStart(5)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'max ms'.padStart(9)}`)
  console.log(line('per event: rules + load facts + evaluate', e))
  console.log(line('per event: … + apply matching rules', f))
  console.log(line(`time rule scan: one batch (≤ ${TIME_SCAN_BATCH} tickets)`, s))
  console.log(`\n${matched} rule matches applied over ${EVENTS} events (rolled back); ${scanned} time-rule candidates scanned.`)
} finally {
  if (created.length) await db.deleteFrom('automations').where('id', 'in', created).execute()
  await database.close()
}
