import { escapeHtml, htmlToText, sanitizeRichText } from '../../platform/sanitize.ts'
import { type Classification, type ClassifyOptions, classifyEmail } from './classify.ts'
import { type MailSummary, parseInboundMail } from './email.parse.ts'
import { trimReply } from './reply-trim.ts'
import { expandTnefAttachments } from './tnef.ts'

/** Longest visible and full text kept of a message; the raw message is always kept whole. */
export const MAX_TEXT = 200_000

export interface DigestOptions extends ClassifyOptions {
  /** Attachments larger than this are not kept (a note says so). */
  attachmentLimit: number
}

export interface DigestAttachment {
  filename: string
  contentType: string
  content: Uint8Array
  /** The `cid:` it is referred to by in the HTML, without angle brackets. */
  contentId: string | null
}

/**
 * Everything routing needs from raw message bytes, computed without the database: the headers, the classification,
 * the attachments to keep (TNEF unpacked, the over-sized left out), and what agents will see. Plain data, so it can
 * cross from a parser thread (mail-digest-pool.ts).
 */
export interface MailDigest extends MailSummary {
  /** The message's HTML as sent (unsanitized; '' when none). */
  html: string
  classification: Classification
  attachments: DigestAttachment[]
  /**
   * `html`: sanitized, inline images still as `cid:` (withStoredImages points them at the stored attachments);
   * `text`: the visible reply, quoted history and signature trimmed; `notes`: what was cut or left out.
   */
  content: { html: string; text: string; fullText: string; notes: string[] }
}

/** Parses, classifies and prepares one message. Throws on input mailparser cannot read at all. */
export async function digestMail(raw: Buffer, opts: DigestOptions): Promise<MailDigest> {
  const { parsed, ...summary } = await parseInboundMail(raw)
  const notes: string[] = []
  const attachments: DigestAttachment[] = []
  for (const a of expandTnefAttachments(parsed.attachments ?? [])) {
    const filename = a.filename || `attachment-${attachments.length + 1}`
    if (a.size > opts.attachmentLimit) {
      notes.push(
        `${filename} (${Math.round(a.size / 1024)} KB) was over the ${Math.round(opts.attachmentLimit / 1024 / 1024)} MB attachment limit and was not kept`,
      )
      continue
    }
    attachments.push({
      filename,
      contentType: a.contentType || 'application/octet-stream',
      content: a.content,
      contentId: a.contentId?.replace(/[<>]/g, '') || null,
    })
  }
  const rawHtml = typeof parsed.html === 'string' ? parsed.html : ''
  let fullText = summary.text.trim() || (rawHtml ? htmlToText(rawHtml) : '')
  if (fullText.length > MAX_TEXT) {
    fullText = fullText.slice(0, MAX_TEXT)
    notes.push(`The text was longer than ${MAX_TEXT.toLocaleString('en')} characters and was cut; the original message is kept`)
  }
  const html = rawHtml
    ? sanitizeRichText(rawHtml.length > MAX_TEXT * 5 ? rawHtml.slice(0, MAX_TEXT * 5) : rawHtml)
    : fullText
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
        .join('')
  const visible = trimReply(fullText, rawHtml ? { html: rawHtml } : {}).visible.trim() || fullText
  return {
    ...summary,
    html: rawHtml,
    classification: classifyEmail(parsed, opts),
    attachments,
    content: { html, text: visible, fullText, notes },
  }
}

/** Points a digest's sanitized HTML at the stored inline images (`cid:` → the attachment's URL). */
export const withStoredImages = (html: string, urls: ReadonlyMap<string, string>) =>
  urls.size === 0 ? html : html.replace(/cid:([^"'\s)>]+)/gi, (m, cid: string) => urls.get(cid.replace(/&amp;/g, '&')) ?? m)
