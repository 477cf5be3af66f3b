import { EraseContactInput, EraseContactResult, ExportDto, IdParams } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { eraseContact } from './privacy.erase.ts'
import { requestContactDataExport } from './privacy.service.ts'

/** Privacy requests for one contact: a full data export and erasure (admins and owners; both audited). */
export async function privacyRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['privacy']
  app.post(
    '/contacts/:id/data-export',
    {
      schema: {
        tags,
        description:
          "Queues a JSON document of everything held about the contact (profile, identities, organization, tickets and messages, attachment list, ratings, survey answers, chat visits and transcripts). Follow the export's progress at GET /exports/:id and download it from GET /exports/:id/download.",
        params: IdParams,
        response: { 202: ExportDto },
      },
    },
    async (req, reply) => reply.code(202).send(await requestContactDataExport(ctx, actorOf(req), req.params.id)),
  )
  app.post(
    '/contacts/:id/erase',
    {
      schema: {
        tags,
        description:
          'Erases the contact at their request, irreversibly: `confirmation` must be `ERASE <id>` (422 otherwise). The profile is anonymized, identities removed, their messages replaced by a marker, attachments and raw emails deleted; tickets and report totals stay. See docs/PRIVACY.md.',
        params: IdParams,
        body: EraseContactInput,
        response: { 200: EraseContactResult },
      },
    },
    async (req) => eraseContact(ctx, actorOf(req), req.params.id, req.body.confirmation),
  )
}
