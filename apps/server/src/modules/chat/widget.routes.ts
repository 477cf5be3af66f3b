import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { badRequest, tooLarge } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { startWidgetSession } from './chat.visitors.ts'
import {
  OfflineMessageInput,
  RatingInput,
  TranscriptInput,
  WidgetConversationSchema,
  WidgetMessageSchema,
  WidgetSessionRequestSchema,
  WidgetSessionSchema,
} from './widget.schemas.ts'
import { rateChat, requestTranscript, submitOfflineMessage, uploadVisitorFile, visitorForRequest } from './widget.service.ts'
import { widgetSocketRoute } from './widget.socket.ts'
import { WIDGET_TREE_PATHS, widgetTreeRoutes } from './widget.trees.ts'

const PATHS = ['/widget/sessions', '/widget/uploads', '/widget/offline', '/widget/transcript', '/widget/rating', ...WIDGET_TREE_PATHS] as const
const tags = ['chat widget']
const tooLargeMessage = (limit: number) => `Files are limited to ${Math.round(limit / 1024 / 1024)} MB (the same limit as email attachments)`

/**
 * The widget's public routes, called from customers' sites. Each checks the page's Origin against the inbox's
 * allowed origins in its service before doing anything; responses then echo that Origin (CORS, no cookies),
 * errors included so the widget can show why.
 */
export async function widgetRoutes(app: App) {
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const origin = req.headers.origin
    if (origin) reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin')
    return payload
  })

  for (const path of PATHS)
    app.options(path, { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(204)
        .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
        .header('Access-Control-Allow-Headers', 'Content-Type, X-Visitor-Token')
        .header('Access-Control-Max-Age', '600')
        .send(),
    )

  app.post(
    '/widget/sessions',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags, body: WidgetSessionRequestSchema, response: { 200: WidgetSessionSchema } },
    },
    async (req) => startWidgetSession(app.ctx, req.body, req.headers.origin),
  )

  app.post(
    '/widget/uploads',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, consumes: ['multipart/form-data'], response: { 201: WidgetMessageSchema } },
    },
    async (req, reply) => {
      const header = req.headers['x-visitor-token']
      const visitor = await visitorForRequest(app.ctx, typeof header === 'string' ? header : undefined, req.headers.origin)
      if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in a field named "file"')
      const limit = app.ctx.config.attachmentLimit
      let file: { filename: string; contentType: string; bytes: Buffer } | undefined
      const extra: { clientId?: string; text?: string; fields?: Record<string, unknown> } = {}
      for await (const part of req.parts({ limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 20_000 } })) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer().catch((err: { code?: string }) => {
            throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(tooLargeMessage(limit)) : err
          })
          if (part.file.truncated) throw tooLarge(tooLargeMessage(limit))
          file = { filename: part.filename, contentType: part.mimetype, bytes }
        } else if (part.fieldname === 'clientId' || part.fieldname === 'text') {
          extra[part.fieldname] = String(part.value ?? '')
        } else if (part.fieldname === 'fields') {
          try {
            const parsed = JSON.parse(String(part.value ?? ''))
            if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) extra.fields = parsed
          } catch {
            throw badRequest('fields must be a JSON object of the pre-chat answers')
          }
        }
      }
      if (!file?.bytes.length) throw badRequest('No file in the request (send it in a field named "file")')
      const stored = await uploadVisitorFile(app.ctx, visitor, file, extra)
      return reply.code(201).send(stored.message)
    },
  )

  app.post(
    '/widget/offline',
    {
      config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: { tags, body: OfflineMessageInput, response: { 201: Type.Object({ ticketId: Type.Union([Type.Integer(), Type.Null()]) }) } },
    },
    async (req, reply) => reply.code(201).send(await submitOfflineMessage(app.ctx, req.body, req.headers.origin)),
  )

  app.post(
    '/widget/transcript',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '10 minutes' } },
      schema: { tags, body: TranscriptInput, response: { 202: Type.Object({ queued: Type.Literal(true) }) } },
    },
    async (req, reply) => reply.code(202).send(await requestTranscript(app.ctx, req.body, req.headers.origin)),
  )

  app.post(
    '/widget/rating',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, body: RatingInput, response: { 200: Type.Object({ conversation: WidgetConversationSchema }) } },
    },
    async (req) => ({ conversation: await rateChat(app.ctx, req.body, req.headers.origin) }),
  )

  widgetTreeRoutes(app)
  widgetSocketRoute(app)
}
