import { KbArticleFileDto, KbArticleFileList, KbArticleFileParams, KbFileUploadQuery, IdParams, Ok } from '@allhands/contract'
import { Type } from 'typebox'
import { badRequest, tooLarge } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { deleteArticleFile, getServableFile, KB_IMAGE_LIMIT, listArticleFiles, servedHeaders, uploadArticleFile } from './kb.files.ts'

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/** /kb/articles/:id/files: images and attachments of an article (authoring). */
export async function kbFileRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['knowledge base']
  app.get('/kb/articles/:id/files', { schema: { tags, params: IdParams, response: { 200: KbArticleFileList } } }, async (req) =>
    listArticleFiles(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/kb/articles/:id/files',
    {
      schema: {
        tags,
        description: `Uploads an image (kind=image: PNG, JPEG, GIF or WebP by content, at most ${mb(KB_IMAGE_LIMIT)}) or an attachment (kind=attachment, the attachment size limit) as multipart field "file". Whoever may edit the article.`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: KbFileUploadQuery,
        response: { 201: KbArticleFileDto },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req)
      if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in a field named "file"')
      const limit = req.query.kind === 'image' ? Math.min(KB_IMAGE_LIMIT, ctx.config.attachmentLimit) : ctx.config.attachmentLimit
      const message = `${req.query.kind === 'image' ? 'Images' : 'Attachments'} are limited to ${mb(limit)}`
      const file = await req.file({ limits: { fileSize: limit, files: 1 } })
      if (!file) throw badRequest('No file in the request (send it in a field named "file")')
      const bytes = await file.toBuffer().catch((err: { code?: string }) => {
        throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(message) : err
      })
      if (file.file.truncated) throw tooLarge(message)
      if (!bytes.length) throw badRequest('The file is empty')
      const stored = await uploadArticleFile(ctx, actor, req.params.id, req.query.kind, { filename: file.filename, contentType: file.mimetype, bytes })
      return reply.code(201).send(stored)
    },
  )
  app.delete(
    '/kb/articles/:id/files/:fileId',
    { schema: { tags, description: 'Removes the file (and its bytes when nothing else uses them).', params: KbArticleFileParams, response: { 200: Ok } } },
    async (req) => {
      await deleteArticleFile(ctx, actorOf(req), req.params.id, req.params.fileId)
      return { ok: true }
    },
  )
}

/** Images on a page load together: a more generous limit than pages. */
const FILE_LIMIT = { max: 600, timeWindow: '1 minute' }

/** GET /help/files/:fileId/:name — an article's file for the help center (and for staff, any live article's). */
export async function kbFilePages(app: App) {
  const ctx = app.ctx
  app.get(
    '/help/files/:fileId/:name',
    {
      config: { public: true, rateLimit: FILE_LIMIT },
      schema: { hide: true, params: Type.Object({ fileId: Type.Integer({ minimum: 1 }), name: Type.String({ maxLength: 300 }) }) },
    },
    async (req, reply) => {
      const file = await getServableFile(ctx, req.actor, req.params.fileId)
      reply.headers(servedHeaders(file))
      // Public files may sit in caches for a few minutes after an article is unpublished; staff-only ones never do.
      reply.header('cache-control', req.actor ? 'private, max-age=60' : 'public, max-age=300')
      return reply.send(ctx.blobs.stream(file.blobHash))
    },
  )
}
