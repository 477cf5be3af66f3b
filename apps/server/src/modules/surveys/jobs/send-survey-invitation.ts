import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendSurveyInvitation } from '../survey-invitations.service.ts'

/** Sends one survey invitation (or records why it is skipped); one already sent is left alone, unless this job's own earlier attempt may have died mid-send. */
export const sendSurveyInvitationJob: JobDefinition<{ invitationId: number }> = {
  name: 'send-survey-invitation',
  label: 'Send survey invitation',
  maxAttempts: 5,
  handle: (ctx, payload, run) => sendSurveyInvitation(ctx, payload.invitationId, run),
}
