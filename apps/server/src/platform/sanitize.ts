import sanitizeHtml from 'sanitize-html'

const allowedTags = [
  'p',
  'br',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'strike',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'hr',
  'span',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'img',
  'sub',
  'sup',
]

/** Customer and agent HTML as agents may see it: no script, no event handler, no remote fetch without consent. */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      span: ['data-type', 'data-id', 'data-label', 'class'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'cid', 'http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      // Only absolute links: a relative one would point into the help desk itself.
      a: (tagName, attribs) => {
        const { href, ...rest }: Record<string, string> = attribs
        if (href && /^(https?:|mailto:|tel:)/i.test(href.trim())) rest.href = href
        return { tagName, attribs: { ...rest, target: '_blank', rel: 'noopener noreferrer nofollow' } }
      },
      img: (tagName, attribs) => {
        const { src, ...rest }: Record<string, string> = attribs
        // Our own files: message attachments, and knowledge-base article files (served by the help center).
        if (src && /^(https?:|cid:|data:image\/(png|jpe?g|gif|webp);|\/api\/v1\/attachments\/\d+$|\/help\/files\/\d+\/[\w.-]{1,100}$)/i.test(src.trim()))
          rest.src = src
        return { tagName, attribs: rest }
      },
    },
  })
}

/** Plain text from HTML, keeping paragraph breaks. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<\s*br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6]|blockquote|pre|tr)>/gi, '\n')
  return sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => escapeMap[c] ?? c)

/** Accepts HTML or plain text (detected unless stated); returns sanitized HTML and its text. */
export function normalizeBody(body: string, format: 'auto' | 'text' = 'auto'): { html: string; text: string } {
  const looksHtml = format === 'auto' && /<\/?[a-z][\s\S]*>/i.test(body)
  const html = looksHtml
    ? sanitizeRichText(body)
    : body
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
        .join('')
  return { html, text: looksHtml ? htmlToText(html) : body.trim() }
}
