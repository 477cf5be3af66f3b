import { IdParams, Ok, Page, RiskRuleDto, RiskRuleInput, RiskRuleMatchDto, RiskRuleMatchQuery, RiskRuleOrderInput, RiskRulePatch } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createRiskRule, deleteRiskRule, listRiskRules, listRuleMatches, reorderRiskRules, updateRiskRule } from './risk.rules.ts'

/** /risk-rules: admins define what makes a ticket risky and see which tickets each rule matched. */
export async function riskRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['risk-rules']
  app.get(
    '/risk-rules',
    { schema: { tags, description: 'Admins: every rule in order, with how many tickets it matches now.', response: { 200: Type.Array(RiskRuleDto) } } },
    async (req) => listRiskRules(ctx, actorOf(req)),
  )
  app.post(
    '/risk-rules',
    {
      schema: {
        tags,
        description:
          'Admins: add a rule (keywords, vip, anger, repeat_contact, sla_breach, priority, language). Open tickets are reassessed in the background.',
        body: RiskRuleInput,
        response: { 201: RiskRuleDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createRiskRule(ctx, actorOf(req), req.body)),
  )
  app.put(
    '/risk-rules/order',
    { schema: { tags, description: 'Admins: the order of every rule id.', body: RiskRuleOrderInput, response: { 200: Type.Array(RiskRuleDto) } } },
    async (req) => reorderRiskRules(ctx, actorOf(req), req.body.ids),
  )
  app.patch(
    '/risk-rules/:id',
    {
      schema: {
        tags,
        description: 'Admins: rename, change level or settings, enable or disable a rule.',
        params: IdParams,
        body: RiskRulePatch,
        response: { 200: RiskRuleDto },
      },
    },
    async (req) => updateRiskRule(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/risk-rules/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteRiskRule(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.get(
    '/risk-rules/:id/matches',
    {
      schema: {
        tags,
        description: 'Admins: tickets the rule matches, newest match first.',
        params: IdParams,
        querystring: RiskRuleMatchQuery,
        response: { 200: Page(RiskRuleMatchDto) },
      },
    },
    async (req) => listRuleMatches(ctx, actorOf(req), req.params.id, req.query),
  )
}
