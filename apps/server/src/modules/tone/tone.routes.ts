import { ToneCheckInput, ToneCheckResult, ToneRulesDto, ToneRulesInput } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { checkDraft, getToneRules, updateToneRules } from './tone.service.ts'

/** The tone coach: check a reply draft; admins switch rules off. */
export async function toneRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['tone coach']
  app.post(
    '/tone-check',
    {
      schema: {
        tags,
        description: "Non-blocking hints on a reply draft. With ticketId (a ticket you can see), questions from the customer's last message are checked too.",
        body: ToneCheckInput,
        response: { 200: ToneCheckResult },
      },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req) => checkDraft(ctx, actorOf(req), req.body),
  )
  app.get('/tone-rules', { schema: { tags, response: { 200: ToneRulesDto } } }, async () => getToneRules(ctx.db))
  app.put('/tone-rules', { schema: { tags, body: ToneRulesInput, response: { 200: ToneRulesDto } } }, async (req) =>
    updateToneRules(ctx, actorOf(req), req.body),
  )
}
