import type { StoredBlob } from './blobs.ts'
import { now } from './clock.ts'
import type { Ctx, Executor } from './context.ts'

/**
 * The `blobs` table rows behind the content-addressed blob store: one row per stored byte string, shared by every
 * record that holds the same bytes (attachments, raw inbound mail, import uploads, export parts, KB files).
 */

/** Records stored bytes, with their content when they are kept in the row (idempotent: the same bytes share one row). */
export async function recordBlob(db: Executor, blob: StoredBlob): Promise<void> {
  await blobRowInsert(db, blob).execute()
}

/** recordBlob's statement, not run: for a caller that makes it part of a larger one (a data-modifying CTE). */
export function blobRowInsert(db: Executor, blob: StoredBlob) {
  return db
    .insertInto('blobs')
    .values({ hash: blob.hash, size: blob.size, createdAt: now(), content: blob.content })
    .onConflict((oc) => oc.column('hash').doNothing())
}

/** Whether any record still refers to these bytes. Every table with a `blobHash` column belongs here. */
async function isBlobReferenced(db: Executor, hash: string): Promise<boolean> {
  const refs = await Promise.all([
    db.selectFrom('attachments').select('id').where('blobHash', '=', hash).limit(1).executeTakeFirst(),
    db.selectFrom('inboundEmails').select('id').where('blobHash', '=', hash).limit(1).executeTakeFirst(),
    db.selectFrom('imports').select('id').where('blobHash', '=', hash).limit(1).executeTakeFirst(),
    db.selectFrom('kbArticleFiles').select('id').where('blobHash', '=', hash).limit(1).executeTakeFirst(),
    db
      .selectFrom('exportParts')
      .select('exportId')
      .where('blobHash', '=', hash)
      .where('exportId', 'in', db.selectFrom('exports').select('id').where('status', '!=', 'deleted'))
      .limit(1)
      .executeTakeFirst(),
  ])
  return refs.some(Boolean)
}

/** Removes the bytes and their row once nothing refers to them any more. True when they were removed. */
export async function deleteBlobIfUnreferenced(ctx: Ctx, hash: string): Promise<boolean> {
  if (await isBlobReferenced(ctx.db, hash)) return false
  await ctx.db.deleteFrom('blobs').where('hash', '=', hash).execute()
  await ctx.blobs.delete(hash)
  return true
}
