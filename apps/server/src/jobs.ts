import { processInboundEmailJob, sendAutoReplyJob, sendEmailJob } from './modules/email/index.ts'
import type { JobDefinition } from './platform/jobs.ts'

/** Every background job the process knows how to run. */
export const allJobs: JobDefinition<any>[] = [processInboundEmailJob, sendEmailJob, sendAutoReplyJob]
