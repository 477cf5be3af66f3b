import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Dialect } from '../db/database.ts'
import { now } from './clock.ts'
import type { Ctx, Executor } from './context.ts'

/** A kind of background work: one file per job under modules/<module>/jobs/, registered at start. */
export interface JobDefinition<P> {
  name: string
  /** What the job does, in words, for admins (Settings → Background jobs). */
  label: string
  maxAttempts: number
  /**
   * Idempotent: called again after a crash or a retry, it must notice work already done. `run.retry` says an earlier
   * attempt started (and may have got as far as sending) before it failed or its worker died.
   */
  handle(ctx: Ctx, payload: P, run?: { retry: boolean }): Promise<void>
  /** Called once when the last attempt failed, to make the failure visible where people look. */
  onDead?(ctx: Ctx, payload: P, error: string): Promise<void>
  /**
   * How long a finished row is kept (default 7 days); while it is, its idempotency key keeps the same work from being
   * queued again. Jobs that re-queue themselves every few seconds keep theirs briefly, or the table grows without end.
   */
  keepDoneMs?: number
}

const KEEP_DONE_MS = 7 * 24 * 3_600_000

/** A job that runs every `everyMs` (in fixed slots of that length) and queues its next run, whatever happens. */
export interface RecurringJob {
  job: JobDefinition<{ slot: number }>
  /** Queues the next slot's run; one per slot however many processes ask (call it at start to begin the chain). */
  schedule(db: Executor): Promise<void>
}

export function recurringJob(def: { name: string; label: string; everyMs: number; run(ctx: Ctx): Promise<unknown> }): RecurringJob {
  const schedule = async (db: Executor) => {
    const slot = Math.floor(now() / def.everyMs) + 1
    await enqueueJob(db, job, { slot }, { runAt: slot * def.everyMs, idempotencyKey: `${def.name}:${slot}` })
  }
  const job: JobDefinition<{ slot: number }> = {
    name: def.name,
    label: def.label,
    maxAttempts: 3,
    // A slot's key only has to outlive the slot: finished runs are kept briefly, or the table grows without end.
    keepDoneMs: Math.max(3_600_000, 6 * def.everyMs),
    async handle(ctx) {
      try {
        await def.run(ctx)
      } finally {
        await schedule(ctx.db)
      }
    },
  }
  return { job, schedule }
}
const PURGE_EVERY_MS = 10 * 60_000

const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 3_600_000)

/** Queues a job in the caller's transaction; with an idempotency key the same work is queued once. */
export async function enqueueJob<P>(db: Executor, job: JobDefinition<P>, payload: P, opts: { runAt?: number; idempotencyKey?: string } = {}): Promise<void> {
  const t = now()
  await db
    .insertInto('jobs')
    .values({
      name: job.name,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      maxAttempts: job.maxAttempts,
      runAt: opts.runAt ?? t,
      lockedUntil: null,
      lockedBy: null,
      idempotencyKey: opts.idempotencyKey ?? null,
      lastError: null,
      createdAt: t,
      updatedAt: t,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .execute()
}

type Claimed = { id: number; name: string; payload: string; attempts: number; maxAttempts: number }

/** Claims one due job (or one whose worker's lease ran out). PostgreSQL skips rows other workers hold. */
async function claimNext(db: Executor, dialect: Dialect, workerId: string, leaseMs: number): Promise<Claimed | undefined> {
  const t = now()
  if (dialect === 'postgres') {
    const res = await sql<Claimed>`
      UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ${t + leaseMs}, locked_by = ${workerId}, updated_at = ${t}
      WHERE id = (
        SELECT id FROM jobs
        WHERE (status = 'pending' AND run_at <= ${t}) OR (status = 'running' AND locked_until < ${t})
        ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, name, payload, attempts, max_attempts AS "maxAttempts"`.execute(db)
    return res.rows[0]
  }
  // SQLite has one writer at a time: the UPDATE … WHERE id = (SELECT …) is atomic on its own.
  const res = await sql<Claimed>`
    UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ${t + leaseMs}, locked_by = ${workerId}, updated_at = ${t}
    WHERE id = (
      SELECT id FROM jobs
      WHERE (status = 'pending' AND run_at <= ${t}) OR (status = 'running' AND locked_until < ${t})
      ORDER BY run_at, id LIMIT 1)
    RETURNING id, name, payload, attempts, max_attempts AS maxAttempts`.execute(db)
  return res.rows[0]
}

/** Runs queued jobs: a polling loop in worker processes, or `runDue()` on demand (tests, CLI). */
export class JobRunner {
  private readonly handlers = new Map<string, JobDefinition<any>>()
  private readonly workerId = `${process.pid}-${randomBytes(4).toString('hex')}`
  private timer: NodeJS.Timeout | null = null
  private running: Promise<number> | null = null
  private lastPurgeAt = 0

  constructor(private readonly ctx: () => Ctx) {}

  register(...jobs: JobDefinition<any>[]): void {
    for (const job of jobs) this.handlers.set(job.name, job)
  }

  /** The registered job's label; a kind this process does not know is named from its kebab-case name. */
  labelOf(name: string): string {
    const known = this.handlers.get(name)?.label
    if (known) return known
    const words = name.split('-').filter(Boolean).join(' ')
    return words ? words[0]!.toUpperCase() + words.slice(1) : name
  }

  /** Runs every due job once; returns how many ran. Concurrent calls share one pass. */
  runDue(limit = 100): Promise<number> {
    this.running ??= this.drain(limit).finally(() => {
      this.running = null
    })
    return this.running
  }

  private async drain(limit: number): Promise<number> {
    const ctx = this.ctx()
    let count = 0
    while (count < limit) {
      const job = await claimNext(ctx.db, ctx.dialect, this.workerId, ctx.config.jobLeaseMs)
      if (!job) break
      count++
      await this.execute(ctx, job)
    }
    return count
  }

  private async execute(ctx: Ctx, job: Claimed): Promise<void> {
    const definition = this.handlers.get(job.name)
    // Only the worker that still holds the lease settles the row: if this one stalled past its lease and another
    // took the job over, the other's outcome counts. Handlers are idempotent, so the overlap does no harm.
    const mine = () => ctx.db.updateTable('jobs').where('id', '=', job.id).where('status', '=', 'running').where('lockedBy', '=', this.workerId)
    const lease = ctx.config.jobLeaseMs
    const heartbeat = setInterval(() => {
      void mine()
        .set({ lockedUntil: now() + lease })
        .execute()
        .catch(() => {})
    }, lease / 3)
    try {
      if (!definition) throw new Error(`no handler for job ${job.name}`)
      await definition.handle(ctx, JSON.parse(job.payload), { retry: job.attempts > 1 })
      clearInterval(heartbeat)
      await mine().set({ status: 'done', lockedUntil: null, lastError: null, updatedAt: now() }).execute()
    } catch (err) {
      clearInterval(heartbeat)
      const message = err instanceof Error ? err.message : String(err)
      const dead = job.attempts >= job.maxAttempts
      const settled = await mine()
        .set({
          status: dead ? 'dead' : 'pending',
          runAt: now() + backoffMs(job.attempts),
          lockedUntil: null,
          lastError: message.slice(0, 2000),
          updatedAt: now(),
        })
        .executeTakeFirst()
      if (dead && Number(settled.numUpdatedRows)) await definition?.onDead?.(ctx, JSON.parse(job.payload), message)
    }
  }

  /** Deletes finished rows past their job's keep period; returns how many. Run by the polling loop now and then. */
  async purgeFinished(): Promise<number> {
    const ctx = this.ctx()
    const t = now()
    let deleted = 0
    for (const job of this.handlers.values()) {
      // run_at <= the time a job finished: the (status, run_at) index finds the rows.
      const res = await ctx.db
        .deleteFrom('jobs')
        .where('status', '=', 'done')
        .where('name', '=', job.name)
        .where('runAt', '<', t - (job.keepDoneMs ?? KEEP_DONE_MS))
        .executeTakeFirst()
      deleted += Number(res.numDeletedRows)
    }
    this.lastPurgeAt = t
    return deleted
  }

  /** Polls for due jobs until stop() (every JOB_POLL_MS unless told otherwise). */
  start(intervalMs = this.ctx().config.jobPollMs): void {
    if (this.timer) return
    const tick = async () => {
      try {
        await this.runDue()
        if (now() - this.lastPurgeAt >= PURGE_EVERY_MS) await this.purgeFinished()
      } finally {
        if (this.timer) this.timer = setTimeout(tick, intervalMs)
      }
    }
    this.timer = setTimeout(tick, intervalMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }
}
