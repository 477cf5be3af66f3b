import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { getSettings } from '../settings/settings.service.ts'
import { findCsatByToken, isExpired } from './csat.service.ts'
import { fillTemplate, readCsatSettings } from './csat.settings.ts'
import { type RawAnswers, resolveSurveyKey } from './survey-responses.service.ts'
import { messagePage, renderCsatPage, renderSurveyPage } from './surveys.pages.ts'
import { questionsOf } from './surveys.queries.ts'

const PAGE_LIMIT = { max: 60, timeWindow: '1 minute' }
const workspaceName = async (ctx: Ctx) => (await getSettings(ctx.db)).workspaceName

/** A forged, unknown or unusable link: a plain HTML page with the status, never a 500. */
export async function linkProblem(ctx: Ctx, reply: FastifyReply, err: unknown) {
  if (!(err instanceof AppError)) throw err
  const heading = err.status === 404 ? 'Link not valid' : 'Something is not right'
  return reply
    .code(err.status)
    .type('text/html')
    .send(messagePage(await workspaceName(ctx), heading, err.message))
}

/** An HTML form post that failed validation gets the form back, filled in, with the problem on top. */
export async function renderSurveyFormError(ctx: Ctx, reply: FastifyReply, key: string, err: AppError, values: RawAnswers) {
  const { survey, invitation } = await resolveSurveyKey(ctx.db, key)
  const state = invitation?.status === 'answered' ? 'answered' : survey.status === 'closed' ? 'closed' : 'open'
  const html = renderSurveyPage({ workspace: await workspaceName(ctx), key, survey, questions: questionsOf(survey), state, error: err.message, values })
  return reply.code(err.status).type('text/html').send(html)
}

/** Public pages customers open from survey emails and links: `/survey/<token>` (CSAT) and `/s/<token-or-slug>`. */
export async function surveyPages(app: App) {
  const ctx = app.ctx
  app.get(
    '/survey/:token',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: {
        hide: true,
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({
          rating: Type.Optional(Type.String({ maxLength: 10 })),
          done: Type.Optional(Type.String({ maxLength: 30 })),
          error: Type.Optional(Type.String({ maxLength: 300 })),
        }),
      },
    },
    async (req, reply) => {
      try {
        const request = await findCsatByToken(ctx.db, req.params.token)
        const workspace = await workspaceName(ctx)
        if (request.status !== 'rated' && isExpired(request))
          return reply
            .code(410)
            .type('text/html')
            .send(messagePage(workspace, 'This survey has expired', 'This survey link has expired. Thank you anyway!'))
        const settings = await readCsatSettings(ctx.db)
        const question = fillTemplate(settings.question, {
          ticketNumber: request.ticketId,
          ticketSubject: request.ticketSubject,
          requesterName: request.contactName ?? '',
        })
        return reply
          .type('text/html')
          .header('cache-control', 'no-store')
          .send(
            renderCsatPage({ workspace, question, token: req.params.token, request, rating: req.query.rating, done: req.query.done, error: req.query.error }),
          )
      } catch (err) {
        return linkProblem(ctx, reply, err)
      }
    },
  )
  app.get(
    '/s/:key',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: {
        hide: true,
        params: Type.Object({ key: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 5 })) }),
      },
    },
    async (req, reply) => {
      try {
        const { survey, invitation } = await resolveSurveyKey(ctx.db, req.params.key)
        const state = req.query.done === '1' ? 'done' : invitation?.status === 'answered' ? 'answered' : survey.status !== 'open' ? 'closed' : 'open'
        const html = renderSurveyPage({ workspace: await workspaceName(ctx), key: req.params.key, survey, questions: questionsOf(survey), state })
        return reply.type('text/html').header('cache-control', 'no-store').send(html)
      } catch (err) {
        return linkProblem(ctx, reply, err)
      }
    },
  )
}
