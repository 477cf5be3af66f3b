import { ExportDto, ExportInput, ExportListQuery, IdParams, Page } from '@allhands/contract'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard } from '../../platform/realtime.ts'
import { exportsRoomGuard } from './exports.live.ts'
import { canExportData } from './exports.policy.ts'
import { createExport, getExport, listExports, openExportDownload } from './exports.service.ts'

/**
 * /exports: tickets and contacts as CSV or JSON, written in the background; admins and owners only, audited. Progress
 * is pushed as `export.changed` to the `exports` room.
 */
export async function exportsRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(exportsRoomGuard)
  const tags = ['exports']
  app.addHook('preValidation', async (req) => {
    if (!canExportData(actorOf(req))) throw forbidden('export data', 'only admins and owners do')
  })
  app.post(
    '/exports',
    {
      schema: {
        tags,
        description:
          'Queues an export of tickets or contacts (optionally filtered) as CSV or JSON. A background job writes it in batches; follow `rowCount`/`totalEstimate` at GET /exports/:id. CSV text cells starting with = + - @ are prefixed with an apostrophe. Audited (`export.created`).',
        body: ExportInput,
        response: { 202: ExportDto },
      },
    },
    async (req, reply) => reply.code(202).send(await createExport(ctx, actorOf(req), req.body)),
  )
  app.get(
    '/exports',
    {
      schema: {
        tags,
        description: 'Exports newest first; `contactId` lists one contact’s data exports.',
        querystring: ExportListQuery,
        response: { 200: Page(ExportDto) },
      },
    },
    async (req) => listExports(ctx, actorOf(req), req.query),
  )
  app.get('/exports/:id', { schema: { tags, params: IdParams, response: { 200: ExportDto } } }, async (req) => getExport(ctx, actorOf(req), req.params.id))
  app.get(
    '/exports/:id/download',
    {
      schema: {
        tags,
        description: 'The finished file (text/csv or application/json), streamed; 409 while the export is still being written. Audited (`export.downloaded`).',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const file = await openExportDownload(ctx, actorOf(req), req.params.id)
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('content-length', file.size)
        .header('x-content-type-options', 'nosniff')
        .send(file.body)
    },
  )
}
