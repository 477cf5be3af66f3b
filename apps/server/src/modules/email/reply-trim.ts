import { htmlToReplyText } from './reply-trim-html.js'
import { type TrimmedReply, trimTextReply } from './reply-trim-text.js'

export type { TrimmedReply } from './reply-trim-text.js'

/**
 * Splits the body of an inbound email into the new reply (`visible`, trimmed), the quoted history and the signature.
 * The plain-text body is used when it has content; otherwise the HTML body is converted to text, cutting first at the
 * client's quote container (Gmail, Apple/Thunderbird `cite`, Outlook, Yahoo…). A message that is only a forward is
 * kept whole, and quotes interleaved with answers (inline or bottom posting) are kept so no answer is lost.
 */
export function trimReply(text: string, opts: { html?: string } = {}): TrimmedReply {
  if (text.trim() !== '' || opts.html === undefined || opts.html.trim() === '') return trimTextReply(text)
  const html = htmlToReplyText(opts.html)
  const trimmed = trimTextReply(html.text)
  const quoted = [trimmed.quoted, html.quoted].filter((part): part is string => part !== null)
  return { ...trimmed, quoted: quoted.length === 0 ? null : quoted.join('\n\n') }
}
