import { IdParams, IMPORT_KINDS, IMPORT_LIMITS, ImportDto, ImportListQuery, ImportPage, ImportPreview, StartImportInput } from '@allhands/contract'
import { badRequest, forbidden, tooLarge } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { canManageImports } from './imports.policy.ts'
import { IMPORTS_ROOM } from './imports.run.ts'
import { cancelImport, createImport, getImport, listImports, previewImport, resumeImport, startImport } from './imports.service.ts'

const importsRoomGuard: RoomGuard = (_ctx, actor, room) => (room === IMPORTS_ROOM ? canManageImports(actor) : undefined)
const tooLargeMessage = `The file is larger than the ${IMPORT_LIMITS.uploadBytes / 1024 / 1024} MB import limit; split it into smaller files`

/**
 * /imports: admins upload a CSV of contacts or organizations, an mbox or maildir archive, or a Zendesk/Freshdesk
 * JSON export; map CSV columns from a preview; start, watch (`import.changed` in the `imports` room), cancel and
 * resume the background job; read the report with per-row errors.
 */
export async function importsRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['imports']
  registerRoomGuard(importsRoomGuard)
  app.addHook('preValidation', async (req) => {
    if (!canManageImports(actorOf(req))) throw forbidden('run imports', 'only admins and owners do')
  })

  app.post(
    '/imports',
    {
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        description: `Uploads a file to import (multipart/form-data): \`kind\` (${IMPORT_KINDS.join(', ')}), optional \`inboxId\` (where mail and exported tickets go), and the file in \`file\` (at most ${IMPORT_LIMITS.uploadBytes / 1024 / 1024} MB, else 413). Nothing is imported until POST /imports/:id/start.`,
        response: { 201: ImportDto },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in a field named "file", with the kind in "kind"')
      const fields: Record<string, string> = {}
      let file: { filename: string; bytes: Buffer } | undefined
      for await (const part of req.parts({ limits: { fileSize: IMPORT_LIMITS.uploadBytes, files: 1, fields: 5, fieldSize: 1000 } })) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer().catch((err: { code?: string }) => {
            throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(tooLargeMessage) : err
          })
          if (part.file.truncated) throw tooLarge(tooLargeMessage)
          file = { filename: part.filename, bytes }
        } else fields[part.fieldname] = String(part.value ?? '')
      }
      if (!file) throw badRequest('No file in the request (send it in a field named "file")')
      const inboxId = fields.inboxId ? Number(fields.inboxId) : null
      if (inboxId !== null && !(Number.isInteger(inboxId) && inboxId > 0)) throw badRequest('inboxId must be an inbox id')
      const created = await createImport(ctx, actorOf(req), { kind: fields.kind ?? '', filename: file.filename, bytes: file.bytes, inboxId })
      return reply.code(201).send(created)
    },
  )
  app.get(
    '/imports',
    { schema: { tags, description: 'Imports, newest first, with their progress and reports.', querystring: ImportListQuery, response: { 200: ImportPage } } },
    async (req) => listImports(ctx, actorOf(req), req.query),
  )
  app.get(
    '/imports/:id',
    {
      schema: {
        tags,
        description: 'One import: status, counters, what it created and the failed rows (row, field, message).',
        params: IdParams,
        response: { 200: ImportDto },
      },
    },
    async (req) => getImport(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/imports/:id/preview',
    {
      schema: {
        tags,
        description: 'For CSV imports: the header, the first rows, a mapping suggested from the header names and the fields one can map to.',
        params: IdParams,
        response: { 200: ImportPreview },
      },
    },
    async (req) => previewImport(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/imports/:id/start',
    {
      schema: {
        tags,
        description: 'Starts an uploaded import (202) with the CSV column mapping (default: the suggested one) and the inbox for mail and exported tickets.',
        params: IdParams,
        body: StartImportInput,
        response: { 202: ImportDto },
      },
      preValidation: async (req) => {
        req.body ??= {}
      },
    },
    async (req, reply) => reply.code(202).send(await startImport(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.post(
    '/imports/:id/cancel',
    {
      schema: {
        tags,
        description: 'Stops the import after the batch it is on; what was imported stays. It can be resumed.',
        params: IdParams,
        response: { 200: ImportDto },
      },
    },
    async (req) => cancelImport(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/imports/:id/resume',
    { schema: { tags, description: 'Continues a cancelled or failed import from where it stopped (202).', params: IdParams, response: { 202: ImportDto } } },
    async (req, reply) => reply.code(202).send(await resumeImport(ctx, actorOf(req), req.params.id)),
  )
}
