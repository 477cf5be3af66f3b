import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendSurveyInvitation } from '../survey-invitations.service.ts'

/** Sends one survey invitation (or records why it is skipped); one already sent is left alone. */
export const sendSurveyInvitationJob: JobDefinition<{ invitationId: number }> = {
  name: 'send-survey-invitation',
  maxAttempts: 5,
  handle: (ctx, payload) => sendSurveyInvitation(ctx, payload.invitationId),
}
