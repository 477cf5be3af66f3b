import {
  BulkUpdateInput,
  BulkUpdateResult,
  ComposeInput,
  CreateTicketInput,
  IdParams,
  MergeTicketInput,
  MessageDto,
  Ok,
  Page,
  TicketDto,
  TicketListQuery,
  UpdateTicketInput,
  ViewDto,
  ViewInput,
  ViewParams,
  PendingReviewDto,
  ReplyDecisionDto,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { composeMessage, listMessages, replyDecisionFor } from './messages.service.ts'
import { bulkUpdateTickets, createTicket, getTicket, listTickets, mergeTickets, setFollowing, updateTicket } from './tickets.service.ts'
import { createView, deleteView, listViews, resolveViewFilters, updateView } from './views.service.ts'
import { listTicketIdsBySla, presentTickets } from './tickets.queries.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { stripUndefined } from '../../platform/json.ts'
import type { Ctx } from '../../platform/context.ts'
import type { Actor } from '../../platform/actor.ts'

/** issue 10 sla: one page of tickets in "breaches next" order (soonest SLA due time first), keyset-paged. */
async function listTicketsBySla(ctx: Ctx, actor: Actor, query: TicketListQuery) {
  const filters = query.view
    ? {
        ...(await resolveViewFilters(ctx, actor, query.view)),
        ...stripUndefined({ ...query, view: undefined, cursor: undefined, limit: undefined, sort: undefined }),
      }
    : query
  // A view that searches keeps its relevance order.
  if (filters.q) return listTickets(ctx, actor, query)
  const after = decodeCursor(query.cursor, 2)?.map(Number) as [number, number] | undefined
  const page = await listTicketIdsBySla(ctx.db, ctx.dialect, actor, filters, { after: after ?? null, limit: query.limit ?? 50 })
  return { items: await presentTickets(ctx.db, page.ids), nextCursor: page.next ? encodeCursor(page.next) : null }
}

export async function ticketsRoutes(app: App) {
  const ctx = app.ctx
  app.get('/tickets', { schema: { tags: ['tickets'], querystring: TicketListQuery, response: { 200: Page(TicketDto) } } }, async (req) =>
    // issue 10 sla: `sort=sla` lists by "breaches next" (search keeps its relevance order)
    req.query.sort === 'sla' && !req.query.q ? listTicketsBySla(ctx, actorOf(req), req.query) : listTickets(ctx, actorOf(req), req.query),
  )
  app.post('/tickets', { schema: { tags: ['tickets'], body: CreateTicketInput, response: { 201: TicketDto } } }, async (req, reply) =>
    reply.code(201).send(await createTicket(ctx, actorOf(req), req.body)),
  )
  app.post('/tickets/bulk', { schema: { tags: ['tickets'], body: BulkUpdateInput, response: { 200: BulkUpdateResult } } }, async (req) =>
    bulkUpdateTickets(ctx, actorOf(req), req.body),
  )
  app.get('/tickets/:id', { schema: { tags: ['tickets'], params: IdParams, response: { 200: TicketDto } } }, async (req) =>
    getTicket(ctx, actorOf(req), req.params.id),
  )
  app.patch('/tickets/:id', { schema: { tags: ['tickets'], params: IdParams, body: UpdateTicketInput, response: { 200: TicketDto } } }, async (req) =>
    updateTicket(ctx, actorOf(req), req.params.id, req.body),
  )
  app.get(
    '/tickets/:id/messages',
    { schema: { tags: ['tickets'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(MessageDto) }) } } },
    async (req) => ({
      items: await listMessages(ctx, actorOf(req), req.params.id),
    }),
  )
  app.post(
    '/tickets/:id/replies',
    {
      schema: {
        tags: ['tickets'],
        description: 'Sends a reply to the customer, or holds it for review (202 pending_review) when the author is in review.',
        params: IdParams,
        body: ComposeInput,
        response: { 201: MessageDto, 202: PendingReviewDto },
      },
    },
    async (req, reply) => {
      const result = await composeMessage(ctx, actorOf(req), req.params.id, 'reply', req.body)
      return 'message' in result ? reply.code(201).send(result.message) : reply.code(202).send(result.pendingReview)
    },
  )
  app.post('/tickets/:id/notes', { schema: { tags: ['tickets'], params: IdParams, body: ComposeInput, response: { 201: MessageDto } } }, async (req, reply) => {
    const result = await composeMessage(ctx, actorOf(req), req.params.id, 'note', req.body)
    if (!('message' in result)) throw new Error('a note is never held for review')
    return reply.code(201).send(result.message)
  })
  app.get(
    '/tickets/:id/reply-decision',
    {
      schema: {
        tags: ['tickets'],
        description: "How the signed-in person's reply on this ticket would go out: send, review (held) or deny, with the reason.",
        params: IdParams,
        response: { 200: ReplyDecisionDto },
      },
    },
    async (req) => replyDecisionFor(ctx, actorOf(req), req.params.id),
  )
  app.post('/tickets/:id/merge', { schema: { tags: ['tickets'], params: IdParams, body: MergeTicketInput, response: { 200: TicketDto } } }, async (req) =>
    mergeTickets(ctx, actorOf(req), req.params.id, req.body.intoTicketId),
  )
  app.post('/tickets/:id/follow', { schema: { tags: ['tickets'], params: IdParams, response: { 200: TicketDto } } }, async (req) =>
    setFollowing(ctx, actorOf(req), req.params.id, true),
  )
  app.delete('/tickets/:id/follow', { schema: { tags: ['tickets'], params: IdParams, response: { 200: TicketDto } } }, async (req) =>
    setFollowing(ctx, actorOf(req), req.params.id, false),
  )

  app.get('/views', { schema: { tags: ['views'], response: { 200: Type.Array(ViewDto) } } }, async (req) => listViews(ctx, actorOf(req)))
  app.post('/views', { schema: { tags: ['views'], body: ViewInput, response: { 201: ViewDto } } }, async (req, reply) =>
    reply.code(201).send(await createView(ctx, actorOf(req), req.body)),
  )
  app.patch('/views/:id', { schema: { tags: ['views'], params: ViewParams, body: Type.Partial(ViewInput), response: { 200: ViewDto } } }, async (req) =>
    updateView(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/views/:id', { schema: { tags: ['views'], params: ViewParams, response: { 200: Ok } } }, async (req) => {
    await deleteView(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
