import {
  type CreateVocItemInput,
  type UpdateVocItemInput,
  VOC_STATUSES,
  type VocItemDetailDto,
  type VocItemDto,
  type VocItemListQuery,
  type VocItemPage,
  type VocStatus,
} from '@allhands/contract'
import { sql } from 'kysely'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { vocChanged } from './voc.events.ts'
import { presentItemLinks } from './voc.links.service.ts'
import { listItemNotifications, prepareNotifications } from './voc.loop.service.ts'
import { canDeleteVocItem, canManageVoc, canViewVoc } from './voc.policy.ts'
import { findItemRow, linkedTicketIds, presentItems, type VocItemRow } from './voc.queries.ts'

const WEEK = 7 * 24 * 3600_000
const TREND_WEEKS = 12

/** An external tracker link: http(s) only, so nothing else ends up behind a link in the board. */
export function validTrackerUrl(url: string | null | undefined): string | null {
  if (url === undefined || url === null || url.trim() === '') return null
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    throw unprocessable('trackerUrl must be an absolute http(s) URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw unprocessable('trackerUrl must be an http(s) URL')
  return parsed.toString()
}

function description(body: string | undefined): { descriptionHtml: string; descriptionText: string } {
  if (!body?.trim()) return { descriptionHtml: '', descriptionText: '' }
  const { html, text } = normalizeBody(body)
  return { descriptionHtml: html, descriptionText: text }
}

/** The item when the actor may see the board; 404 when it does not exist. */
export async function getVisibleItem(db: Executor, actor: Actor, id: number): Promise<VocItemRow> {
  if (!canViewVoc(actor)) throw forbidden('see the voice-of-customer board')
  const item = await findItemRow(db, id)
  if (!item) throw notFound('Item', id)
  return item
}

async function recordStatus(db: Executor, itemId: number, from: VocStatus | null, to: VocStatus, actorId: number, at: number) {
  await db.insertInto('vocStatusChanges').values({ itemId, fromStatus: from, toStatus: to, actorId, createdAt: at }).execute()
}

export async function createItem(ctx: Ctx, actor: Actor, input: CreateVocItemInput): Promise<VocItemDto> {
  if (!canManageVoc(actor)) throw forbidden('create voice-of-customer items')
  const title = input.title.trim()
  if (!title) throw unprocessable('The title is empty')
  const trackerUrl = validTrackerUrl(input.trackerUrl)
  const status = input.status ?? 'new'
  const id = await inTransaction(ctx, async (trx, emit) => {
    const t = now()
    const row = await trx
      .insertInto('vocItems')
      .values({
        kind: input.kind,
        title,
        ...description(input.description),
        status,
        trackerUrl,
        createdById: actor.id,
        firstSeenAt: null,
        lastSeenAt: null,
        shippedAt: status === 'shipped' ? t : null,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordStatus(trx, row.id, null, status, actor.id, t)
    emit(vocChanged(row.id))
    return row.id
  })
  return (await presentItems(ctx.db, [id]))[0]!
}

/**
 * Edits an item. A status change is recorded in its history; moving to shipped prepares one
 * close-the-loop reply per affected customer (sent later, by a person, through the normal reply path).
 */
export async function updateItem(ctx: Ctx, actor: Actor, id: number, input: UpdateVocItemInput): Promise<VocItemDto> {
  if (!canManageVoc(actor)) throw forbidden('change voice-of-customer items')
  const title = input.title?.trim()
  if (title === '') throw unprocessable('The title is empty')
  const trackerUrl = input.trackerUrl === undefined ? undefined : validTrackerUrl(input.trackerUrl)
  await inTransaction(ctx, async (trx, emit) => {
    const item = await getVisibleItem(trx, actor, id)
    const t = now()
    const statusChanged = input.status !== undefined && input.status !== item.status
    await trx
      .updateTable('vocItems')
      .set({
        ...(input.kind ? { kind: input.kind } : {}),
        ...(title ? { title } : {}),
        ...(input.description !== undefined ? description(input.description) : {}),
        ...(trackerUrl !== undefined ? { trackerUrl } : {}),
        ...(statusChanged ? { status: input.status, ...(input.status === 'shipped' ? { shippedAt: t } : {}) } : {}),
        updatedAt: t,
      })
      .where('id', '=', id)
      .execute()
    if (statusChanged) {
      await recordStatus(trx, id, item.status as VocStatus, input.status!, actor.id, t)
      if (input.status === 'shipped') await prepareNotifications(trx, id, actor)
    }
    emit(vocChanged(id, { ticketIds: await linkedTicketIds(trx, id) }))
  })
  return (await presentItems(ctx.db, [id]))[0]!
}

/** Admins only; audited with what the item was. Links, history, suggestions and prepared notifications go with it. */
export async function deleteItem(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canDeleteVocItem(actor)) throw forbidden('delete voice-of-customer items', 'admins only')
  await inTransaction(ctx, async (trx, emit) => {
    const item = await getVisibleItem(trx, actor, id)
    const ticketIds = await linkedTicketIds(trx, id)
    await trx.deleteFrom('vocItems').where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'voc.item_deleted',
      targetType: 'voc_item',
      targetId: id,
      data: { title: item.title, status: item.status, links: Number(item.linkCount) },
    })
    emit(vocChanged(id, { ticketIds }))
  })
}

const SORT_COLUMN = { customers: 'customer_count', last_seen: 'last_seen_at', created: 'created_at' } as const

/**
 * The board: items by status (or all), title words, kind; most affected customers first, or most
 * recently seen (never-seen items last), or newest; keyset-paginated on (sort key, id). Counts per status
 * come with the page. Items are a few hundred rows, not tickets: the title filter may scan them.
 */
export async function listItems(ctx: Ctx, actor: Actor, query: VocItemListQuery): Promise<VocItemPage> {
  if (!canViewVoc(actor)) throw forbidden('see the voice-of-customer board')
  const limit = query.limit ?? 50
  const key = sql<number>`coalesce(${sql.ref(SORT_COLUMN[query.sort ?? 'customers'])}, 0)`
  let base = ctx.db.selectFrom('vocItems')
  if (query.kind) base = base.where('kind', '=', query.kind)
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)
  for (const w of words) base = base.where(sql<boolean>`lower(title) like ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
  const countRows = await base
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const counts = Object.fromEntries(VOC_STATUSES.map((s) => [s, 0])) as VocItemPage['counts']
  for (const r of countRows) if (r.status in counts) counts[r.status as VocStatus] = Number(r.n)

  let q = base.select(['id', key.as('sortKey')])
  if (query.status) q = q.where('status', '=', query.status)
  const after = decodeCursor(query.cursor, 2)
  if (after) {
    const [k, id] = after.map(Number) as [number, number]
    q = q.where((eb) => eb.or([eb(key, '<', k), eb.and([eb(key, '=', k), eb('id', '<', id)])]))
  }
  const rows = await q
    .orderBy(key, 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: await presentItems(
      ctx.db,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last.sortKey), last.id]) : null,
    counts,
  }
}

/** Buckets of the last 12 weeks (oldest first), counting links by when the customer raised it. */
async function trendOf(db: Executor, itemId: number, t: number): Promise<VocItemDetailDto['trend']> {
  const start = t - TREND_WEEKS * WEEK
  const rows = await db.selectFrom('vocLinks').select('seenAt').where('itemId', '=', itemId).where('seenAt', '>', start).execute()
  const buckets = Array.from({ length: TREND_WEEKS }, (_, i) => ({ weekStart: start + i * WEEK, links: 0 }))
  for (const r of rows) {
    const i = Math.min(TREND_WEEKS - 1, Math.floor((Number(r.seenAt) - start) / WEEK))
    if (i >= 0) buckets[i]!.links++
  }
  return buckets
}

async function countsBy(db: Executor, itemId: number, by: 'contact' | 'organization'): Promise<VocItemDetailDto['customers']> {
  const rows =
    by === 'contact'
      ? await db
          .selectFrom('vocLinks as l')
          .innerJoin('contacts as c', 'c.id', 'l.contactId')
          .select(['c.id', 'c.name', (eb) => eb.fn.countAll<number>().as('links')])
          .where('l.itemId', '=', itemId)
          .groupBy(['c.id', 'c.name'])
          .orderBy('links', 'desc')
          .orderBy('c.id')
          .limit(200)
          .execute()
      : await db
          .selectFrom('vocLinks as l')
          .innerJoin('organizations as o', 'o.id', 'l.organizationId')
          .select(['o.id', 'o.name', (eb) => eb.fn.countAll<number>().as('links')])
          .where('l.itemId', '=', itemId)
          .groupBy(['o.id', 'o.name'])
          .orderBy('links', 'desc')
          .orderBy('o.id')
          .limit(200)
          .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, links: Number(r.links) }))
}

/** The item page: links with quotes, affected customers and organizations, trend, history, and the loop. */
export async function getItemDetail(ctx: Ctx, actor: Actor, id: number): Promise<VocItemDetailDto> {
  await getVisibleItem(ctx.db, actor, id)
  const t = now()
  const history = await ctx.db
    .selectFrom('vocStatusChanges as h')
    .leftJoin('users as u', 'u.id', 'h.actorId')
    .select(['h.id', 'h.fromStatus', 'h.toStatus', 'h.actorId', 'u.name', 'h.createdAt'])
    .where('h.itemId', '=', id)
    .orderBy('h.id', 'desc')
    .limit(100)
    .execute()
  const canManage = canManageVoc(actor)
  return {
    item: (await presentItems(ctx.db, [id]))[0]!,
    links: await presentItemLinks(ctx.db, actor, { itemId: id }),
    customers: await countsBy(ctx.db, id, 'contact'),
    organizations: await countsBy(ctx.db, id, 'organization'),
    trend: await trendOf(ctx.db, id, t),
    history: history.map((h) => ({
      id: h.id,
      from: h.fromStatus as VocStatus | null,
      to: h.toStatus as VocStatus,
      actor: h.actorId !== null && h.name ? { id: h.actorId, name: h.name } : null,
      createdAt: Number(h.createdAt),
    })),
    notifications: canManage ? await listItemNotifications(ctx.db, { itemId: id }) : [],
    canManage,
    canDelete: canDeleteVocItem(actor),
  }
}
