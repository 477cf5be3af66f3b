import { recoverInboundEmailJob, sendAutoReplyJob, sendEmailJob } from './modules/email/index.ts'
import { sendStaffEmailJob } from './modules/email/staff-email.ts'
// issue 5 job imports
import { generateShiftsJob, remindShiftJob } from './modules/rotations/index.ts'
import { checkSlaBreachesJob, reassessOpenTicketsJob } from './modules/risk/index.ts'
import { autoAssignTicketsJob, handBackTicketJob } from './modules/queue/index.ts'
import type { JobDefinition } from './platform/jobs.ts'
// issue 6 surveys job imports
import { scheduleCsatSurveysJob, sendCsatSurveyJob, sendSurveyInvitationJob } from './modules/surveys/index.ts'
// issue 6 reports job imports
import { drainReportQueueJob } from './modules/reports/index.ts'
// issue 6 voc job imports
import { computeVocSuggestionsJob } from './modules/voc/index.ts'
// issue 10 webhooks job imports
// issue 10 automations job imports
import { callAutomationWebhookJob, runAutomationsJob, scanTimeRulesJob, sendAutomationEmailJob } from './modules/automations/index.ts'
// issue 10 sla job imports
import { scanSlaTimersJob } from './modules/sla/index.ts'
// issue 10 notifications job imports
import { sendNotificationDigestsJob, sendNotificationEmailJob } from './modules/notifications/index.ts'
// issue 10 import job imports
import { runImportJob } from './modules/imports/index.ts'
// issue 10 export job imports
import { writeExportJob } from './modules/exports/index.ts'
// issue 10 sso job imports
// issue 9 kb job imports
// issue 9 decision-trees job imports
import { deliverWebhookJob } from './modules/webhooks/index.ts'
// issue 9 community job imports
import { cleanCommunitySessionsJob } from './modules/community/index.ts'
import { notifyTopicFollowersJob, sendCommunityLoginLinkJob } from './modules/community/index.ts'

/** Every background job the process knows how to run. */
export const allJobs: JobDefinition<any>[] = [
  recoverInboundEmailJob,
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
  // issue 6 surveys jobs
  scheduleCsatSurveysJob,
  sendCsatSurveyJob,
  sendSurveyInvitationJob,
  // issue 6 reports jobs
  drainReportQueueJob,
  // issue 6 voc jobs
  computeVocSuggestionsJob,
  // issue 10 webhooks jobs
  // issue 10 automations jobs
  runAutomationsJob,
  scanTimeRulesJob,
  sendAutomationEmailJob,
  callAutomationWebhookJob,
  // issue 10 sla jobs
  scanSlaTimersJob,
  // issue 10 notifications jobs
  sendNotificationEmailJob,
  sendNotificationDigestsJob,
  // issue 10 import jobs
  runImportJob,
  // issue 10 export jobs
  writeExportJob,
  // issue 10 sso jobs
  // issue 9 kb jobs
  // issue 9 decision-trees jobs
  // issue 9 community jobs
  cleanCommunitySessionsJob,
  sendCommunityLoginLinkJob,
  notifyTopicFollowersJob,
  deliverWebhookJob,
]
