import type { VocNotificationDto, VocNotificationStatus, VocSettingsDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { composeMessage } from '../tickets/messages.service.ts'
import { vocChanged } from './voc.events.ts'
import { canChangeVocSettings, canManageVoc } from './voc.policy.ts'
import { fillPlaceholders } from '../../platform/templates.ts'

const TEMPLATE_SETTING = 'vocShippedTemplate'
export const DEFAULT_SHIPPED_TEMPLATE = [
  'Hi {{requester.firstName}},',
  '',
  'You told us about this in ticket #{{ticket.number}}, and we listened: "{{item.title}}" has just shipped.',
  '',
  'Thank you for taking the time to tell us. It helped us decide what to work on next.',
  '',
  'Best regards,',
  '{{agent.name}}',
].join('\n')
/** Contacts per shipped item the loop prepares replies for in one go (the rest follow as they are linked). */
const MAX_PREPARED = 5000

export async function getVocSettings(db: Executor): Promise<VocSettingsDto> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', TEMPLATE_SETTING).executeTakeFirst()
  const stored = row ? (JSON.parse(row.value) as unknown) : null
  return { shippedTemplate: typeof stored === 'string' && stored.trim() ? stored : DEFAULT_SHIPPED_TEMPLATE }
}

/** Admins set the close-the-loop template. Audited. */
export async function updateVocSettings(ctx: Ctx, actor: Actor, input: VocSettingsDto): Promise<VocSettingsDto> {
  if (!canChangeVocSettings(actor)) throw forbidden('change voice-of-customer settings', 'admins only')
  await ctx.db.transaction().execute(async (trx) => {
    const value = JSON.stringify(input.shippedTemplate)
    await trx
      .insertInto('settings')
      .values({ key: TEMPLATE_SETTING, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'voc.settings_changed',
      targetType: 'settings',
      targetId: null,
      data: { template: input.shippedTemplate },
    })
  })
  return getVocSettings(ctx.db)
}

/** Fills the template's placeholders; unknown ones are left as written so a typo shows in the preview. */
export function renderTemplate(template: string, values: { firstName: string; itemTitle: string; ticketNumber: number; agentName: string }): string {
  const map: Record<string, string> = {
    'requester.firstName': values.firstName,
    'item.title': values.itemTitle,
    'ticket.number': String(values.ticketNumber),
    'agent.name': values.agentName,
  }
  return fillPlaceholders(template, map)
}

const firstNameOf = (name: string) => name.trim().split(/\s+/)[0] || 'there'

/**
 * Prepares one close-the-loop reply per customer linked to the item, on their most recent linked ticket,
 * signed by the person who shipped it. Customers who already have one (from an earlier ship) are skipped.
 */
export async function prepareNotifications(trx: Executor, itemId: number, actor: Pick<Actor, 'name'>): Promise<number> {
  const item = await trx.selectFrom('vocItems').select(['title']).where('id', '=', itemId).executeTakeFirstOrThrow()
  const links = await trx
    .selectFrom('vocLinks as l')
    .innerJoin('tickets as t', 't.id', 'l.ticketId')
    .innerJoin('contacts as c', 'c.id', 'l.contactId')
    .select(['l.contactId', 'l.ticketId', 'c.name', 't.mergedIntoId'])
    .where('l.itemId', '=', itemId)
    .orderBy('l.seenAt', 'desc')
    .orderBy('l.id', 'desc')
    .limit(MAX_PREPARED * 4)
    .execute()
  const done = new Set((await trx.selectFrom('vocNotifications').select('contactId').where('itemId', '=', itemId).execute()).map((r) => r.contactId))
  const { shippedTemplate } = await getVocSettings(trx)
  const t = now()
  let prepared = 0
  for (const l of links) {
    if (prepared >= MAX_PREPARED) break
    if (done.has(l.contactId!)) continue
    done.add(l.contactId!)
    // A merged ticket lives on in the one it was merged into: reply there.
    const ticketId = l.mergedIntoId ?? l.ticketId!
    const body = renderTemplate(shippedTemplate, { firstName: firstNameOf(l.name), itemTitle: item.title, ticketNumber: ticketId, agentName: actor.name })
    await trx
      .insertInto('vocNotifications')
      .values({
        itemId,
        contactId: l.contactId!,
        ticketId,
        body,
        status: 'prepared',
        messageId: null,
        reviewId: null,
        error: null,
        sentById: null,
        sentAt: null,
        createdAt: t,
        updatedAt: t,
      })
      .onConflict((oc) => oc.columns(['itemId', 'contactId']).doNothing())
      .execute()
    prepared++
  }
  return prepared
}

/** Notifications of an item or of a contact, newest item first, as DTOs. */
export async function listItemNotifications(db: Executor, by: { itemId: number } | { contactId: number } | { ids: number[] }): Promise<VocNotificationDto[]> {
  let q = db
    .selectFrom('vocNotifications as n')
    .innerJoin('vocItems as i', 'i.id', 'n.itemId')
    .innerJoin('contacts as c', 'c.id', 'n.contactId')
    .innerJoin('tickets as t', 't.id', 'n.ticketId')
    .leftJoin('users as u', 'u.id', 'n.sentById')
    .select([
      'n.id',
      'n.itemId',
      'i.title as itemTitle',
      'n.contactId',
      'c.name as contactName',
      'n.ticketId',
      't.subject',
      'n.body',
      'n.status',
      'n.messageId',
      'n.reviewId',
      'n.error',
      'n.sentById',
      'u.name as sentByName',
      'n.sentAt',
      'n.createdAt',
    ])
  if ('itemId' in by) q = q.where('n.itemId', '=', by.itemId)
  else if ('contactId' in by) q = q.where('n.contactId', '=', by.contactId)
  else q = q.where('n.id', 'in', by.ids.length ? by.ids : [0])
  const rows = await q.orderBy('n.itemId', 'desc').orderBy('n.id').limit(1000).execute()
  return rows.map((r) => ({
    id: r.id,
    itemId: r.itemId,
    itemTitle: r.itemTitle,
    contact: { id: r.contactId, name: r.contactName },
    ticket: { id: r.ticketId, number: r.ticketId, subject: r.subject },
    body: r.body,
    status: r.status as VocNotificationStatus,
    messageId: r.messageId,
    reviewId: r.reviewId,
    error: r.error,
    sentBy: r.sentById !== null && r.sentByName !== null ? { id: r.sentById, name: r.sentByName } : null,
    sentAt: r.sentAt === null ? null : Number(r.sentAt),
    createdAt: Number(r.createdAt),
  }))
}

async function getNotification(db: Executor, id: number) {
  const n = await db.selectFrom('vocNotifications').selectAll().where('id', '=', id).executeTakeFirst()
  if (!n) throw notFound('Notification', id)
  return n
}

const publish = (ctx: Ctx, n: { itemId: number; ticketId: number; contactId: number }) =>
  ctx.realtime.publish(vocChanged(n.itemId, { ticketIds: [n.ticketId], contactIds: [n.contactId] }))

/** Edits a prepared (or failed) reply before it goes out. */
export async function updateNotification(ctx: Ctx, actor: Actor, id: number, body: string): Promise<VocNotificationDto> {
  if (!canManageVoc(actor)) throw forbidden('edit close-the-loop replies')
  const text = body.trim()
  if (!text) throw conflict('The reply is empty')
  const n = await getNotification(ctx.db, id)
  const done = await ctx.db
    .updateTable('vocNotifications')
    .set({ body: text, updatedAt: now() })
    .where('id', '=', id)
    .where('status', 'in', ['prepared', 'failed'])
    .executeTakeFirst()
  if (!Number(done.numUpdatedRows)) throw conflict(`Notification ${id} was already ${n.status === 'held' ? 'sent for review' : n.status}; it cannot change now`)
  publish(ctx, n)
  return (await listItemNotifications(ctx.db, { ids: [id] }))[0]!
}

/**
 * Sends one prepared reply through the tickets module as the acting person, so their review rules and
 * rights apply: sent (with the message), held for review (with the review) or failed (with the reason).
 * The row is claimed first (prepared/failed → sending), so sending twice never sends twice.
 */
export async function sendNotification(ctx: Ctx, actor: Actor, id: number): Promise<VocNotificationDto> {
  if (!canManageVoc(actor)) throw forbidden('send close-the-loop replies')
  const n = await getNotification(ctx.db, id)
  const claimed = await ctx.db
    .updateTable('vocNotifications')
    .set({ status: 'sending', updatedAt: now() })
    .where('id', '=', id)
    .where('status', 'in', ['prepared', 'failed'])
    .executeTakeFirst()
  if (!Number(claimed.numUpdatedRows)) return (await listItemNotifications(ctx.db, { ids: [id] }))[0]!
  let outcome: { status: VocNotificationStatus; messageId?: number; reviewId?: number; error?: string }
  try {
    const result = await composeMessage(ctx, actor, n.ticketId, 'reply', { body: normalizeBody(n.body, 'text').html })
    outcome = 'message' in result ? { status: 'sent', messageId: result.message.id } : { status: 'held', reviewId: result.pendingReview.review.id }
  } catch (err) {
    if (!(err instanceof AppError)) {
      await ctx.db
        .updateTable('vocNotifications')
        .set({ status: 'failed', error: 'Unexpected error while sending', updatedAt: now() })
        .where('id', '=', id)
        .execute()
      throw err
    }
    outcome = { status: 'failed', error: err.message }
  }
  const t = now()
  await ctx.db
    .updateTable('vocNotifications')
    .set({
      status: outcome.status,
      messageId: outcome.messageId ?? null,
      reviewId: outcome.reviewId ?? null,
      error: outcome.error ?? null,
      sentById: actor.id,
      sentAt: outcome.status === 'failed' ? null : t,
      updatedAt: t,
    })
    .where('id', '=', id)
    .execute()
  publish(ctx, n)
  return (await listItemNotifications(ctx.db, { ids: [id] }))[0]!
}

/** "Send all": every prepared or failed reply of the item, one by one; returns all the item's notifications. */
export async function sendAllNotifications(ctx: Ctx, actor: Actor, itemId: number): Promise<VocNotificationDto[]> {
  if (!canManageVoc(actor)) throw forbidden('send close-the-loop replies')
  const item = await ctx.db.selectFrom('vocItems').select('id').where('id', '=', itemId).executeTakeFirst()
  if (!item) throw notFound('Item', itemId)
  const pending = await ctx.db
    .selectFrom('vocNotifications')
    .select('id')
    .where('itemId', '=', itemId)
    .where('status', 'in', ['prepared', 'failed'])
    .orderBy('id')
    .execute()
  for (const p of pending) await sendNotification(ctx, actor, p.id)
  return listItemNotifications(ctx.db, { itemId })
}
