import type { FastifyError, FastifyInstance } from 'fastify'
import { AppError } from './errors.ts'

/** Turns every failure into `{error:{code,message,details?}}`; a 5xx never leaks its message. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        path: v.instancePath || `/${(v.params as { missingProperty?: string })?.missingProperty ?? ''}`,
        message: v.message,
      }))
      return reply.code(400).send({
        error: { code: 'validation_failed', message: `Invalid ${fe.validationContext ?? 'request'}: ${details[0]?.path} ${details[0]?.message}`, details },
      })
    }
    const status = fe.statusCode ?? 500
    if (status === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_FILES_LIMIT' || fe.code === 'FST_PARTS_LIMIT') {
      return reply.code(413).send({ error: { code: 'payload_too_large', message: 'The request body is larger than allowed' } })
    }
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: fe.message } })
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_request'
      return reply.code(status).send({ error: { code, message: fe.message } })
    }
    req.log.error({ err }, 'request failed')
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } })
  })
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } }))
}
