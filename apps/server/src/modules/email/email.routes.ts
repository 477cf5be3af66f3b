import { IdParams, InboundEmailDto, InboundEmailResult, Ok } from '@allhands/contract'
import { Type } from 'typebox'
import { watchCacheInvalidations } from '../../platform/cache.ts'
import { badRequest, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { canAdminister, canReplyToTicket } from '../../platform/policy.ts'
import { findInboxRow, findInboxSnapshot, readEmailSettings } from '../inboxes/inboxes.service.ts'
import { ingestRawEmail, listInboundEmails, processInboundEmail } from './email.inbound.service.ts'
import { transportFor } from './email.transport.ts'
import { imapClient } from './imap-fetcher.ts'
import { scheduleInboundRecovery } from './jobs/recover-inbound-email.ts'
import { sendEmailJob } from './jobs/send-email.ts'

const present = (r: Awaited<ReturnType<typeof listInboundEmails>>[number]): InboundEmailDto => ({
  id: r.id,
  inboxId: r.inboxId,
  status: (r.status === 'processing' ? 'received' : r.status) as InboundEmailDto['status'],
  receivedVia: r.receivedVia,
  disposition: r.disposition,
  headerMessageId: r.headerMessageId,
  fromAddress: r.fromAddress,
  subject: r.subject,
  size: r.size,
  ticketId: r.ticketId,
  error: r.error,
  createdAt: r.createdAt,
  processedAt: r.processedAt,
})

const ConnectionCheck = Type.Object({ ok: Type.Boolean(), error: Type.Union([Type.String(), Type.Null()]) })

export async function emailRoutes(app: App) {
  const ctx = app.ctx
  // Ingest reads inboxes, addresses and settings from per-app caches: hear other nodes' changes from the start.
  watchCacheInvalidations(ctx)
  // Mail interrupted by a crash between storing and routing is picked up again every minute; this starts the chain.
  app.addHook('onReady', async () => {
    await scheduleInboundRecovery(ctx.db)
  })
  app.addContentTypeParser(['message/rfc822', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: ctx.config.emailMaxBytes }, (_req, body, done) =>
    done(null, body),
  )

  app.post(
    '/inboxes/:id/inbound-email',
    { bodyLimit: ctx.config.emailMaxBytes, schema: { tags: ['email'], params: IdParams, consumes: ['message/rfc822'], response: { 202: InboundEmailResult } } },
    async (req, reply) => {
      if (!canAdminister(actorOf(req))) throw forbidden('deliver raw email (use an admin API token)')
      const inbox = await findInboxSnapshot(ctx, req.params.id)
      if (!inbox) throw notFound('Inbox', req.params.id)
      if (inbox.type !== 'email') throw unprocessable(`Inbox ${inbox.id} is not an email inbox`)
      if (!Buffer.isBuffer(req.body) || !req.body.length) throw badRequest('Send the raw message as the request body with Content-Type: message/rfc822')
      return reply.code(202).send(await ingestRawEmail(ctx, inbox.id, req.body, 'api'))
    },
  )

  app.get(
    '/inbound-emails',
    {
      schema: {
        tags: ['email'],
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(['received', 'processed', 'failed'])),
          disposition: Type.Optional(Type.String({ maxLength: 20 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(InboundEmailDto) }) },
      },
    },
    async (req) => {
      if (!canAdminister(actorOf(req))) throw forbidden('see the mail log')
      return { items: (await listInboundEmails(ctx.db, { ...req.query, limit: req.query.limit ?? 50 })).map(present) }
    },
  )

  app.post('/inbound-emails/:id/retry', { schema: { tags: ['email'], params: IdParams, response: { 200: InboundEmailResult } } }, async (req) => {
    if (!canAdminister(actorOf(req))) throw forbidden('retry failed mail')
    const row = await ctx.db.selectFrom('inboundEmails').select(['id', 'status']).where('id', '=', req.params.id).executeTakeFirst()
    if (!row) throw notFound('Inbound email', req.params.id)
    if (row.status !== 'failed') throw unprocessable('Only failed mail can be retried')
    return processInboundEmail(ctx, row.id)
  })

  app.get('/inbound-emails/:id/raw', { schema: { tags: ['email'], params: IdParams } }, async (req, reply) => {
    if (!canAdminister(actorOf(req))) throw forbidden('download raw mail')
    const row = await ctx.db.selectFrom('inboundEmails').select(['id', 'blobHash']).where('id', '=', req.params.id).executeTakeFirst()
    if (!row) throw notFound('Inbound email', req.params.id)
    reply
      .header('Content-Type', 'message/rfc822')
      .header('Content-Disposition', `attachment; filename="inbound-${row.id}.eml"`)
      .header('X-Content-Type-Options', 'nosniff')
    return reply.send(ctx.blobs.stream(row.blobHash))
  })

  app.post('/messages/:id/retry-delivery', { schema: { tags: ['email'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    const actor = actorOf(req)
    const message = await ctx.db
      .selectFrom('messages')
      .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
      .select(['messages.id', 'messages.deliveryStatus', 'tickets.teamId'])
      .where('messages.id', '=', req.params.id)
      .executeTakeFirst()
    if (!message) throw notFound('Message', req.params.id)
    if (!canReplyToTicket(actor, { teamId: message.teamId })) throw forbidden('resend replies on this ticket')
    if (message.deliveryStatus !== 'failed') throw unprocessable('Only a failed delivery can be retried')
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('messages').set({ deliveryStatus: 'queued', deliveryError: null }).where('id', '=', message.id).execute()
      await enqueueJob(trx, sendEmailJob, { messageId: message.id }, { idempotencyKey: `send-email:${message.id}:${Date.now()}` })
    })
    return { ok: true }
  })

  app.post(
    '/inboxes/:id/test-connection',
    {
      schema: {
        tags: ['email'],
        params: IdParams,
        response: { 200: Type.Object({ smtp: ConnectionCheck, imap: Type.Union([ConnectionCheck, Type.Null()]) }) },
      },
    },
    async (req) => {
      if (!canAdminister(actorOf(req))) throw forbidden('test inbox connections')
      const inbox = await findInboxRow(ctx.db, req.params.id)
      if (!inbox) throw notFound('Inbox', req.params.id)
      const settings = readEmailSettings(inbox)
      if (!settings) throw unprocessable(`Inbox ${inbox.id} is not an email inbox`)
      const explain = (err: unknown) => (err instanceof Error ? err.message : String(err))
      let smtp: { ok: boolean; error: string | null }
      try {
        await (await transportFor(settings, ctx.config)).verify()
        smtp = { ok: true, error: null }
      } catch (err) {
        smtp = { ok: false, error: explain(err) }
      }
      let imap: { ok: boolean; error: string | null } | null = null
      if (settings.imap) {
        const client = await imapClient(settings.imap)
        try {
          await client.connect()
          await client.mailboxOpen(settings.imap.folder, { readOnly: true })
          imap = { ok: true, error: null }
        } catch (err) {
          imap = { ok: false, error: explain(err) }
        } finally {
          await client.logout().catch(() => {})
        }
      }
      return { smtp, imap }
    },
  )
}
