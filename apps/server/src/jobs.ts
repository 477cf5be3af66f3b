import { processInboundEmailJob, sendAutoReplyJob, sendEmailJob } from './modules/email/index.ts'
import { sendStaffEmailJob } from './modules/email/staff-email.ts'
// issue 5 job imports
import { generateShiftsJob, remindShiftJob } from './modules/rotations/index.ts'
import { checkSlaBreachesJob, reassessOpenTicketsJob } from './modules/risk/index.ts'
import { autoAssignTicketsJob, handBackTicketJob } from './modules/queue/index.ts'
import type { JobDefinition } from './platform/jobs.ts'

/** Every background job the process knows how to run. */
export const allJobs: JobDefinition<any>[] = [
  processInboundEmailJob,
  sendEmailJob,
  sendAutoReplyJob,
  sendStaffEmailJob,
  // issue 5 jobs
  generateShiftsJob,
  remindShiftJob,
  reassessOpenTicketsJob,
  checkSlaBreachesJob,
  autoAssignTicketsJob,
  handBackTicketJob,
]
