import {
  AcceptVocSuggestionInput,
  CreateVocItemInput,
  CreateVocLinkInput,
  IdParams,
  Ok,
  UpdateVocItemInput,
  UpdateVocNotificationInput,
  VOC_ROOM,
  VocContactDto,
  VocItemDetailDto,
  VocItemDto,
  VocItemListQuery,
  VocItemPage,
  VocLinkDto,
  VocNotificationDto,
  VocSettingsDto,
  VocSuggestionsDto,
  VocTicketItemDto,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { scheduleVocSuggestions } from './jobs/compute-voc-suggestions.ts'
import { createItem, deleteItem, getItemDetail, listItems, updateItem } from './voc.items.service.ts'
import { contactVoc, linkToItem, listTicketItems, unlink } from './voc.links.service.ts'
import { getVocSettings, sendAllNotifications, sendNotification, updateNotification, updateVocSettings } from './voc.loop.service.ts'
import { canViewVoc } from './voc.policy.ts'
import { acceptSuggestion, dismissSuggestion, listSuggestions, refreshSuggestions } from './voc.suggestions.service.ts'

/** Whoever may see the board may watch its room: events carry ids only. */
const vocRoomGuard: RoomGuard = (_ctx, actor, room) => (room === VOC_ROOM ? canViewVoc(actor) : undefined)

/** /voc: the voice-of-customer board, links from tickets, suggestions and closing the loop when an item ships. */
export async function vocRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(vocRoomGuard)
  // The daily suggestions run queues its own next run; this starts the chain.
  app.addHook('onReady', async () => {
    await scheduleVocSuggestions(ctx.db)
  })
  const tags = ['voc']

  app.get(
    '/voc/items',
    {
      schema: {
        tags,
        description: 'The board: items with counts per status; filter by status, kind and title words; sort by affected customers, last seen or newest.',
        querystring: VocItemListQuery,
        response: { 200: VocItemPage },
      },
    },
    async (req) => listItems(ctx, actorOf(req), req.query),
  )
  app.post(
    '/voc/items',
    { schema: { tags, description: 'Support staff only.', body: CreateVocItemInput, response: { 201: VocItemDto } } },
    async (req, reply) => reply.code(201).send(await createItem(ctx, actorOf(req), req.body)),
  )
  app.get(
    '/voc/items/:id',
    {
      schema: {
        tags,
        description:
          'An item with its links and quotes (hidden for tickets the caller cannot see), customers, organizations, 12-week trend, status history and close-the-loop replies.',
        params: IdParams,
        response: { 200: VocItemDetailDto },
      },
    },
    async (req) => getItemDetail(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/voc/items/:id',
    {
      schema: {
        tags,
        description: 'Support staff only. Moving to shipped prepares one reply per affected customer on their most recent linked ticket.',
        params: IdParams,
        body: UpdateVocItemInput,
        response: { 200: VocItemDto },
      },
    },
    async (req) => updateItem(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/voc/items/:id', { schema: { tags, description: 'Admins only; audited.', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteItem(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post(
    '/voc/items/:id/links',
    {
      schema: {
        tags,
        description: "Links a ticket the caller can see, with the customer's words (default: an excerpt of the first customer message).",
        params: IdParams,
        body: CreateVocLinkInput,
        response: { 201: VocLinkDto },
      },
    },
    async (req, reply) => reply.code(201).send(await linkToItem(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.delete(
    '/voc/links/:id',
    { schema: { tags, description: 'Support staff, or the person who made the link.', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await unlink(ctx, actorOf(req), req.params.id)
      return { ok: true }
    },
  )
  app.get(
    '/tickets/:id/voc-items',
    {
      schema: {
        tags,
        description: 'Items the ticket is linked to (its side panel).',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(VocTicketItemDto) }) },
      },
    },
    async (req) => ({ items: await listTicketItems(ctx, actorOf(req), req.params.id) }),
  )
  app.get(
    '/contacts/:id/voc',
    {
      schema: {
        tags,
        description: 'Items the contact raised and the close-the-loop replies prepared for them (replies: support staff only).',
        params: IdParams,
        response: { 200: VocContactDto },
      },
    },
    async (req) => contactVoc(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/voc/suggestions',
    { schema: { tags, description: 'Pending suggestions (new items and links), strongest first.', response: { 200: VocSuggestionsDto } } },
    async (req) => listSuggestions(ctx, actorOf(req)),
  )
  app.post(
    '/voc/suggestions/refresh',
    {
      schema: {
        tags,
        description: 'Support staff only. Groups the most recent tickets (last 30 days, at most 2,000) now; the daily job does the same.',
        response: { 200: VocSuggestionsDto },
      },
    },
    async (req) => refreshSuggestions(ctx, actorOf(req)),
  )
  app.post(
    '/voc/suggestions/:id/accept',
    {
      schema: {
        tags,
        description: 'Support staff only. Creates the proposed item (title and kind may be changed) or takes the existing one, and links the tickets.',
        params: IdParams,
        body: AcceptVocSuggestionInput,
        response: { 200: VocItemDto },
      },
    },
    async (req) => acceptSuggestion(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post(
    '/voc/suggestions/:id/dismiss',
    { schema: { tags, description: 'Support staff only. Not proposed again for the same tickets.', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await dismissSuggestion(ctx, actorOf(req), req.params.id)
      return { ok: true }
    },
  )
  app.patch(
    '/voc/notifications/:id',
    {
      schema: {
        tags,
        description: 'Support staff only; while prepared or failed.',
        params: IdParams,
        body: UpdateVocNotificationInput,
        response: { 200: VocNotificationDto },
      },
    },
    async (req) => updateNotification(ctx, actorOf(req), req.params.id, req.body.body),
  )
  app.post(
    '/voc/notifications/:id/send',
    {
      schema: {
        tags,
        description: 'Support staff only. Replies on the ticket as the caller (their review rules apply); sending again changes nothing.',
        params: IdParams,
        response: { 200: VocNotificationDto },
      },
    },
    async (req) => sendNotification(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/voc/items/:id/notifications/send',
    {
      schema: {
        tags,
        description: 'Support staff only. Sends every prepared (or failed) reply of the item; returns all of them.',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(VocNotificationDto) }) },
      },
    },
    async (req) => ({ items: await sendAllNotifications(ctx, actorOf(req), req.params.id) }),
  )
  app.get('/voc/settings', { schema: { tags, response: { 200: VocSettingsDto } } }, async (req) => {
    actorOf(req)
    return getVocSettings(ctx.db)
  })
  app.put('/voc/settings', { schema: { tags, description: 'Admins only; audited.', body: VocSettingsDto, response: { 200: VocSettingsDto } } }, async (req) =>
    updateVocSettings(ctx, actorOf(req), req.body),
  )
}
