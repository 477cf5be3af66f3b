import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { AppError, badRequest, tooLarge } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { getSettings } from '../settings/settings.service.ts'
import { renderWebForm, submitWebForm, type WebFormSubmission } from './web-form.service.ts'

const FORM_FIELDS = ['name', 'email', 'subject', 'message', 'website'] as const

/** Public contact form: GET /form (HTML) and POST /api/v1/public/form (multipart or JSON). */
export async function webFormRoutes(app: App) {
  app.post(
    '/public/form',
    {
      config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['web form'],
        consumes: ['multipart/form-data', 'application/json'],
        response: { 201: Type.Object({ ticketId: Type.Union([Type.Integer(), Type.Null()]) }) },
      },
    },
    async (req, reply) => {
      const wantsHtml = req.isMultipart() && (req.headers.accept ?? '').includes('text/html')
      const submission: WebFormSubmission = { name: '', email: '', subject: '', message: '' }
      try {
        if (req.isMultipart()) {
          for await (const part of req.parts({ limits: { fileSize: app.ctx.config.attachmentLimit, files: 1, fields: 10, fieldSize: 60_000 } })) {
            if (part.type === 'file') {
              const bytes = await part.toBuffer()
              if (part.file.truncated) throw tooLarge('The attachment is too large')
              if (bytes.length) submission.file = { filename: part.filename, contentType: part.mimetype, bytes }
            } else if ((FORM_FIELDS as readonly string[]).includes(part.fieldname)) {
              submission[part.fieldname as (typeof FORM_FIELDS)[number]] = String(part.value ?? '')
            }
          }
        } else {
          const body = (req.body ?? {}) as Record<string, unknown>
          if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('Send a JSON object')
          for (const f of FORM_FIELDS) if (typeof body[f] === 'string') submission[f] = body[f] as string
        }
        const result = await submitWebForm(app.ctx, submission)
        if (wantsHtml) return reply.redirect('/form?sent=1', 303)
        return reply.code(201).send(result)
      } catch (err) {
        if (wantsHtml && err instanceof AppError) {
          const settings = await getSettings(app.ctx.db)
          // An HTML form post gets the form back with the problem, not a JSON error.
          const page = reply as unknown as FastifyReply
          return page
            .code(err.status)
            .type('text/html')
            .send(renderWebForm({ title: settings.webFormTitle, workspace: settings.workspaceName, sent: false, error: err.message }))
        }
        throw err
      }
    },
  )
}

export async function webFormPage(app: App) {
  app.get(
    '/form',
    { config: { public: true }, schema: { hide: true, querystring: Type.Object({ sent: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      const settings = await getSettings(app.ctx.db)
      if (!settings.webFormEnabled)
        return reply.code(404).type('text/html').send('<!doctype html><title>Not found</title><p>This contact form is turned off.</p>')
      return reply.type('text/html').send(renderWebForm({ title: settings.webFormTitle, workspace: settings.workspaceName, sent: req.query.sent === '1' }))
    },
  )
}
