import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'

/**
 * Background jobs as admins see them (Settings → Background jobs): the queue's pending and running work and the
 * dead letters, jobs that used up their attempts. Finished (`done`) jobs are not listed or counted.
 */
export const LISTED_JOB_STATUSES = ['dead', 'pending', 'running'] as const
export type ListedJobStatus = (typeof LISTED_JOB_STATUSES)[number]

/** A job's payload is shown up to this many characters; longer ones are cut and flagged. */
export const JOB_PAYLOAD_PREVIEW_CHARS = 2000

/** A job kind: `send-email`, `process-inbound-email`, … (what the job registry calls it). */
const JobName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$' })

export const JobListQuery = Type.Object({
  status: Type.Optional(Type.Enum(LISTED_JOB_STATUSES, { description: 'Which jobs to list: dead (the default), pending or running' })),
  name: Type.Optional(JobName),
  ...CursorQuery,
})
export type JobListQuery = Static<typeof JobListQuery>

export const BackgroundJobDto = Type.Object({
  id: Id,
  name: Type.String(),
  /** What the job does, in words: "Send reply email". */
  label: Type.String(),
  status: Type.Enum(LISTED_JOB_STATUSES),
  attempts: Type.Integer({ minimum: 0 }),
  maxAttempts: Type.Integer({ minimum: 0 }),
  lastError: Nullable(Type.String()),
  /** Pending: when it runs next. Dead: when it would have been retried. */
  runAt: Timestamp,
  createdAt: Timestamp,
  /** For a dead job, when its last attempt failed. */
  updatedAt: Timestamp,
  /** The payload as stored (JSON text), cut to JOB_PAYLOAD_PREVIEW_CHARS characters. */
  payload: Type.String(),
  payloadTruncated: Type.Boolean(),
})
export type BackgroundJobDto = Static<typeof BackgroundJobDto>

export const BackgroundJobPage = Type.Object(
  { items: Type.Array(BackgroundJobDto), nextCursor: Nullable(Type.String()) },
  { description: 'Dead jobs newest failure first; pending and running jobs latest run time first.' },
)
export type BackgroundJobPage = Static<typeof BackgroundJobPage>

export const DeadJobKindDto = Type.Object({ name: Type.String(), label: Type.String(), count: Type.Integer({ minimum: 1 }) })
export type DeadJobKindDto = Static<typeof DeadJobKindDto>

export const BackgroundJobSummaryDto = Type.Object({
  /** Pending and running are counted up to countCap + 1 (a backlog can be huge); dead jobs are counted exactly. */
  counts: Type.Object({ pending: Type.Integer({ minimum: 0 }), running: Type.Integer({ minimum: 0 }), dead: Type.Integer({ minimum: 0 }) }),
  countCap: Type.Integer({ minimum: 1 }),
  /** Dead jobs by kind, most first. */
  deadByName: Type.Array(DeadJobKindDto),
})
export type BackgroundJobSummaryDto = Static<typeof BackgroundJobSummaryDto>

export const RetryAllJobsInput = Type.Object({ name: Type.Optional(JobName) }, { additionalProperties: false })
export type RetryAllJobsInput = Static<typeof RetryAllJobsInput>

export const RetryAllJobsResult = Type.Object({ retried: Type.Integer({ minimum: 0 }) })
export type RetryAllJobsResult = Static<typeof RetryAllJobsResult>
