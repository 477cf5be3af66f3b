/** Automations: event and time rules that act on tickets (docs/AUTOMATIONS.md). */
export { automationsRoutes } from './automations.routes.ts'
export { runAutomationsJob } from './jobs/run-automations.ts'
export { scanTimeRulesJob } from './jobs/scan-time-rules.ts'
export { sendAutomationEmailJob } from './jobs/send-automation-email.ts'
export { callAutomationWebhookJob } from './jobs/call-automation-webhook.ts'
