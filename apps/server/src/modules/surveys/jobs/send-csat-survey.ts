import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendCsatRequest } from '../csat.service.ts'

/** Sends one CSAT request (or records why it is skipped); a request already sent or skipped is left alone, unless this job's own earlier attempt may have died mid-send. */
export const sendCsatSurveyJob: JobDefinition<{ requestId: number }> = {
  name: 'send-csat-survey',
  label: 'Send satisfaction survey',
  maxAttempts: 5,
  handle: (ctx, payload, run) => sendCsatRequest(ctx, payload.requestId, run),
}
