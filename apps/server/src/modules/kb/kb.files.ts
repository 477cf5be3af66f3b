import type { KbArticleFileDto, KbFileKind } from '@allhands/contract'
import type { Selectable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { deleteBlobIfUnreferenced, recordBlob } from '../../platform/blob-rows.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { escapeHtml as e } from '../../platform/sanitize.ts'
import { canEditKbArticle, canReadKb } from './kb.policy.ts'
import { findArticleRow } from './kb.queries.ts'

type FileRow = Selectable<DB['kbArticleFiles']>

/** Inline images are capped lower than attachments: they load with the page. */
export const KB_IMAGE_LIMIT = 5 * 1024 * 1024
export const KB_FILES_PER_ARTICLE = 100

/**
 * The raster types an article may show inline, recognised by their first bytes (the browser's claimed type is not
 * trusted). SVG is refused as an image: it can carry script; upload it as an attachment, which is always downloaded.
 */
export function sniffImageType(bytes: Buffer): string | null {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1')
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif'
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  return null
}

/** The decorative last part of a file's public address (the id finds the file). */
const urlName = (filename: string) =>
  filename
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, 100) || 'file'
export const kbFileUrl = (f: { id: number; filename: string }) => `/help/files/${f.id}/${urlName(f.filename)}`

const present = (f: FileRow): KbArticleFileDto => ({
  id: f.id,
  articleId: f.articleId,
  kind: f.kind as KbFileKind,
  filename: f.filename,
  contentType: f.contentType,
  size: f.size,
  url: kbFileUrl(f),
  createdAt: Number(f.createdAt),
})

async function getLiveArticle(db: Executor, id: number) {
  const a = await findArticleRow(db, id)
  if (!a || a.deletedAt !== null) throw notFound('Article', id)
  return a
}

export async function listArticleFiles(ctx: Ctx, actor: Actor, articleId: number): Promise<{ items: KbArticleFileDto[] }> {
  if (!canReadKb(actor)) throw forbidden('read the knowledge base')
  await getLiveArticle(ctx.db, articleId)
  const rows = await ctx.db.selectFrom('kbArticleFiles').selectAll().where('articleId', '=', articleId).orderBy('id').limit(KB_FILES_PER_ARTICLE).execute()
  return { items: rows.map(present) }
}

/**
 * Stores an uploaded image or attachment of an article (whoever may edit the article). Images must really be PNG,
 * JPEG, GIF or WebP; the size caps are checked by the route while reading (413).
 */
export async function uploadArticleFile(
  ctx: Ctx,
  actor: Actor,
  articleId: number,
  kind: KbFileKind,
  file: { filename: string; contentType: string; bytes: Buffer },
): Promise<KbArticleFileDto> {
  const article = await getLiveArticle(ctx.db, articleId)
  if (!canEditKbArticle(actor, article)) throw forbidden('add files to this article', 'only whoever may edit it')
  let contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType) ? file.contentType.toLowerCase() : 'application/octet-stream'
  if (kind === 'image') {
    const sniffed = sniffImageType(file.bytes)
    if (!sniffed) throw unprocessable('Only PNG, JPEG, GIF and WebP images can be shown in an article (upload other files, SVG included, as attachments)')
    contentType = sniffed
  }
  const count = await ctx.db
    .selectFrom('kbArticleFiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('articleId', '=', articleId)
    .executeTakeFirstOrThrow()
  if (Number(count.n) >= KB_FILES_PER_ARTICLE) throw conflict(`An article holds at most ${KB_FILES_PER_ARTICLE} files; delete some first`)
  const blob = await ctx.blobs.put(file.bytes)
  const { hash, size } = blob
  const t = now()
  const row = await ctx.db.transaction().execute(async (trx) => {
    await recordBlob(trx, blob)
    return trx
      .insertInto('kbArticleFiles')
      .values({
        articleId,
        kind,
        blobHash: hash,
        filename: file.filename.replace(/[\\/\r\n\0]/g, '_').slice(0, 255) || 'file',
        contentType,
        size,
        uploadedById: actor.id,
        createdAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return present(row)
}

export async function deleteArticleFile(ctx: Ctx, actor: Actor, articleId: number, fileId: number): Promise<void> {
  const article = await getLiveArticle(ctx.db, articleId)
  if (!canEditKbArticle(actor, article)) throw forbidden('remove files from this article', 'only whoever may edit it')
  const file = await ctx.db.selectFrom('kbArticleFiles').selectAll().where('id', '=', fileId).where('articleId', '=', articleId).executeTakeFirst()
  if (!file) throw notFound('File', fileId)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('kbArticleFiles').where('id', '=', fileId).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'kb.article_file_deleted',
      targetType: 'kb_article',
      targetId: articleId,
      data: { fileId, filename: file.filename },
    })
  })
  await deleteBlobIfUnreferenced(ctx, file.blobHash)
}

/** A deleted article takes its files along (called after the article's deletion is committed). */
export async function removeArticleFiles(ctx: Ctx, articleId: number): Promise<void> {
  const files = await ctx.db.deleteFrom('kbArticleFiles').where('articleId', '=', articleId).returning('blobHash').execute()
  for (const hash of new Set(files.map((f) => f.blobHash))) await deleteBlobIfUnreferenced(ctx, hash)
}

/**
 * A file as the help center serves it: anyone may fetch it while its article is published and public; signed-in
 * people (who read internal articles and drafts in the app) may fetch any live article's file. Anything else is
 * "not found", so a file's existence says nothing about unpublished articles.
 */
export async function getServableFile(ctx: Ctx, actor: Actor | null, fileId: number): Promise<FileRow> {
  const file = await ctx.db.selectFrom('kbArticleFiles').selectAll().where('id', '=', fileId).executeTakeFirst()
  const article = file ? await findArticleRow(ctx.db, file.articleId) : undefined
  if (!file || !article || article.deletedAt !== null) throw notFound('File', fileId)
  const isPublic = article.status === 'published' && article.visibility === 'public'
  if (!isPublic && !(actor && canReadKb(actor))) throw notFound('File', fileId)
  return file
}

/** How a served file is labelled: images by their checked type, inline; everything else as a download that cannot be sniffed into a page. */
export function servedHeaders(f: Pick<FileRow, 'kind' | 'contentType' | 'filename'>): Record<string, string> {
  const image = f.kind === 'image'
  const type = image || !/html|xml|svg|javascript|ecmascript/i.test(f.contentType) ? f.contentType : 'application/octet-stream'
  return {
    'content-type': type,
    'content-disposition': `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
  }
}

const FILE_IMG = /<img\b[^>]*?\ssrc="\/help\/files\/(\d+)\/[^"]*"[^>]*>/g

/**
 * An article body for the help center: images whose file was deleted become their alt text (no broken image), and
 * the article's attachments are listed after it.
 */
export async function publicBodyWithFiles(db: Executor, article: { id: number; bodyHtml: string }): Promise<string> {
  const files = await db.selectFrom('kbArticleFiles').select(['id', 'kind', 'filename', 'size']).where('articleId', '=', article.id).orderBy('id').execute()
  const ids = new Set(files.map((f) => f.id))
  const body = article.bodyHtml.replace(FILE_IMG, (tag, id: string) => {
    if (ids.has(Number(id))) return tag
    const alt = /\salt="([^"]*)"/.exec(tag)?.[1]
    return alt ? `<span class="muted">[${alt}]</span>` : ''
  })
  const attachments = files.filter((f) => f.kind === 'attachment')
  if (!attachments.length) return body
  const kb = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)
  return `${body}<section class="attachments" aria-labelledby="kb-files"><h2 id="kb-files">Attachments</h2><ul class="list">${attachments
    .map((f) => `<li><a href="${e(kbFileUrl(f))}" download>${e(f.filename)}</a> <span class="muted">(${kb(f.size)})</span></li>`)
    .join('')}</ul></section>`
}
