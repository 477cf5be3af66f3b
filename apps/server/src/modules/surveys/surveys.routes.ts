import {
  CsatAnswerInput,
  CsatAnswerResult,
  CsatRequestDto,
  CsatResponsesQuery,
  CsatSettingsDto,
  CsatSummaryDto,
  CsatSummaryQuery,
  CursorQuery,
  IdParams,
  Ok,
  Page,
  PurchaseReasonCategoriesInput,
  PurchaseReasonDto,
  PurchaseReasonInput,
  PurchaseReasonSummaryDto,
  SendSurveyResult,
  SurveyAnswerInput,
  SurveyAnswerResult,
  SurveyDto,
  SurveyInput,
  SurveyInvitationDto,
  SurveyPatch,
  SurveyResultsDto,
  SurveySegment,
  TokenParams,
} from '@allhands/contract'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { answerCsat, csatSummary, listCsatResponses, listTicketCsat } from './csat.service.ts'
import { getCsatSettings, updateCsatSettings } from './csat.settings.ts'
import { contactPurchaseReasons, inviteToPurchaseSurvey, purchaseReasonSummary, setPurchaseCategories } from './purchase-reason.service.ts'
import { submitSurveyResponse } from './survey-responses.service.ts'
import { acceptFormPosts, isFormPost } from './surveys.forms.ts'
import { scheduleCsatSurveys } from './jobs/schedule-csat-surveys.ts'
import { linkProblem, renderSurveyFormError } from './surveys.pages.routes.ts'
import { createSurvey, deleteSurvey, getSurvey, listSurveys, sendSurvey, surveyResponsesCsv, surveyResults, updateSurvey } from './surveys.service.ts'

/** Public answers are rate-limited per client address. */
const PUBLIC_POST_LIMIT = { max: 30, timeWindow: '1 minute' }

/** CSAT, custom surveys and the "why did you buy?" survey; the public answer endpoints take JSON or HTML form posts. */
export async function surveysRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['surveys']
  acceptFormPosts(app)
  await scheduleCsatSurveys(ctx.db)

  // CSAT
  app.get('/surveys/csat/settings', { schema: { tags, response: { 200: CsatSettingsDto } } }, async (req) => getCsatSettings(ctx, actorOf(req)))
  app.put(
    '/surveys/csat/settings',
    { schema: { tags, description: 'Admins only; audited.', body: CsatSettingsDto, response: { 200: CsatSettingsDto } } },
    async (req) => updateCsatSettings(ctx, actorOf(req), req.body),
  )
  app.get(
    '/surveys/csat/responses',
    { schema: { tags, description: 'Ratings with their comments, newest first.', querystring: CsatResponsesQuery, response: { 200: Page(CsatRequestDto) } } },
    async (req) => listCsatResponses(ctx, actorOf(req), req.query),
  )
  app.get(
    '/surveys/csat/summary',
    {
      schema: {
        tags,
        description: 'Sent, rated and CSAT for a date range (default: the last 30 days).',
        querystring: CsatSummaryQuery,
        response: { 200: CsatSummaryDto },
      },
    },
    async (req) => csatSummary(ctx, actorOf(req), req.query),
  )
  app.get(
    '/tickets/:id/csat',
    {
      schema: {
        tags,
        description: "The ticket's CSAT requests, one per solve.",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(CsatRequestDto) }) },
      },
    },
    async (req) => ({ items: await listTicketCsat(ctx, actorOf(req), req.params.id) }),
  )
  app.post(
    '/public/surveys/csat/:token',
    {
      config: { public: true, rateLimit: PUBLIC_POST_LIMIT },
      schema: {
        tags,
        description:
          'Records a rating once (a second attempt changes nothing), then one optional comment. JSON or an HTML form post (answered with a redirect to the page).',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        params: TokenParams,
        body: CsatAnswerInput,
        response: { 200: CsatAnswerResult },
      },
    },
    async (req, reply) => {
      if (!isFormPost(req.headers['content-type'])) return answerCsat(ctx, req.params.token, req.body)
      const page = `/survey/${encodeURIComponent(req.params.token)}`
      try {
        const result = await answerCsat(ctx, req.params.token, req.body)
        return reply.redirect(`${page}?done=${result.outcome}`, 303)
      } catch (err) {
        if (err instanceof AppError && err.status !== 404) return reply.redirect(`${page}?error=${encodeURIComponent(err.message)}`, 303)
        return linkProblem(ctx, reply, err)
      }
    },
  )

  // "Why did you buy?"
  app.post(
    '/surveys/purchase-reason',
    {
      schema: {
        tags,
        description:
          'From a shop or billing system (API token of an agent or admin): emails the contact the "why did you buy?" survey, once per contact and orderRef.',
        body: PurchaseReasonInput,
        response: { 202: SurveyInvitationDto },
      },
    },
    async (req, reply) => reply.code(202).send(await inviteToPurchaseSurvey(ctx, actorOf(req), req.body)),
  )
  app.get('/surveys/purchase-reason/summary', { schema: { tags, response: { 200: PurchaseReasonSummaryDto } } }, async (req) =>
    purchaseReasonSummary(ctx, actorOf(req)),
  )
  app.put(
    '/surveys/purchase-reason/categories',
    { schema: { tags, description: 'Admins only; audited.', body: PurchaseReasonCategoriesInput, response: { 200: PurchaseReasonSummaryDto } } },
    async (req) => setPurchaseCategories(ctx, actorOf(req), req.body.categories),
  )
  app.get(
    '/contacts/:id/purchase-reasons',
    { schema: { tags, params: IdParams, response: { 200: Type.Object({ items: Type.Array(PurchaseReasonDto) }) } } },
    async (req) => ({ items: await contactPurchaseReasons(ctx, actorOf(req), req.params.id) }),
  )

  // Custom surveys
  app.get('/surveys', { schema: { tags, querystring: Type.Object({ ...CursorQuery }), response: { 200: Page(SurveyDto) } } }, async (req) =>
    listSurveys(ctx, actorOf(req), req.query),
  )
  app.post('/surveys', { schema: { tags, body: SurveyInput, response: { 201: SurveyDto } } }, async (req, reply) =>
    reply.code(201).send(await createSurvey(ctx, actorOf(req), req.body)),
  )
  app.get('/surveys/:id', { schema: { tags, params: IdParams, response: { 200: SurveyDto } } }, async (req) => getSurvey(ctx, actorOf(req), req.params.id))
  app.patch('/surveys/:id', { schema: { tags, params: IdParams, body: SurveyPatch, response: { 200: SurveyDto } } }, async (req) =>
    updateSurvey(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/surveys/:id', { schema: { tags, description: 'Only a survey nobody answered.', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteSurvey(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post(
    '/surveys/:id/send',
    {
      schema: {
        tags,
        description: 'Invites a segment of contacts (capped per batch); nobody is invited twice.',
        params: IdParams,
        body: SurveySegment,
        response: { 200: SendSurveyResult },
      },
    },
    async (req) => sendSurvey(ctx, actorOf(req), req.params.id, req.body),
  )
  app.get('/surveys/:id/results', { schema: { tags, params: IdParams, response: { 200: SurveyResultsDto } } }, async (req) =>
    surveyResults(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/surveys/:id/responses.csv',
    {
      schema: {
        tags,
        description: 'Every response, one column per question; audited.',
        produces: ['text/csv'],
        params: IdParams,
        response: { 200: Type.String() },
      },
    },
    async (req, reply) => {
      const { filename, csv } = await surveyResponsesCsv(ctx, actorOf(req), req.params.id)
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv)
    },
  )
  app.post(
    '/public/surveys/responses/:key',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        description: 'Answers a survey by invitation token (once) or by its public link. JSON or an HTML form post.',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        params: Type.Object({ key: Type.String({ minLength: 3, maxLength: 100 }) }),
        body: SurveyAnswerInput,
        response: { 201: SurveyAnswerResult },
      },
    },
    async (req, reply) => {
      if (!isFormPost(req.headers['content-type'])) return reply.code(201).send(await submitSurveyResponse(ctx, req.params.key, req.body.answers))
      try {
        await submitSurveyResponse(ctx, req.params.key, req.body.answers)
        return reply.redirect(`/s/${encodeURIComponent(req.params.key)}?done=1`, 303)
      } catch (err) {
        if (err instanceof AppError && err.status !== 404) return renderSurveyFormError(ctx, reply, req.params.key, err, req.body.answers)
        return linkProblem(ctx, reply, err)
      }
    },
  )
}
