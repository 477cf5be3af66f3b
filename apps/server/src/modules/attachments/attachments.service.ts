import type { AttachmentDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { canUploadAttachment, canViewTicket } from '../../platform/policy.ts'

/** Stores uploaded bytes as an unlinked attachment; a message claims it when sent. */
export async function storeAttachment(
  ctx: Ctx,
  db: Executor,
  uploaderId: number | null,
  file: { filename: string; contentType: string; bytes: Buffer },
): Promise<AttachmentDto> {
  const { hash, size } = await ctx.blobs.put(file.bytes)
  const t = now()
  await db
    .insertInto('blobs')
    .values({ hash, size, createdAt: t })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute()
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

/** The attachment, if the actor may see the ticket it belongs to (or uploaded it and has not sent it yet). */
export async function getAttachmentForDownload(ctx: Ctx, actor: Actor, id: number) {
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
  if (!a) throw notFound('Attachment', id)
  const allowed = a.messageId === null ? a.uploadedById === actor.id : canViewTicket(actor, { teamId: a.teamId ?? null })
  if (!allowed) throw forbidden('download this file')
  return a
}
