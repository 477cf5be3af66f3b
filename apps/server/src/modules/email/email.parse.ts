import type { AddressObject, ParsedMail } from 'mailparser'
import { normalizeMessageId } from './email.addresses.ts'

/** What routing reads of a message's headers and text, with addresses flattened and ids normalized. */
export interface MailSummary {
  messageId: string | null
  inReplyTo: string[]
  references: string[]
  threadIndexRoot: string | null
  from: { address: string; name: string } | null
  replyTo: string | null
  to: string[]
  cc: string[]
  /** Envelope-ish recipients that some MTAs add (Delivered-To, X-Original-To). */
  deliveredTo: string[]
  subject: string
  date: number | null
  /** The plain-text body ('' when the message has none). */
  text: string
}

/** A parsed message: the summary and mailparser's whole result. */
export interface InboundMail extends MailSummary {
  parsed: ParsedMail
}

const list = (v: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : []).flatMap((a) => a.value).flatMap((a) => (a.group ? a.group : [a]))

const addresses = (v: AddressObject | AddressObject[] | undefined) =>
  list(v)
    .map((a) => a.address?.toLowerCase())
    .filter((a): a is string => !!a && a.includes('@'))

function headerStrings(parsed: ParsedMail, name: string): string[] {
  const lines = parsed.headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim())
  return lines
}

/** Outlook's Thread-Index: the first 22 bytes identify the conversation. */
function threadIndexRoot(value: string | undefined): string | null {
  if (!value) return null
  try {
    const bytes = Buffer.from(value.trim(), 'base64')
    return bytes.length >= 22 ? bytes.subarray(0, 22).toString('hex') : null
  } catch {
    return null
  }
}

/** Parses raw RFC 822 bytes. Throws on input mailparser cannot read at all. */
export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  // Loaded on first use: the mail stack is a fifth of the server's start-up time and not needed to serve the app.
  const { simpleParser } = await import('mailparser')
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 })
  const refs = parsed.references ? (Array.isArray(parsed.references) ? parsed.references : parsed.references.split(/\s+/)) : []
  const from = list(parsed.from)[0]
  const threadIndex = parsed.headers.get('thread-index')
  return {
    parsed,
    messageId: normalizeMessageId(parsed.messageId),
    inReplyTo: (parsed.inReplyTo ?? '')
      .split(/\s+/)
      .map(normalizeMessageId)
      .filter((x): x is string => !!x),
    references: refs.map(normalizeMessageId).filter((x): x is string => !!x),
    threadIndexRoot: threadIndexRoot(typeof threadIndex === 'string' ? threadIndex : undefined),
    from: from?.address ? { address: from.address.toLowerCase(), name: from.name?.trim() || '' } : null,
    replyTo: addresses(parsed.replyTo)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    deliveredTo: [...headerStrings(parsed, 'delivered-to'), ...headerStrings(parsed, 'x-original-to')]
      .map((a) => a.replace(/[<>]/g, '').trim().toLowerCase())
      .filter((a) => a.includes('@')),
    subject: (parsed.subject ?? '').trim(),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
    text: parsed.text ?? '',
  }
}

/** Every recipient address, +tags kept: they carry the ticket. */
export const allRecipients = (m: MailSummary) => [...new Set([...m.to, ...m.cc, ...m.deliveredTo])]

const FORWARD_SUBJECT = /^\s*(fwd?|fw|wg|tr|rv|enc|i)\s*:/i
const FORWARD_HEADER =
  /(?:^|\n)[-_\s]*(?:-{3,}\s*)?(?:forwarded message|original message|message transféré|weitergeleitete nachricht|mensaje reenviado)?[-\s]*\n?(?:.*\n){0,2}?\s*(?:from|von|de|da)\s*:\s*(?:"?([^"<\n]*)"?\s*)?<?([^\s<>@]+@[^\s<>]+?)>?\s*$/im

/** For a message an agent forwarded to us: the original sender, read from the quoted headers. */
export function forwardedSender(m: MailSummary): { address: string; name: string } | null {
  if (!FORWARD_SUBJECT.test(m.subject)) return null
  const match = FORWARD_HEADER.exec(m.text)
  if (!match) return null
  return { address: match[2]!.toLowerCase().replace(/[>\]]$/, ''), name: (match[1] ?? '').trim() }
}

export const stripForwardPrefix = (subject: string) => subject.replace(FORWARD_SUBJECT, '').trim() || subject
