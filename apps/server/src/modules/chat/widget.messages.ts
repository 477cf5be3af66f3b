import type { WidgetMessage } from '@allhands/contract'
import type { Ctx, Executor } from '../../platform/context.ts'
import { signInlineFileLinks } from '../attachments/attachments.service.ts'
import { workspaceSecret } from '../settings/settings.service.ts'

/** What a visitor sees of their chat ticket: their own messages and the agents' sent replies (never notes, whispers or events). */
export const VISITOR_VISIBLE_KINDS = ['customer', 'reply'] as const

/**
 * An absolute, signed and expiring download link: the widget runs on another site, without our session cookie,
 * so the signature of the inline-image links (see attachments.service) stands in for a session.
 */
export function signedFileUrl(publicUrl: string, secret: string, attachmentId: number): string {
  const signed = signInlineFileLinks(`"/api/v1/attachments/${attachmentId}"`, secret)
  return publicUrl + signed.slice(1, -1).replace(/&amp;/g, '&')
}

/** Messages by id as the widget shows them (ids the visitor may not see are skipped), oldest first. */
export async function presentWidgetMessages(ctx: Ctx, db: Executor, ids: number[]): Promise<WidgetMessage[]> {
  if (!ids.length) return []
  // Both at once (the attachments by the ids asked for): on PostgreSQL one round trip instead of two before a chat
  // message goes out.
  const [rows, files] = await Promise.all([
    db
      .selectFrom('messages as m')
      .leftJoin('users as u', 'u.id', 'm.authorUserId')
      .leftJoin('contacts as c', 'c.id', 'm.authorContactId')
      .leftJoin('chatClientMessages as cm', 'cm.messageId', 'm.id')
      .select(['m.id', 'm.kind', 'm.text', 'm.createdAt', 'u.name as userName', 'c.name as contactName', 'cm.clientId'])
      .where('m.id', 'in', ids)
      .where('m.kind', 'in', VISITOR_VISIBLE_KINDS)
      .orderBy('m.id')
      .execute(),
    db.selectFrom('attachments').select(['id', 'messageId', 'filename', 'contentType', 'size']).where('messageId', 'in', ids).orderBy('id').execute(),
  ])
  if (!rows.length) return []
  const secret = files.length ? await workspaceSecret(db, 'fileLinkSecret') : ''
  return rows.map((r) => ({
    id: r.id,
    clientId: r.clientId ?? null,
    author:
      r.kind === 'customer'
        ? { kind: 'visitor' as const, name: r.contactName ?? 'You', avatarUrl: null }
        : { kind: 'agent' as const, name: r.userName ?? 'Support', avatarUrl: null },
    text: r.text,
    attachments: files
      .filter((f) => f.messageId === r.id)
      .map((f) => ({ id: f.id, filename: f.filename, size: f.size, contentType: f.contentType, url: signedFileUrl(ctx.config.publicUrl, secret, f.id) })),
    createdAt: r.createdAt,
  }))
}

/** The visitor-visible messages of a chat ticket: the newest `limit` (oldest first), or those after an id. */
export async function listWidgetMessages(ctx: Ctx, ticketId: number, opts: { after?: number; limit: number }): Promise<WidgetMessage[]> {
  let q = ctx.db.selectFrom('messages').select('id').where('ticketId', '=', ticketId).where('kind', 'in', VISITOR_VISIBLE_KINDS)
  q = opts.after !== undefined ? q.where('id', '>', opts.after).orderBy('id', 'asc') : q.orderBy('id', 'desc')
  const ids = (await q.limit(opts.limit).execute()).map((r) => r.id)
  return presentWidgetMessages(ctx, ctx.db, ids)
}
