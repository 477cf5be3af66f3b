import {
  type BackgroundJobDto,
  type BackgroundJobPage,
  type BackgroundJobSummaryDto,
  JOB_PAYLOAD_PREVIEW_CHARS,
  type JobListQuery,
  type ListedJobStatus,
  type RetryAllJobsInput,
  type RetryAllJobsResult,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { canManageBackgroundJobs } from './background-jobs.policy.ts'
import {
  countJobsQuery,
  deadJobsByNameQuery,
  deleteDeadJob,
  findJobRow,
  findJobRows,
  type JobRow,
  listJobIdsQuery,
  requeueDeadJobs,
} from './background-jobs.queries.ts'

/** Pending and running jobs are counted up to this; a larger backlog shows as "10,000+". */
const JOB_COUNT_CAP = 10_000

function assertCanManage(actor: Actor, action: string): void {
  if (!canManageBackgroundJobs(actor)) throw forbidden(action, 'background jobs are managed by admins')
}

function presentJob(ctx: Ctx, row: JobRow): BackgroundJobDto {
  const truncated = row.payload.length > JOB_PAYLOAD_PREVIEW_CHARS
  return {
    id: row.id,
    name: row.name,
    label: ctx.jobs.labelOf(row.name),
    status: row.status as ListedJobStatus,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    runAt: row.runAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    payload: truncated ? row.payload.slice(0, JOB_PAYLOAD_PREVIEW_CHARS) : row.payload,
    payloadTruncated: truncated,
  }
}

/** Jobs of one status (dead by default), newest first, one kind or all; payloads cut to a preview. */
export async function listBackgroundJobs(ctx: Ctx, actor: Actor, query: JobListQuery): Promise<BackgroundJobPage> {
  assertCanManage(actor, 'see background jobs')
  const status = query.status ?? 'dead'
  const limit = query.limit ?? 50
  const after = decodeCursor(query.cursor, 2)
  const keys = await listJobIdsQuery(ctx.db, { status, name: query.name, after: after ? [Number(after[0]), Number(after[1])] : null, limit }).execute()
  const page = keys.slice(0, limit)
  const rows = new Map(
    (
      await findJobRows(
        ctx.db,
        page.map((k) => k.id),
      )
    ).map((r) => [r.id, r]),
  )
  // A job retried or finished between the two reads has left this status: it is left out of the page.
  const items = page.flatMap((k) => {
    const row = rows.get(k.id)
    return row && row.status === status ? [presentJob(ctx, row)] : []
  })
  const last = page.at(-1)
  return { items, nextCursor: keys.length > limit && last ? encodeCursor([Number(last.sortKey), last.id]) : null }
}

/** How many jobs wait, run and died (by kind); finished jobs are never counted. */
export async function summarizeBackgroundJobs(ctx: Ctx, actor: Actor): Promise<BackgroundJobSummaryDto> {
  assertCanManage(actor, 'see background jobs')
  const count = async (s: 'pending' | 'running') => Number((await countJobsQuery(ctx.db, s, JOB_COUNT_CAP).executeTakeFirst())?.n ?? 0)
  const [pending, running, dead] = await Promise.all([count('pending'), count('running'), deadJobsByNameQuery(ctx.db).execute()])
  const deadByName = dead
    .map((r) => ({ name: r.name, label: ctx.jobs.labelOf(r.name), count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
  return { counts: { pending, running, dead: deadByName.reduce((n, k) => n + k.count, 0) }, countCap: JOB_COUNT_CAP, deadByName }
}

/** A dead job, or 404 when there is no such job and 409 when it is not dead (queued, running or finished). */
async function getDeadJob(db: Executor, id: number, action: string) {
  const row = await findJobRow(db, id)
  if (!row) throw notFound('Job', id)
  if (row.status !== 'dead') throw conflict(`Job ${id} is ${row.status}: only dead jobs can be ${action}`, { status: row.status })
  return row
}

const preview = (payload: string) => (payload.length > JOB_PAYLOAD_PREVIEW_CHARS ? `${payload.slice(0, JOB_PAYLOAD_PREVIEW_CHARS)}…` : payload)

/**
 * Puts a dead job back in the queue: due now with a fresh set of attempts. The audit entry keeps the error it died
 * with, since the next run replaces it.
 */
export async function retryBackgroundJob(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  assertCanManage(actor, 'retry background jobs')
  await ctx.db.transaction().execute(async (trx) => {
    const job = await getDeadJob(trx, id, 'retried')
    // Only a job still dead is requeued: a concurrent retry or discard makes this one a conflict, not a double run.
    const res = await requeueDeadJobs(trx, now(), { id }).executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw conflict(`Job ${id} is no longer dead`)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'job.retried',
      targetType: 'job',
      targetId: id,
      data: { name: job.name, attempts: job.attempts, lastError: job.lastError },
    })
  })
}

/** Requeues every dead job, or every dead job of one kind; one audit entry says how many. */
export async function retryAllBackgroundJobs(ctx: Ctx, actor: Actor, input: RetryAllJobsInput): Promise<RetryAllJobsResult> {
  assertCanManage(actor, 'retry background jobs')
  return ctx.db.transaction().execute(async (trx) => {
    const res = await requeueDeadJobs(trx, now(), { name: input.name }).executeTakeFirst()
    const retried = Number(res.numUpdatedRows)
    if (retried > 0)
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'job.retried_all',
        targetType: 'job',
        targetId: null,
        data: { name: input.name ?? null, count: retried },
      })
    return { retried }
  })
}

/** Deletes a dead job for good; the audit entry keeps what it was (kind, error, payload preview). */
export async function discardBackgroundJob(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  assertCanManage(actor, 'discard background jobs')
  await ctx.db.transaction().execute(async (trx) => {
    const job = await getDeadJob(trx, id, 'discarded')
    const res = await deleteDeadJob(trx, id).executeTakeFirst()
    if (Number(res.numDeletedRows) === 0) throw conflict(`Job ${id} is no longer dead`)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'job.discarded',
      targetType: 'job',
      targetId: id,
      data: { name: job.name, attempts: job.attempts, lastError: job.lastError, payload: preview(job.payload) },
    })
  })
}
