import { BackgroundJobPage, BackgroundJobSummaryDto, IdParams, JobListQuery, Ok, RetryAllJobsInput, RetryAllJobsResult } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { discardBackgroundJob, listBackgroundJobs, retryAllBackgroundJobs, retryBackgroundJob, summarizeBackgroundJobs } from './background-jobs.service.ts'

/** /admin/jobs: the background job queue and its dead letters, for admins: list, count, retry, discard. */
export async function backgroundJobsRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['background jobs']

  app.get(
    '/admin/jobs',
    {
      schema: {
        tags,
        description:
          'Jobs of one status (dead by default), optionally of one kind (`name`): dead ones by when their last attempt failed, pending and running ones by run time, newest first. Payloads are cut to a preview.',
        querystring: JobListQuery,
        response: { 200: BackgroundJobPage },
      },
    },
    async (req) => listBackgroundJobs(ctx, actorOf(req), req.query),
  )
  app.get(
    '/admin/jobs/summary',
    {
      schema: {
        tags,
        description:
          'How many jobs are pending, running (both counted up to countCap + 1) and dead, with the dead ones by kind. Finished jobs are not counted.',
        response: { 200: BackgroundJobSummaryDto },
      },
    },
    async (req) => summarizeBackgroundJobs(ctx, actorOf(req)),
  )
  app.post(
    '/admin/jobs/:id/retry',
    {
      schema: {
        tags,
        description: 'Puts a dead job back in the queue, due now with its attempts reset (audited with the error it died with). 409 when the job is not dead.',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await retryBackgroundJob(ctx, actorOf(req), req.params.id)
      return { ok: true }
    },
  )
  app.post(
    '/admin/jobs/retry-all',
    {
      schema: {
        tags,
        description: 'Puts every dead job, or every dead job of one kind, back in the queue; returns how many (one audit entry).',
        body: RetryAllJobsInput,
        response: { 200: RetryAllJobsResult },
      },
    },
    async (req) => retryAllBackgroundJobs(ctx, actorOf(req), req.body),
  )
  app.delete(
    '/admin/jobs/:id',
    {
      schema: {
        tags,
        description: 'Deletes a dead job for good (audited with its kind, error and payload preview). 409 when the job is not dead.',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await discardBackgroundJob(ctx, actorOf(req), req.params.id)
      return { ok: true }
    },
  )
}
