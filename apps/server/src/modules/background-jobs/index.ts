/** Background jobs admin (issue 8): the queue's pending, running and dead jobs; retry and discard dead letters. */
export { backgroundJobsRoutes } from './background-jobs.routes.ts'
