import type { InviteVisitorInput, LiveVisitorDto, PageOf, PageViewDto } from '@allhands/contract'
import type { FastifyBaseLogger } from 'fastify'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import type { LiveVisitorState } from '../chat/visitor-hub.ts'
import { canWorkChats } from './chat-desk.policy.ts'
import { countryOfTimezone } from './timezone-countries.ts'

export const VISITORS_ROOM = 'visitors'
/** At most one live-list update per visitor in this window, so a busy site cannot flood agents. */
export const VISITOR_UPDATE_MS = 500
const CHUNK = 500

const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK))

/** Live visitors as the agents' list shows them: the hub's state joined with who they are, their chat and their newest invite. */
export async function presentLiveVisitors(db: Executor, states: LiveVisitorState[]): Promise<LiveVisitorDto[]> {
  const out: LiveVisitorDto[] = []
  for (const part of chunks(states)) {
    const ids = part.map((s) => s.visitorId)
    const visitors = await db.selectFrom('chatVisitors').selectAll().where('id', 'in', ids).execute()
    const contactIds = [...new Set(visitors.map((v) => v.contactId).filter((id): id is number => id !== null))]
    const since = Math.min(...part.map((s) => s.onSiteSince))
    const [contacts, chats, invites] = await Promise.all([
      contactIds.length ? db.selectFrom('contacts').select(['id', 'name']).where('id', 'in', contactIds).execute() : [],
      db
        .selectFrom('chatConversations as c')
        .leftJoin('users as u', 'u.id', 'c.agentId')
        .select(['c.visitorId', 'c.ticketId', 'c.status', 'c.agentId', 'c.startedAt', 'u.name as agentName'])
        .where('c.visitorId', 'in', ids)
        .where('c.status', 'in', ['waiting', 'active'])
        .orderBy('c.startedAt', 'desc')
        .execute(),
      // Invites of this visit only: older ones say nothing about what the visitor sees now.
      db
        .selectFrom('chatInvites')
        .select(['id', 'visitorId', 'status', 'createdAt'])
        .where('visitorId', 'in', ids)
        .where('createdAt', '>=', since)
        .orderBy('id', 'desc')
        .execute(),
    ])
    for (const s of part) {
      const v = visitors.find((r) => r.id === s.visitorId)
      if (!v) continue
      const contact = v.contactId === null ? undefined : contacts.find((c) => c.id === v.contactId)
      const chat = chats.find((c) => c.visitorId === v.id)
      const invite = invites.find((i) => i.visitorId === v.id && i.createdAt >= s.onSiteSince)
      const timezone = s.timezone || v.timezone
      out.push({
        id: v.id,
        inboxId: v.inboxId,
        name: contact?.name ?? v.claimedName ?? `Visitor ${v.id}`,
        contact: contact ? { id: contact.id, name: contact.name } : null,
        verified: !!v.verified,
        claimedEmail: v.claimedEmail,
        page: { url: s.page.url, title: s.page.title },
        referrer: s.referrer,
        onSiteSince: s.onSiteSince,
        onPageSince: s.onPageSince,
        pagesThisVisit: s.pagesThisVisit,
        visitCount: v.visitCount,
        returning: v.visitCount > 1,
        timezone,
        country: countryOfTimezone(timezone),
        language: s.language || v.language,
        chat: chat
          ? {
              ticketId: chat.ticketId,
              status: chat.status as 'waiting' | 'active',
              agent: chat.agentId === null ? null : { id: chat.agentId, name: chat.agentName ?? 'Former user' },
            }
          : null,
        invite: invite ? { id: invite.id, status: invite.status as 'sent' | 'accepted' | 'dismissed', at: invite.createdAt } : null,
      })
    }
  }
  return out
}

/** Who is on the site right now (this node's widget sockets), newest arrivals first. */
export async function listLiveVisitors(ctx: Ctx, actor: Actor, inboxId?: number): Promise<LiveVisitorDto[]> {
  if (!canWorkChats(actor)) throw forbidden('see the visitors on the site')
  const states = ctx.visitors
    .list()
    .filter((s) => inboxId === undefined || s.inboxId === inboxId)
    .sort((a, b) => b.onSiteSince - a.onSiteSince || b.visitorId - a.visitorId)
  return presentLiveVisitors(ctx.db, states)
}

/**
 * Keeps the agents' live list current: every change of a visitor is published to the `visitors` room,
 * at most once per VISITOR_UPDATE_MS per visitor (the last state in a burst always goes out); leaving is
 * published at once. Returns the unsubscribe function.
 */
export function installVisitorFeed(ctx: Ctx, log: FastifyBaseLogger): () => void {
  const lastSent = new Map<number, number>()
  const pending = new Map<number, NodeJS.Timeout>()
  const send = async (visitorId: number) => {
    pending.delete(visitorId)
    lastSent.set(visitorId, Date.now())
    const state = ctx.visitors.get(visitorId)
    if (!state) return
    try {
      const [visitor] = await presentLiveVisitors(ctx.db, [state])
      // They may have left while we read the database: the `left` event already went out.
      if (visitor && ctx.visitors.get(visitorId)) ctx.realtime.publish({ name: 'visitor.changed', room: VISITORS_ROOM, payload: { visitor } })
    } catch (err) {
      log.warn({ err, visitorId }, 'visitor list update failed')
    }
  }
  const unsubscribe = ctx.visitors.onChange((visitorId, state) => {
    if (!state) {
      clearTimeout(pending.get(visitorId))
      pending.delete(visitorId)
      lastSent.delete(visitorId)
      ctx.realtime.publish({ name: 'visitor.changed', room: VISITORS_ROOM, payload: { visitorId, left: true } })
      return
    }
    if (pending.has(visitorId)) return
    const wait = (lastSent.get(visitorId) ?? 0) + VISITOR_UPDATE_MS - Date.now()
    if (wait <= 0) void send(visitorId)
    else pending.set(visitorId, setTimeout(() => void send(visitorId), wait).unref())
  })
  return () => {
    unsubscribe()
    for (const t of pending.values()) clearTimeout(t)
    pending.clear()
  }
}

/** Invites a visitor who is on the site now to chat; the widget shows the message with the agent's name. */
export async function inviteVisitor(ctx: Ctx, actor: Actor, visitorId: number, input: InviteVisitorInput): Promise<{ id: number }> {
  if (!canWorkChats(actor)) throw forbidden('invite visitors to chat')
  const visitor = await ctx.db.selectFrom('chatVisitors').select(['id', 'inboxId']).where('id', '=', visitorId).executeTakeFirst()
  if (!visitor) throw notFound('Visitor', visitorId)
  if (!ctx.visitors.isOnline(visitorId)) throw conflict('This visitor is not on the site any more')
  const open = await ctx.db
    .selectFrom('chatConversations')
    .select('ticketId')
    .where('visitorId', '=', visitorId)
    .where('status', 'in', ['waiting', 'active'])
    .executeTakeFirst()
  if (open) throw conflict('This visitor is already in a chat', { ticketId: open.ticketId })
  const id = await sendInvite(ctx, { visitorId, inboxId: visitor.inboxId, ruleId: null, user: actor, message: input.message })
  return { id }
}

/** Stores an invite (manual or from a rule) and shows it in the visitor's widget. */
export async function sendInvite(
  ctx: Ctx,
  invite: { visitorId: number; inboxId: number; ruleId: number | null; user: { id: number; name: string } | null; message: string },
): Promise<number> {
  const row = await ctx.db
    .insertInto('chatInvites')
    .values({
      visitorId: invite.visitorId,
      inboxId: invite.inboxId,
      ruleId: invite.ruleId,
      userId: invite.user?.id ?? null,
      message: invite.message,
      status: 'sent',
      createdAt: now(),
      answeredAt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  ctx.visitors.send(invite.visitorId, {
    type: 'invite',
    inviteId: row.id,
    message: invite.message,
    agent: invite.user ? { name: invite.user.name, avatarUrl: null } : null,
  })
  ctx.visitors.touch(invite.visitorId)
  return row.id
}

type PageViewRow = { id: number; visitorId: number; url: string; title: string; referrer: string; createdAt: number; leftAt: number | null }
const presentPageView = (r: PageViewRow): PageViewDto => ({
  id: r.id,
  visitorId: r.visitorId,
  url: r.url,
  title: r.title,
  referrer: r.referrer,
  createdAt: r.createdAt,
  seconds: r.leftAt === null ? null : Math.max(0, Math.round((r.leftAt - r.createdAt) / 1000)),
})
const PAGE_VIEW_COLUMNS = ['id', 'visitorId', 'url', 'title', 'referrer', 'createdAt', 'leftAt'] as const

function pageOf(rows: PageViewRow[], limit: number): PageOf<PageViewDto> {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { items: page.map(presentPageView), nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null }
}

/** A visitor's page views, newest first. */
export async function listVisitorPageViews(ctx: Ctx, actor: Actor, visitorId: number, cursor: string | undefined, limit: number): Promise<PageOf<PageViewDto>> {
  if (!canWorkChats(actor)) throw forbidden("see visitors' page views")
  if (!(await ctx.db.selectFrom('chatVisitors').select('id').where('id', '=', visitorId).executeTakeFirst())) throw notFound('Visitor', visitorId)
  const after = decodeCursor(cursor, 1)
  let q = ctx.db.selectFrom('chatPageViews').select(PAGE_VIEW_COLUMNS).where('visitorId', '=', visitorId)
  if (after) q = q.where('id', '<', Number(after[0]))
  return pageOf(
    await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute(),
    limit,
  )
}

/**
 * A contact's page views, newest first: those recorded with the contact and those of every browser
 * (visitor) linked to them. Each source reads its own index; the two pages are merged.
 */
export async function listContactPageViews(ctx: Ctx, actor: Actor, contactId: number, cursor: string | undefined, limit: number): Promise<PageOf<PageViewDto>> {
  if (!canWorkChats(actor)) throw forbidden("see visitors' page views")
  if (!(await ctx.db.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst())) throw notFound('Contact', contactId)
  const after = decodeCursor(cursor, 1)
  const visitorIds = (await ctx.db.selectFrom('chatVisitors').select('id').where('contactId', '=', contactId).limit(1000).execute()).map((v) => v.id)
  let byContact = ctx.db.selectFrom('chatPageViews').select(PAGE_VIEW_COLUMNS).where('contactId', '=', contactId)
  if (after) byContact = byContact.where('id', '<', Number(after[0]))
  const sources = [
    byContact
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute(),
  ]
  for (const part of chunks(visitorIds)) {
    let byVisitor = ctx.db.selectFrom('chatPageViews').select(PAGE_VIEW_COLUMNS).where('visitorId', 'in', part)
    if (after) byVisitor = byVisitor.where('id', '<', Number(after[0]))
    sources.push(
      byVisitor
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute(),
    )
  }
  const merged = new Map<number, PageViewRow>()
  for (const rows of await Promise.all(sources)) for (const r of rows) merged.set(r.id, r)
  return pageOf(
    [...merged.values()].sort((a, b) => b.id - a.id),
    limit,
  )
}
