import type { BackgroundJobPage, BackgroundJobSummaryDto, JobListQuery, RetryAllJobsResult } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of the background jobs view; all start with 'background-jobs' so one invalidation refreshes them all. */
export const jobKeys = {
  all: ['background-jobs'] as const,
  summary: ['background-jobs', 'summary'] as const,
  list: (q: JobListQuery) => ['background-jobs', 'list', q] as const,
}

export const jobsApi = {
  list: (q: JobListQuery) => request<BackgroundJobPage>('GET', '/admin/jobs', undefined, q),
  summary: () => request<BackgroundJobSummaryDto>('GET', '/admin/jobs/summary'),
  retry: (id: number) => request<{ ok: boolean }>('POST', `/admin/jobs/${id}/retry`),
  retryAll: (name?: string) => request<RetryAllJobsResult>('POST', '/admin/jobs/retry-all', name ? { name } : {}),
  discard: (id: number) => request<{ ok: boolean }>('DELETE', `/admin/jobs/${id}`),
}

/** How often the view polls while open (it also refreshes when the window regains focus). */
export const JOBS_REFRESH_MS = 5_000
