import type { VisitorServerMessage } from '@allhands/contract'
import type { FastifyBaseLogger } from 'fastify'
import { Type } from 'typebox'
import type WebSocket from 'ws'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { agentsAvailableFor } from '../chat-desk/availability.ts'
import { latestConversationOf, widgetConversation } from './chat.conversations.ts'
import { afterVisitorMessage, oneAtATime, receiveVisitorMessage } from './chat.messages.service.ts'
import { forgetVisitorTyping, markVisitorRead, publishChatChanged, reportVisitorTyping } from './chat.receipts.ts'
import { cachedChatSettings, isOriginAllowed } from './chat.settings.ts'
import { findVisitorByToken, touchVisitor, type VisitorRow } from './chat.visitors.ts'
import type { LiveVisitorState, VisitorConnection } from './visitor-hub.ts'
import { listWidgetMessages } from './widget.messages.ts'

/** Close codes the widget understands: 4000–4999 = start a new session; 1008 = refused by policy (origin). */
export const CLOSE = { unknownToken: 4001, inboxGone: 4004, origin: 1008, malformed: 1007, tooManyTabs: 1013 } as const

const SYNC_LIMIT = 500
const LIMITS = { frames: 120, page: 30, message: 30 } as const
const WINDOW_MS = 60_000

const cap = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '')
const isHttpUrl = (v: string) => /^https?:\/\//i.test(v)

/** A fixed-window counter: `take()` is false once the window's budget is spent. */
class Budget {
  private start = 0
  private used = 0
  constructor(private readonly max: number) {}
  take(): boolean {
    const t = Date.now()
    if (t - this.start >= WINDOW_MS) {
      this.start = t
      this.used = 0
    }
    return ++this.used <= this.max
  }
}

/** GET /api/v1/widget/ws?token=…: the visitor's socket (protocol in packages/contract/src/chat-widget.ts). */
export function widgetSocketRoute(app: App) {
  const ctx = app.ctx
  app.get(
    '/widget/ws',
    {
      websocket: true,
      // The token travels in the URL (browsers cannot set headers on a socket): keep the URL out of request logs.
      logLevel: 'warn',
      config: { public: true },
      schema: { hide: true, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    (ws: WebSocket, req) => {
      const log = req.log
      const token = (req.query as { token?: string }).token
      const send = (m: VisitorServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
      }
      const connection: VisitorConnection = { send }
      let frames: Promise<unknown> = Promise.resolve()
      const budgets = { frames: new Budget(LIMITS.frames), page: new Budget(LIMITS.page), message: new Budget(LIMITS.message) }

      const ready: Promise<VisitorRow | null> = (async () => {
        const found = await findVisitorByToken(ctx.db, token)
        if (!found) {
          ws.close(CLOSE.unknownToken, 'unknown or expired visitor token')
          return null
        }
        let settings: Awaited<ReturnType<typeof cachedChatSettings>>
        try {
          settings = await cachedChatSettings(ctx, found.inboxId)
        } catch {
          ws.close(CLOSE.inboxGone, 'this chat is no longer available')
          return null
        }
        if (!isOriginAllowed(settings, req.headers.origin)) {
          ws.close(CLOSE.origin, 'origin not allowed')
          return null
        }
        if (ws.readyState !== ws.OPEN) return null
        const wasOnline = ctx.visitors.isOnline(found.id)
        if (!ctx.visitors.connect(found.id, found.inboxId, connection)) {
          ws.close(CLOSE.tooManyTabs, 'too many open chat windows')
          return null
        }
        const visitor = await touchVisitor(ctx.db, found)
        const conversation = await latestConversationOf(ctx.db, visitor.id)
        send({
          type: 'ready',
          online: await agentsAvailableFor(ctx.db, visitor.inboxId),
          conversation: conversation ? await widgetConversation(ctx.db, conversation) : null,
        })
        if (!wasOnline && conversation && conversation.status !== 'ended') await publishChatChanged(ctx, conversation.ticketId)
        return visitor
      })().catch((err) => {
        log.warn({ err }, 'widget socket setup failed')
        ws.close(1011, 'server error')
        return null
      })

      ws.on('message', (raw: Buffer, isBinary: boolean) => {
        frames = frames.then(async () => {
          const visitor = await ready
          if (!visitor) return
          if (!budgets.frames.take()) return send({ type: 'error', message: 'Too many messages: slow down' })
          let msg: Record<string, unknown>
          try {
            if (isBinary) throw new Error('binary')
            msg = JSON.parse(raw.toString('utf8'))
            if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error('not an object')
          } catch {
            // Our widget only sends JSON objects: anything else is a broken or hostile client, and only its socket goes.
            send({ type: 'error', message: 'messages must be JSON objects' })
            ws.close(CLOSE.malformed, 'malformed frame')
            return
          }
          try {
            await handle(visitor, msg)
          } catch (err) {
            if (err instanceof AppError) return send({ type: 'error', message: err.message, ...clientIdOf(msg) })
            log.warn({ err, visitorId: visitor.id }, 'widget socket message failed')
            send({ type: 'error', message: 'Something went wrong on our side. Please try again.', ...clientIdOf(msg) })
          }
        })
      })

      ws.on('close', () => {
        const closedAt = now()
        void ready
          .then(async (visitor) => {
            if (!visitor) return
            // Shutting down: visitors reconnect to the next process; nothing to record.
            if (ctx.visitors.closing) return
            ctx.visitors.disconnect(visitor.id, connection, (state) => {
              forgetVisitorTyping(ctx, visitor.id)
              leave(ctx, visitor.id, state).catch((err) => log.warn({ err, visitorId: visitor.id }, 'closing a visitor’s page view failed'))
            })
            await ctx.db.updateTable('chatVisitors').set({ lastSeenAt: closedAt }).where('id', '=', visitor.id).where('lastSeenAt', '<', closedAt).execute()
          })
          .catch((err) => log.warn({ err }, 'widget socket close failed'))
      })

      async function handle(visitor: VisitorRow, msg: Record<string, unknown>): Promise<void> {
        switch (msg.type) {
          case 'ping':
            return send({ type: 'pong' })
          case 'page': {
            if (!budgets.page.take()) return send({ type: 'error', message: 'Too many page views: slow down' })
            const url = cap(msg.url, 2000)
            if (!isHttpUrl(url)) return send({ type: 'error', message: 'page.url must be an http(s) URL' })
            const referrer = cap(msg.referrer, 2000)
            await recordPage(ctx, visitor, {
              url,
              title: cap(msg.title, 300),
              referrer: isHttpUrl(referrer) ? referrer : '',
              timezone: cap(msg.timezone, 64),
              language: cap(msg.language, 35),
            })
            return
          }
          case 'message': {
            const clientId = typeof msg.clientId === 'string' ? msg.clientId : ''
            if (!budgets.message.take()) return send({ type: 'error', message: 'You are sending messages too fast. Wait a moment.', clientId })
            if (typeof msg.text !== 'string' || !clientId) return send({ type: 'error', message: 'message needs clientId and text', ...clientIdOf(msg) })
            const fields = msg.fields && typeof msg.fields === 'object' && !Array.isArray(msg.fields) ? (msg.fields as Record<string, unknown>) : undefined
            const stored = await oneAtATime(ctx, visitor.id, () => receiveVisitorMessage(ctx, visitor.id, { clientId, text: msg.text as string, fields }))
            send({ type: 'ack', clientId, messageId: stored.message.id, createdAt: stored.message.createdAt })
            if (!stored.duplicate) ctx.visitors.send(visitor.id, { type: 'message', message: stored.message }, connection)
            await afterVisitorMessage(ctx, stored)
            return
          }
          case 'typing':
            if (typeof msg.typing !== 'boolean') return send({ type: 'error', message: 'typing must be true or false' })
            reportVisitorTyping(ctx, visitor.id, msg.typing, (err) => log.warn({ err }, 'announcing visitor typing failed'))
            return
          case 'read':
            if (!Number.isSafeInteger(msg.upTo) || (msg.upTo as number) < 1) return send({ type: 'error', message: 'read.upTo must be a message id' })
            await markVisitorRead(ctx, visitor.id, msg.upTo as number)
            return
          case 'sync': {
            if (!Number.isSafeInteger(msg.after) || (msg.after as number) < 0) return send({ type: 'error', message: 'sync.after must be a message id or 0' })
            const conversation = await latestConversationOf(ctx.db, visitor.id)
            if (!conversation) return
            for (const message of await listWidgetMessages(ctx, conversation.ticketId, { after: msg.after as number, limit: SYNC_LIMIT }))
              send({ type: 'message', message })
            return
          }
          case 'invite': {
            if (!Number.isSafeInteger(msg.inviteId) || (msg.action !== 'accept' && msg.action !== 'dismiss'))
              return send({ type: 'error', message: 'invite needs inviteId and action accept or dismiss' })
            const res = await ctx.db
              .updateTable('chatInvites')
              .set({ status: msg.action === 'accept' ? 'accepted' : 'dismissed', answeredAt: now() })
              .where('id', '=', msg.inviteId as number)
              .where('visitorId', '=', visitor.id)
              .where('status', '=', 'sent')
              .executeTakeFirst()
            if (!Number(res.numUpdatedRows)) return send({ type: 'error', message: 'This invitation is not open any more' })
            ctx.visitors.touch(visitor.id)
            return
          }
          default:
            return send({ type: 'error', message: `unknown message type ${typeof msg.type === 'string' ? msg.type.slice(0, 40) : ''}`.trim() })
        }
      }
    },
  )
}

const clientIdOf = (msg: Record<string, unknown>) => (typeof msg.clientId === 'string' && msg.clientId ? { clientId: msg.clientId.slice(0, 100) } : {})

/**
 * A page the visitor is on now: the previous page view gets its left_at, a new one is recorded (with the contact
 * when known), and the live list learns where they are.
 */
async function recordPage(
  ctx: Ctx,
  visitor: VisitorRow,
  page: { url: string; title: string; referrer: string; timezone: string; language: string },
): Promise<void> {
  const t = now()
  const previous = ctx.visitors.get(visitor.id)
  const { pageViewId, current, pagesThisVisit } = await ctx.db.transaction().execute(async (trx) => {
    if (previous?.pageViewId)
      await trx.updateTable('chatPageViews').set({ leftAt: t }).where('id', '=', previous.pageViewId).where('leftAt', 'is', null).execute()
    const current = await trx.selectFrom('chatVisitors').select(['contactId', 'visitStartedAt']).where('id', '=', visitor.id).executeTakeFirstOrThrow()
    const row = await trx
      .insertInto('chatPageViews')
      .values({ visitorId: visitor.id, contactId: current.contactId, url: page.url, title: page.title, referrer: page.referrer, createdAt: t, leftAt: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('chatVisitors')
      .set({ lastSeenAt: t, ...(page.timezone ? { timezone: page.timezone } : {}), ...(page.language ? { language: page.language } : {}) })
      .where('id', '=', visitor.id)
      .execute()
    const count = await trx
      .selectFrom('chatPageViews')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('visitorId', '=', visitor.id)
      .where('createdAt', '>=', current.visitStartedAt)
      .executeTakeFirstOrThrow()
    return { pageViewId: row.id, current, pagesThisVisit: Number(count.n) }
  })
  // The socket may have closed while the page was being written: a visitor who has gone stays gone.
  if (!ctx.visitors.isOnline(visitor.id)) {
    await ctx.db.updateTable('chatPageViews').set({ leftAt: now() }).where('id', '=', pageViewId).where('leftAt', 'is', null).execute()
    return
  }
  const state: LiveVisitorState = {
    visitorId: visitor.id,
    inboxId: visitor.inboxId,
    page: { url: page.url, title: page.title },
    referrer: page.referrer,
    onSiteSince: current.visitStartedAt,
    onPageSince: t,
    pagesThisVisit,
    timezone: page.timezone || previous?.timezone || visitor.timezone,
    language: page.language || previous?.language || visitor.language,
    pageViewId,
  }
  ctx.visitors.update(state)
}

/** The visitor's last socket closed and the grace period passed: the page view ends, agents see them go. */
async function leave(ctx: Ctx, visitorId: number, state: LiveVisitorState): Promise<void> {
  const t = now()
  if (state.pageViewId) await ctx.db.updateTable('chatPageViews').set({ leftAt: t }).where('id', '=', state.pageViewId).where('leftAt', 'is', null).execute()
  const conversation = await latestConversationOf(ctx.db, visitorId)
  if (conversation && conversation.status !== 'ended') await publishChatChanged(ctx, conversation.ticketId)
}

/** Tells connected visitors when someone becomes available or nobody is any more (per inbox, only on a change). */
export function availabilityNotifier(ctx: Ctx, log: FastifyBaseLogger) {
  const lastSent = new Map<number, boolean>()
  let timer: NodeJS.Timeout | null = null
  const run = async () => {
    timer = null
    for (const [inboxId, visitorIds] of ctx.visitors.connectedByInbox()) {
      const online = await agentsAvailableFor(ctx.db, inboxId)
      if (lastSent.get(inboxId) === online) continue
      lastSent.set(inboxId, online)
      // Every node runs this for its own visitors (chat.availability reaches each node).
      for (const visitorId of visitorIds) ctx.visitors.sendOnThisNode(visitorId, { type: 'online', online })
    }
  }
  return {
    /** Availability may have changed: check once shortly (a burst of status changes costs one check per inbox). */
    changed(): void {
      if (timer) return
      timer = setTimeout(() => run().catch((err) => log.warn({ err }, 'widget availability update failed')), 200)
      timer.unref()
    },
    stop(): void {
      if (timer) clearTimeout(timer)
    },
  }
}
