import type { JobDefinition } from '../../../platform/jobs.ts'
import { sendTranscript, type TranscriptRequest } from '../widget.service.ts'

/** Emails a chat's transcript to the address the visitor asked for (queued once per chat, address and hour). */
export const sendChatTranscriptJob: JobDefinition<TranscriptRequest> = {
  name: 'send-chat-transcript',
  label: 'Send chat transcript',
  maxAttempts: 5,
  handle: (ctx, payload) => sendTranscript(ctx, payload),
}
