import { PublicDecisionTreeRunDto } from '@allhands/contract'
import type { Ctx } from '../../platform/context.ts'
import { conflict, notFound } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { agentsAvailableFor } from '../chat-desk/availability.ts'
import {
  answerWidgetRun,
  findOfferableTree,
  PUBLIC_ANSWER_LIMIT,
  PUBLIC_START_LIMIT,
  recordWidgetRunTicket,
  resumeWidgetRun,
  startWidgetRun,
  widgetHandoff,
} from '../decision-trees/index.ts'
import { cachedChatSettings } from './chat.settings.ts'
import { afterVisitorMessage, MAX_MESSAGE_CHARS, oneAtATime, receiveVisitorMessage } from './chat.messages.service.ts'
import {
  WidgetTreeAnswerInput,
  WidgetTreeHandoffInput,
  WidgetTreeHandoffResult,
  WidgetTreeResumeInput,
  WidgetTreeStartInput,
  type WidgetTreeAnswerInput as AnswerInput,
  type WidgetTreeHandoffInput as HandoffInput,
  type WidgetTreeResumeInput as ResumeInput,
} from './widget.schemas.ts'
import { submitOfflineMessage, visitorForRequest } from './widget.service.ts'

export const WIDGET_TREE_PATHS = ['/widget/tree/start', '/widget/tree/answer', '/widget/tree/resume', '/widget/tree/handoff'] as const

/** Starts the guided help the visitor's chat inbox offers (its tree, run through the decision-trees module). */
async function startTreeRun(ctx: Ctx, token: string, origin: string | undefined, ip: string) {
  const visitor = await visitorForRequest(ctx, token, origin)
  const settings = await cachedChatSettings(ctx, visitor.inboxId)
  if (!settings.widgetTreeId) throw notFound('Guided help of chat inbox', visitor.inboxId)
  return startWidgetRun(ctx, settings.widgetTreeId, ip)
}

async function answerTreeRun(ctx: Ctx, input: AnswerInput, origin: string | undefined) {
  await visitorForRequest(ctx, input.token, origin)
  const { token: _visitor, run, ...answer } = input
  return answerWidgetRun(ctx, run, answer)
}

/**
 * Where a widget run stands, for a widget that was reloaded mid-run: its current step, or (ended unresolved) the
 * hand-over it waits for. Only a run of the tree this inbox offers now; a finished or handed-over run is not resumed.
 */
async function resumeTreeRun(ctx: Ctx, input: ResumeInput, origin: string | undefined) {
  const visitor = await visitorForRequest(ctx, input.token, origin)
  const settings = await cachedChatSettings(ctx, visitor.inboxId)
  return resumeWidgetRun(ctx, input.run, async (treeId) => treeId === settings.widgetTreeId && !!(await findOfferableTree(ctx.db, treeId)))
}

/**
 * Guided help that ended unresolved goes to support with the path and answers as the first message: a chat when
 * someone is available (with the pre-chat answers), otherwise an offline ticket answered by email. Once per run.
 */
async function handOffTreeRun(ctx: Ctx, input: HandoffInput, origin: string | undefined) {
  const visitor = await visitorForRequest(ctx, input.token, origin)
  const handoff = await widgetHandoff(ctx.db, input.run, input.message ?? '')
  if (handoff.createdTicketId !== null) throw conflict('This guided help was already handed over', { ticketId: handoff.createdTicketId })
  const text = handoff.text.slice(0, MAX_MESSAGE_CHARS)
  if (await agentsAvailableFor(ctx.db, visitor.inboxId)) {
    const stored = await oneAtATime(ctx, visitor.id, () =>
      receiveVisitorMessage(ctx, visitor.id, {
        clientId: `tree-run-${handoff.runId}`,
        text,
        fields: input.fields,
        subject: handoff.subject,
        tags: handoff.tags,
      }),
    )
    const ticketId =
      stored.ticketId ?? (await ctx.db.selectFrom('messages').select('ticketId').where('id', '=', stored.message.id).executeTakeFirstOrThrow()).ticketId
    await recordWidgetRunTicket(ctx.db, handoff.runId, ticketId)
    if (!stored.duplicate) ctx.visitors.send(visitor.id, { type: 'message', message: stored.message })
    await afterVisitorMessage(ctx, stored)
    return { mode: 'chat' as const, ticketId, message: stored.message }
  }
  const offline = await submitOfflineMessage(
    ctx,
    { token: input.token, inboxId: visitor.inboxId, name: input.name ?? '', email: input.email ?? '', message: text },
    origin,
    { subject: handoff.subject, tags: handoff.tags },
  )
  if (offline.ticketId === null) throw conflict('The message could not be sent')
  await recordWidgetRunTicket(ctx.db, handoff.runId, offline.ticketId)
  return { mode: 'offline' as const, ticketId: offline.ticketId, message: null }
}

/** The widget's guided-help routes (registered inside the widget routes, so they share their CORS handling). */
export function widgetTreeRoutes(app: App) {
  const tags = ['chat widget']
  app.post(
    '/widget/tree/start',
    {
      config: { public: true, rateLimit: PUBLIC_START_LIMIT },
      schema: {
        tags,
        description: "Starts a run of the guided help (decision tree) the visitor's chat inbox offers. 404 when it offers none.",
        body: WidgetTreeStartInput,
        response: { 201: PublicDecisionTreeRunDto },
      },
    },
    async (req, reply) => reply.code(201).send(await startTreeRun(app.ctx, req.body.token, req.headers.origin, req.ip)),
  )
  app.post(
    '/widget/tree/answer',
    {
      config: { public: true, rateLimit: PUBLIC_ANSWER_LIMIT },
      schema: {
        tags,
        description: 'Answers the current step of a widget run (`run` is its token). An unresolved ending returns outcome "ticket": hand it over next.',
        body: WidgetTreeAnswerInput,
        response: { 200: PublicDecisionTreeRunDto },
      },
    },
    async (req) => answerTreeRun(app.ctx, req.body, req.headers.origin),
  )
  app.post(
    '/widget/tree/resume',
    {
      config: { public: true, rateLimit: PUBLIC_ANSWER_LIMIT },
      schema: {
        tags,
        description:
          'Where a widget run stands (`run` is its token), to redraw it after a reload: its current step, or an unresolved ending waiting for its hand-over. 409 once it was resolved or handed over; 404 for a run of a tree the inbox no longer offers.',
        body: WidgetTreeResumeInput,
        response: { 200: PublicDecisionTreeRunDto },
      },
    },
    async (req) => resumeTreeRun(app.ctx, req.body, req.headers.origin),
  )
  app.post(
    '/widget/tree/handoff',
    {
      config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags,
        description:
          'Hands a run that ended unresolved to support, with the path and answers as the first message: a chat when someone is available (pre-chat `fields`), else an offline ticket (`name`, `email`, optional `message`).',
        body: WidgetTreeHandoffInput,
        response: { 201: WidgetTreeHandoffResult },
      },
    },
    async (req, reply) => reply.code(201).send(await handOffTreeRun(app.ctx, req.body, req.headers.origin)),
  )
}
