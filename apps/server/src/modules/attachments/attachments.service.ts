import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AttachmentDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordBlob } from '../../platform/blob-rows.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden, notFound, unauthenticated } from '../../platform/errors.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { canUploadAttachment, canViewTicket } from '../../platform/policy.ts'

/** Stores uploaded bytes as an unlinked attachment; a message claims it when sent. */
export async function storeAttachment(
  ctx: Ctx,
  db: Executor,
  uploaderId: number | null,
  file: { filename: string; contentType: string; bytes: Buffer },
): Promise<AttachmentDto> {
  const blob = await ctx.blobs.put(file.bytes)
  const { hash, size } = blob
  const t = now()
  await recordBlob(db, blob)
  const filename = file.filename.replace(/[\\/\r\n\0]/g, '_').slice(0, 255) || 'file'
  const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType) ? file.contentType.toLowerCase() : 'application/octet-stream'
  const row = await db
    .insertInto('attachments')
    .values({ messageId: null, blobHash: hash, filename, contentType, size, uploadedById: uploaderId, createdAt: t })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, filename, contentType, size, url: `/api/v1/attachments/${row.id}` }
}

export async function uploadAttachment(ctx: Ctx, actor: Actor, file: { filename: string; contentType: string; bytes: Buffer }): Promise<AttachmentDto> {
  if (!canUploadAttachment(actor)) throw forbidden('upload files')
  return storeAttachment(ctx, ctx.db, actor.id, file)
}

/** The attachment, if the actor may see the ticket it belongs to (or uploaded it and has not sent it yet); a signed link stands in for the actor. */
export async function getAttachmentForDownload(ctx: Ctx, actor: Actor | null, id: number, link: { expires?: number; sig?: string } = {}) {
  const a = await ctx.db
    .selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.messageId')
    .leftJoin('tickets', 'tickets.id', 'messages.ticketId')
    .select([
      'attachments.id',
      'attachments.blobHash',
      'attachments.filename',
      'attachments.contentType',
      'attachments.size',
      'attachments.uploadedById',
      'attachments.messageId',
      'tickets.teamId',
    ])
    .where('attachments.id', '=', id)
    .executeTakeFirst()
  if (!actor) {
    if (a && a.messageId !== null && isValidFileLink(await workspaceSecret(ctx.db, 'fileLinkSecret'), id, link.expires, link.sig)) return a
    throw unauthenticated()
  }
  if (!a) throw notFound('Attachment', id)
  const allowed = a.messageId === null ? a.uploadedById === actor.id : canViewTicket(actor, { teamId: a.teamId ?? null })
  if (!allowed) throw forbidden('download this file')
  return a
}

const HOUR = 3600_000

const fileLinkSignature = (secret: string, id: number, expires: number) =>
  createHmac('sha256', secret).update(`file:${id}:${expires}`).digest('base64url').slice(0, 22)

/**
 * Inline images in a message are shown in a sandboxed frame, which sends no cookies: their links carry a
 * signature instead, valid for one to two hours (rounded, so the same HTML is served within the hour).
 */
export function signInlineFileLinks(html: string, secret: string, at = now()): string {
  const expires = Math.ceil(at / HOUR) * HOUR + HOUR
  return html.replace(
    /(["'])\/api\/v1\/attachments\/(\d+)\1/g,
    (_m, quote: string, id: string) => `${quote}/api/v1/attachments/${id}?expires=${expires}&amp;sig=${fileLinkSignature(secret, Number(id), expires)}${quote}`,
  )
}

export function isValidFileLink(secret: string, id: number, expires: number | undefined, sig: string | undefined, at = now()): boolean {
  if (!expires || !sig || expires < at) return false
  const expected = Buffer.from(fileLinkSignature(secret, id, expires))
  const given = Buffer.from(sig)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
