import type { CreateVocLinkInput, VocContactDto, VocLinkDto, VocTicketItemDto } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canViewContacts, canViewTicket } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { vocChanged } from './voc.events.ts'
import { prepareNotifications, listItemNotifications } from './voc.loop.service.ts'
import { canLinkToVoc, canManageVoc, canUnlinkFromVoc, canViewVoc } from './voc.policy.ts'
import { excerpt, findItemRow, firstCustomerTexts, presentItems, refreshItemStats } from './voc.queries.ts'

const MAX_LINKS_SHOWN = 200

/**
 * Links tickets to an item in the caller's transaction, skipping those already linked; the quote defaults
 * to an excerpt of the ticket's first customer message. Returns the new link ids. Shared by the link
 * route and accepted suggestions.
 */
export async function insertTicketLinks(
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  actor: Actor,
  itemId: number,
  tickets: { id: number; requesterId: number; organizationId: number | null; createdAt: number }[],
  quotes: Map<number, string | undefined> = new Map(),
): Promise<number[]> {
  if (!tickets.length) return []
  const t = now()
  const texts = await firstCustomerTexts(
    trx,
    tickets.filter((x) => !quotes.get(x.id)?.trim()).map((x) => x.id),
  )
  const existing = new Set(
    (
      await trx
        .selectFrom('vocLinks')
        .select('ticketId')
        .where('itemId', '=', itemId)
        .where(
          'ticketId',
          'in',
          tickets.map((x) => x.id),
        )
        .execute()
    ).map((r) => r.ticketId),
  )
  const ids: number[] = []
  for (const ticket of tickets) {
    if (existing.has(ticket.id)) continue
    const given = quotes.get(ticket.id)?.trim()
    const quote = given || excerpt(texts.get(ticket.id) ?? '') || null
    const row = await trx
      .insertInto('vocLinks')
      .values({
        itemId,
        ticketId: ticket.id,
        surveyResponseId: null,
        contactId: ticket.requesterId,
        organizationId: ticket.organizationId,
        quote,
        linkedById: actor.id,
        seenAt: Number(ticket.createdAt),
        createdAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  if (!ids.length) return ids
  await refreshItemStats(trx, itemId, t)
  const item = (await findItemRow(trx, itemId))!
  // A customer who reports a shipped item gets their close-the-loop reply prepared too.
  if (item.status === 'shipped') await prepareNotifications(trx, itemId, actor)
  emit(
    vocChanged(itemId, {
      ticketIds: tickets.map((x) => x.id),
      contactIds: [...new Set(tickets.map((x) => x.requesterId))],
    }),
  )
  return ids
}

/** POST /voc/items/:id/links: a ticket the actor can see, or a survey response (staff), with the customer's words. */
export async function linkToItem(ctx: Ctx, actor: Actor, itemId: number, input: CreateVocLinkInput): Promise<VocLinkDto> {
  if (!canLinkToVoc(actor)) throw forbidden('link tickets to voice-of-customer items')
  if ((input.ticketId === undefined) === (input.surveyResponseId === undefined)) throw badRequest('Give either the ticketId or the surveyResponseId to link')
  const id = await inTransaction(ctx, async (trx, emit) => {
    const item = await findItemRow(trx, itemId)
    if (!item) throw notFound('Item', itemId)
    if (input.surveyResponseId !== undefined) return linkSurveyResponse(trx, emit, actor, itemId, input.surveyResponseId, input.quote)
    const ticketId = input.ticketId!
    const ticket = await getVisibleTicket(trx, actor, ticketId)
    if (ticket.mergedIntoId) throw unprocessable(`Ticket ${ticketId} was merged into #${ticket.mergedIntoId}; link that one`)
    const [linkId] = await insertTicketLinks(trx, emit, actor, itemId, [ticket], new Map([[ticketId, input.quote]]))
    if (linkId === undefined) throw conflict(`Ticket ${ticketId} is already linked to this item`)
    return linkId
  })
  return (await presentItemLinks(ctx.db, actor, { linkIds: [id] }))[0]!
}

/**
 * A survey answer as a link (survey results are for support staff): the respondent is the customer, the
 * quote defaults to their longest free-text answer, and it counts as seen when they answered.
 */
async function linkSurveyResponse(
  trx: Transaction<DB>,
  emit: (e: DomainEvent) => void,
  actor: Actor,
  itemId: number,
  responseId: number,
  quote: string | undefined,
): Promise<number> {
  if (!canManageVoc(actor)) throw forbidden('link survey answers', 'survey results are for support staff')
  const response = await trx
    .selectFrom('surveyResponses as r')
    .leftJoin('contacts as c', 'c.id', 'r.contactId')
    .select(['r.id', 'r.contactId', 'c.organizationId', 'r.createdAt'])
    .where('r.id', '=', responseId)
    .executeTakeFirst()
  if (!response) throw notFound('Survey response', responseId)
  const exists = await trx.selectFrom('vocLinks').select('id').where('itemId', '=', itemId).where('surveyResponseId', '=', responseId).executeTakeFirst()
  if (exists) throw conflict(`Survey response ${responseId} is already linked to this item`)
  const answers = await trx.selectFrom('surveyAnswers').select('value').where('responseId', '=', responseId).execute()
  const freeText = answers
    .map((a) => a.value.trim())
    .filter((v) => /\s/.test(v))
    .sort((a, b) => b.length - a.length)[0]
  const t = now()
  const row = await trx
    .insertInto('vocLinks')
    .values({
      itemId,
      ticketId: null,
      surveyResponseId: responseId,
      contactId: response.contactId,
      organizationId: response.organizationId ?? null,
      quote: quote?.trim() || (freeText ? excerpt(freeText) : null),
      linkedById: actor.id,
      seenAt: Number(response.createdAt),
      createdAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await refreshItemStats(trx, itemId, t)
  emit(vocChanged(itemId, { contactIds: response.contactId ? [response.contactId] : [] }))
  return row.id
}

/** Staff remove any link; a contributor the links they made. */
export async function unlink(ctx: Ctx, actor: Actor, linkId: number): Promise<void> {
  if (!canViewVoc(actor)) throw forbidden('change voice-of-customer links')
  await inTransaction(ctx, async (trx, emit) => {
    const link = await trx.selectFrom('vocLinks').selectAll().where('id', '=', linkId).executeTakeFirst()
    if (!link) throw notFound('Link', linkId)
    if (!canUnlinkFromVoc(actor, link)) throw forbidden('remove this link', 'only support staff or the person who made it')
    await trx.deleteFrom('vocLinks').where('id', '=', linkId).execute()
    await refreshItemStats(trx, link.itemId, now())
    emit(vocChanged(link.itemId, { ticketIds: link.ticketId ? [link.ticketId] : [], contactIds: link.contactId ? [link.contactId] : [] }))
  })
}

/**
 * Links as DTOs, newest first. The ticket's subject and the quote stay hidden from people who cannot
 * see that ticket (a contributor sees that customers raised it, not what they wrote elsewhere); survey
 * quotes from people who may not read survey results.
 */
export async function presentItemLinks(db: Executor, actor: Actor, by: { itemId: number } | { linkIds: number[] }): Promise<VocLinkDto[]> {
  let q = db
    .selectFrom('vocLinks as l')
    .leftJoin('tickets as t', 't.id', 'l.ticketId')
    .leftJoin('contacts as c', 'c.id', 'l.contactId')
    .leftJoin('organizations as o', 'o.id', 'l.organizationId')
    .leftJoin('users as u', 'u.id', 'l.linkedById')
    .select([
      'l.id',
      'l.itemId',
      'l.ticketId',
      'l.surveyResponseId',
      'l.quote',
      'l.seenAt',
      'l.createdAt',
      'l.contactId',
      'c.name as contactName',
      'l.organizationId',
      'o.name as organizationName',
      'l.linkedById',
      'u.name as linkedByName',
      't.subject',
      't.status',
      't.teamId',
      't.assigneeId',
    ])
  q = 'itemId' in by ? q.where('l.itemId', '=', by.itemId) : q.where('l.id', 'in', by.linkIds.length ? by.linkIds : [0])
  const rows = await q.orderBy('l.seenAt', 'desc').orderBy('l.id', 'desc').limit(MAX_LINKS_SHOWN).execute()
  return rows.map((r) => {
    const visible = r.ticketId !== null && r.subject !== null && canViewTicket(actor, { teamId: r.teamId ?? null, assigneeId: r.assigneeId })
    // Survey answers are support staff's to read, like the survey results they come from.
    const showQuote = visible || (r.surveyResponseId !== null && canManageVoc(actor))
    return {
      id: r.id,
      itemId: r.itemId,
      ticket: visible ? { id: r.ticketId!, number: r.ticketId!, subject: r.subject!, status: r.status! } : null,
      surveyResponseId: r.surveyResponseId,
      contact: r.contactId !== null && r.contactName !== null ? { id: r.contactId, name: r.contactName } : null,
      organization: r.organizationId !== null && r.organizationName !== null ? { id: r.organizationId, name: r.organizationName } : null,
      quote: showQuote ? r.quote : null,
      linkedBy: r.linkedById !== null && r.linkedByName !== null ? { id: r.linkedById, name: r.linkedByName } : null,
      seenAt: Number(r.seenAt),
      createdAt: Number(r.createdAt),
    }
  })
}

/** The items a ticket is linked to, for its side panel. */
export async function listTicketItems(ctx: Ctx, actor: Actor, ticketId: number): Promise<VocTicketItemDto[]> {
  if (!canViewVoc(actor)) throw forbidden('see the voice-of-customer board')
  await getVisibleTicket(ctx.db, actor, ticketId)
  const links = await ctx.db
    .selectFrom('vocLinks')
    .select(['id', 'itemId', 'quote', 'linkedById'])
    .where('ticketId', '=', ticketId)
    .orderBy('id')
    .limit(100)
    .execute()
  const items = new Map((await presentItems(ctx.db, [...new Set(links.map((l) => l.itemId))])).map((i) => [i.id, i]))
  return links.map((l) => ({ linkId: l.id, item: items.get(l.itemId)!, quote: l.quote, canUnlink: canUnlinkFromVoc(actor, l) }))
}

/** A contact's page: the items they raised (with how often) and the close-the-loop replies prepared for them. */
export async function contactVoc(ctx: Ctx, actor: Actor, contactId: number): Promise<VocContactDto> {
  if (!canViewVoc(actor) || !canViewContacts(actor)) throw forbidden('see voice-of-customer items of contacts')
  const contact = await ctx.db.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst()
  if (!contact) throw notFound('Contact', contactId)
  const rows = await ctx.db
    .selectFrom('vocLinks')
    .select(['itemId', (eb) => eb.fn.countAll<number>().as('links')])
    .where('contactId', '=', contactId)
    .groupBy('itemId')
    .orderBy('itemId', 'desc')
    .limit(100)
    .execute()
  const items = await presentItems(
    ctx.db,
    rows.map((r) => r.itemId),
  )
  return {
    items: items.map((item, i) => ({ item, links: Number(rows[i]!.links) })),
    notifications: canManageVoc(actor) ? await listItemNotifications(ctx.db, { contactId }) : [],
  }
}
