import { IdParams, InboxDto, InboxInput, InboxPatch } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createInbox, listInboxes, updateInbox } from './inboxes.service.ts'

export async function inboxesRoutes(app: App) {
  app.get('/inboxes', { schema: { tags: ['inboxes'], response: { 200: Type.Array(InboxDto) } } }, async (req) => {
    actorOf(req)
    return listInboxes(app.ctx.db)
  })
  app.post('/inboxes', { schema: { tags: ['inboxes'], body: InboxInput, response: { 201: InboxDto } } }, async (req, reply) =>
    reply.code(201).send(await createInbox(app.ctx, actorOf(req), req.body)),
  )
  app.patch('/inboxes/:id', { schema: { tags: ['inboxes'], params: IdParams, body: InboxPatch, response: { 200: InboxDto } } }, async (req) =>
    updateInbox(app.ctx, actorOf(req), req.params.id, req.body),
  )
}
