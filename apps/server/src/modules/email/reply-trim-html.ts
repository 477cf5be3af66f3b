import { parseDocument } from 'htmlparser2'

type Node = ReturnType<typeof parseDocument>['children'][number]
type Element = Extract<Node, { attribs: Record<string, string> }>
type Step = { node: Node; inPre: boolean } | { exit: () => void }

/** Text of an HTML body, split where the client's own quote container starts. */
export interface HtmlText {
  text: string
  quoted: string | null
}

/** Elements that add a line break around their content. */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
])
const SKIPPED_ELEMENTS = new Set(['head', 'script', 'style', 'title', 'template', 'noscript', 'xml'])

/** Ids and classes mail clients put on the container of the quoted message (Outlook, Yahoo, Thunderbird, Zoho…). */
const QUOTE_IDS = [/^divRplyFwdMsg$/i, /^appendonsend$/i, /^stopSpelling$/i, /^OLK_SRC_BODY_SECTION$/i, /^yahoo_quoted/i]
const QUOTE_CLASSES = [/^gmail_quote/, /^yahoo_quoted$/, /^moz-cite-prefix$/, /^zmail_extra$/, /^protonmail_quote$/, /^OutlookMessageHeader$/i]

const isElement = (node: Node): node is Element => 'attribs' in node

function isQuoteContainer(element: Element): boolean {
  const { id = '', class: classes = '', type = '' } = element.attribs
  if (element.name === 'blockquote' && type.toLowerCase() === 'cite') return true
  if (id !== '' && QUOTE_IDS.some((pattern) => pattern.test(id))) return true
  return classes.split(/\s+/).some((name) => QUOTE_CLASSES.some((pattern) => pattern.test(name)))
}

/**
 * Converts HTML to plain text and finds where the quoted history starts: at the first known quote container, or at
 * a plain `<blockquote>` with nothing but whitespace after it (mail.ru, Yandex and others quote that way).
 */
export function htmlToReplyText(html: string): HtmlText {
  const document = parseDocument(html, { decodeEntities: true })
  let out = ''
  let markerCut = -1
  const blockquotes: Array<{ start: number; end: number }> = []
  const newline = () => {
    if (out !== '' && !out.endsWith('\n')) out += '\n'
  }
  // An explicit stack instead of recursion: deeply nested mail (a known attack) must not overflow the call stack.
  const stack: Step[] = document.children.map((node) => ({ node, inPre: false })).reverse()
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if ('exit' in step) {
      step.exit()
      continue
    }
    const { node, inPre } = step
    if (node.type === 'text') {
      out += inPre ? node.data : node.data.replace(/[ \t\r\n\f]+/g, ' ')
      continue
    }
    if (!isElement(node)) continue
    const name = node.name.toLowerCase()
    if (SKIPPED_ELEMENTS.has(name)) continue
    if (name === 'br') {
      out += '\n'
      continue
    }
    const isBlock = BLOCK_ELEMENTS.has(name)
    if (isBlock) newline()
    if (markerCut === -1 && isQuoteContainer(node)) markerCut = out.length
    const start = out.length
    stack.push({
      exit: () => {
        if (isBlock) newline()
        if (name === 'blockquote') blockquotes.push({ start, end: out.length })
        if (name === 'td' || name === 'th') out += ' '
      },
    })
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i]
      if (child !== undefined) stack.push({ node: child, inPre: inPre || name === 'pre' })
    }
  }

  const lastText = out.trimEnd().length
  let cut = markerCut
  for (const { start, end } of blockquotes) if (end >= lastText && (cut === -1 || start < cut)) cut = start
  if (cut === -1) return { text: tidy(out), quoted: null }
  const quoted = tidy(out.slice(cut))
  return { text: tidy(out.slice(0, cut)), quoted: quoted === '' ? null : quoted }
}

/** Trims the spaces markup indentation leaves around lines and collapses runs of blank lines. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^[ \u00a0]+|[ \u00a0]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
