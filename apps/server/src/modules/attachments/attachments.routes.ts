import { AttachmentDto, IdParams } from '@allhands/contract'
import { Type } from 'typebox'
import { badRequest, tooLarge } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { getAttachmentForDownload, uploadAttachment } from './attachments.service.ts'

const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'])

export async function attachmentsRoutes(app: App) {
  app.post('/attachments', { schema: { tags: ['attachments'], consumes: ['multipart/form-data'], response: { 201: AttachmentDto } } }, async (req, reply) => {
    const actor = actorOf(req)
    if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in a field named "file"')
    const file = await req.file({ limits: { fileSize: app.ctx.config.attachmentLimit, files: 1 } })
    if (!file) throw badRequest('No file in the request')
    const bytes = await file.toBuffer()
    if (file.file.truncated) throw tooLarge(`Files are limited to ${Math.round(app.ctx.config.attachmentLimit / 1024 / 1024)} MB`)
    return reply.code(201).send(await uploadAttachment(app.ctx, actor, { filename: file.filename, contentType: file.mimetype, bytes }))
  })

  app.get(
    '/attachments/:id',
    {
      // Public only for signed inline-image links (see signInlineFileLinks); anything else still needs a session.
      config: { public: true },
      schema: {
        tags: ['attachments'],
        params: IdParams,
        querystring: Type.Object({ expires: Type.Optional(Type.Integer({ minimum: 0 })), sig: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (req, reply) => {
      const a = await getAttachmentForDownload(app.ctx, req.actor, req.params.id, req.query)
      const inline = INLINE_TYPES.has(a.contentType)
      // Served bytes never run as a page of ours: sandboxed, not sniffed, and downloaded unless a safe type.
      reply
        .header('Content-Type', inline ? a.contentType : 'application/octet-stream')
        .header('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "sandbox; default-src 'none'")
        .header('Cache-Control', 'private, max-age=3600')
      return reply.send(app.ctx.blobs.stream(a.blobHash))
    },
  )
}
