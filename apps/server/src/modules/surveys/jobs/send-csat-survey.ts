import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendCsatRequest } from '../csat.service.ts'

/** Sends one CSAT request (or records why it is skipped); a request already sent or skipped is left alone. */
export const sendCsatSurveyJob: JobDefinition<{ requestId: number }> = {
  name: 'send-csat-survey',
  maxAttempts: 5,
  handle: (ctx, payload) => sendCsatRequest(ctx, payload.requestId),
}
