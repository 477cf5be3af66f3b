import { type Kysely, sql } from 'kysely'
import { type Dialect, isPostgres } from '../../db/database.ts'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { computeTicketFacts, type CycleFact, type PeopleAndChannels, type ResponderFact } from './reports.facts.ts'
import { ROLLUP_COLUMNS } from './reports.metrics.ts'
import { contribute, RollupAccumulator } from './reports.rollup.ts'
import { loadFacts, loadReference, loadSources, replaceFacts, type TicketSelector } from './reports.sources.ts'

/**
 * Keeping rollups in step with facts. Recomputing tickets subtracts their stored facts' contribution,
 * adds the new facts' and replaces the facts, so rollups always equal the sum over the stored facts:
 * incremental draining and a rebuild give the same numbers by construction.
 */

export const REPORTS_ROOM = 'reports'
/**
 * Tickets per drain transaction. Computing a batch's facts and rollups holds the event loop, and SQLite also runs each
 * query on it and holds its one connection for the whole transaction: batches stay small (a few ms each, more so on
 * SQLite) so chat, the inbox and ingest go on between them.
 */
const drainBatch = (dialect: Dialect) => (dialect === 'sqlite' ? 50 : 200)
const REBUILD_BATCH = 1000
/** The rebuild writes its in-memory rollups early when they grow past this many rows. */
const REBUILD_FLUSH_ROWS = 400_000

function byCycle(responders: ResponderFact[]): Map<string, ResponderFact[]> {
  const out = new Map<string, ResponderFact[]>()
  for (const r of responders) {
    const k = `${r.ticketId}:${r.cycle}`
    const list = out.get(k)
    if (list) list.push(r)
    else out.set(k, [r])
  }
  return out
}

function addFacts(acc: RollupAccumulator, cycles: CycleFact[], responders: ResponderFact[], sign: 1 | -1) {
  const of = byCycle(responders)
  for (const c of cycles) contribute(acc, c, of.get(`${c.ticketId}:${c.cycle}`) ?? [], sign)
}

/** Recomputes the selected tickets' facts inside the caller's transaction; the rollup delta goes to `acc`. */
export async function recomputeTickets(trx: Executor, sel: TicketSelector, acc: RollupAccumulator, ref: PeopleAndChannels) {
  const [sources, old] = await Promise.all([loadSources(trx, sel), loadFacts(trx, sel)])
  addFacts(acc, old.cycles, old.responders, -1)
  const cycles: CycleFact[] = []
  const responders: ResponderFact[] = []
  for (const src of sources.values()) {
    const facts = computeTicketFacts(src, ref)
    cycles.push(...facts.cycles)
    responders.push(...facts.responders)
  }
  addFacts(acc, cycles, responders, 1)
  await replaceFacts(trx, sel, cycles, responders)
  return { tickets: sources.size, cycles: cycles.length }
}

const INSERT_ROWS = 100

/** Adds the accumulated deltas to report_rollups (insert, or add to the existing row). */
export async function writeRollups(db: Executor, acc: RollupAccumulator): Promise<number> {
  let batch: Record<string, number | string>[] = []
  let written = 0
  const flush = async () => {
    if (!batch.length) return
    await db
      .insertInto('reportRollups')
      .values(batch as never)
      .onConflict((oc) =>
        oc
          .columns(['scope', 'dim', 'day', 'key'])
          .doUpdateSet((eb: any) => Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, eb(`reportRollups.${c}`, '+', eb.ref(`excluded.${c}`))]))),
      )
      .execute()
    written += batch.length
    batch = []
  }
  for (const row of acc.changes()) {
    const values: Record<string, number | string> = { scope: row.scope, dim: row.dim, day: row.day, key: row.key }
    ROLLUP_COLUMNS.forEach((c, i) => {
      values[c] = Math.round(row.vector[i]!)
    })
    batch.push(values)
    if (batch.length >= INSERT_ROWS) await flush()
  }
  await flush()
  acc.clear()
  return written
}

let draining: Promise<unknown> = Promise.resolve()

/**
 * Recomputes up to `limit` queued tickets in one transaction. The queue rows are claimed by deleting
 * them first (only those not marked again since they were read), so two drains never apply the same
 * ticket twice and a crash rolls everything back, queue included.
 */
export async function drainReportQueue(ctx: Ctx, limit = drainBatch(ctx.dialect)): Promise<number> {
  const run = draining.then(async () => {
    const queued = await ctx.db.selectFrom('reportDirtyTickets').select(['ticketId', 'markedAt']).orderBy('markedAt').orderBy('ticketId').limit(limit).execute()
    if (!queued.length) return 0
    const seenUpTo = Math.max(...queued.map((q) => q.markedAt))
    const ref = await loadReference(ctx.db)
    const done = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .deleteFrom('reportDirtyTickets')
        .where(
          'ticketId',
          'in',
          queued.map((q) => q.ticketId),
        )
        .where('markedAt', '<=', seenUpTo)
        .returning('ticketId')
        .execute()
      if (!claimed.length) return 0
      const acc = new RollupAccumulator()
      await recomputeTickets(trx, { ids: claimed.map((c) => c.ticketId) }, acc, ref)
      await writeRollups(trx, acc)
      return claimed.length
    })
    if (done) ctx.realtime.publish({ name: 'reports.updated', room: REPORTS_ROOM, payload: { tickets: done } })
    return done
  })
  draining = run.catch(() => undefined)
  return run
}

/** Drains until the queue is empty (tests, the CLI); bounded by `maxBatches`. */
export async function drainAll(ctx: Ctx, maxBatches = 1000): Promise<number> {
  let total = 0
  for (let i = 0; i < maxBatches; i++) {
    const n = await drainReportQueue(ctx)
    total += n
    if (!n) break
  }
  return total
}

export interface RebuildResult {
  tickets: number
  cycles: number
  rollupRows: number
  ms: number
}

/**
 * Recomputes every fact and rollup from scratch: empties them, walks the tickets by id in batches of
 * 1,000 (set-based reads per batch), accumulates the rollups in memory and writes them at the end.
 * Tickets marked after the rebuild started stay queued and are drained as usual. If it stops midway,
 * run it again.
 */
export async function rebuildReports(db: Kysely<DB>, opts: { batchSize?: number; log?: (line: string) => void } = {}): Promise<RebuildResult> {
  const started = Date.now()
  const startedAt = now()
  const batchSize = opts.batchSize ?? REBUILD_BATCH
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('reportRollups').execute()
    await trx.deleteFrom('reportCycleResponders').execute()
    await trx.deleteFrom('reportCycles').execute()
    await trx.deleteFrom('reportDirtyTickets').where('markedAt', '<=', startedAt).execute()
  })
  const ref = await loadReference(db)
  const bounds = await db
    .selectFrom('tickets')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi'), eb.fn.countAll().as('n')])
    .executeTakeFirstOrThrow()
  const lo = Number(bounds.lo ?? 1)
  const hi = Number(bounds.hi ?? 0)
  const acc = new RollupAccumulator()
  let tickets = 0
  let cycles = 0
  let rollupRows = 0
  let lastLog = 0
  for (let from = lo; from <= hi; from += batchSize) {
    const sel = { fromId: from, toId: Math.min(hi, from + batchSize - 1) }
    const r = await db.transaction().execute((trx) => recomputeTickets(trx, sel, acc, ref))
    tickets += r.tickets
    cycles += r.cycles
    if (acc.size > REBUILD_FLUSH_ROWS) rollupRows += await db.transaction().execute((trx) => writeRollups(trx, acc))
    if (opts.log && (Date.now() - lastLog > 2000 || sel.toId >= hi)) {
      lastLog = Date.now()
      opts.log(`reports rebuild: ${tickets} of ${Number(bounds.n)} tickets, ${cycles} cycles (${Math.round((Date.now() - started) / 1000)} s)`)
    }
  }
  rollupRows += await db.transaction().execute((trx) => writeRollups(trx, acc))
  // Every fact row was just rewritten: PostgreSQL plans and counts them (index-only) well only once it has
  // fresh statistics and a visibility map, which autovacuum would otherwise bring minutes later.
  if (isPostgres(db)) await sql`VACUUM ANALYZE report_cycles, report_cycle_responders, report_rollups`.execute(db)
  const result = { tickets, cycles, rollupRows, ms: Date.now() - started }
  opts.log?.(`reports rebuild: done, ${tickets} tickets, ${cycles} cycles, ${rollupRows} rollup rows written in ${result.ms} ms`)
  return result
}
