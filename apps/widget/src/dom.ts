/**
 * A tiny element builder. Text goes in through text nodes only: nothing the server or the visitor sends is
 * ever parsed as HTML (there is no innerHTML anywhere in the widget).
 */
type Attrs = Record<string, string | number | boolean | null | undefined>
type Child = Node | string | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    if (name === 'class') el.className = String(value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
}

/** Replaces an element's children. */
export function fill(el: Node, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild)
  append(el, children)
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** A decorative 24×24 stroke icon from path data (hidden from screen readers: the button carries the label). */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const path = document.createElementNS(SVG_NS, 'path')
  path.setAttribute('d', d)
  svg.appendChild(path)
  return svg
}

export const ICONS = {
  chat: 'M4 5h16v11H8l-4 4z',
  close: 'M6 6l12 12M18 6L6 18',
  clip: 'M20 11.5l-7.8 7.8a5 5 0 01-7.1-7.1l8.5-8.5a3.3 3.3 0 014.7 4.7l-8.5 8.5a1.7 1.7 0 01-2.4-2.4l7.8-7.8',
  send: 'M4 12l16-8-6 16-2-6z',
}

/** An absolute http(s) URL resolved against `base`, or null for anything else (javascript:, data:, garbage). */
export function safeUrl(raw: string, base?: string): string | null {
  try {
    const url = new URL(raw, base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi

/** Text with http(s) links turned into safe anchors (new tab, no opener, no referrer); everything else stays text. */
export function linkify(text: string): DocumentFragment {
  const frag = document.createDocumentFragment()
  let last = 0
  LINK.lastIndex = 0
  for (let match = LINK.exec(text); match; match = LINK.exec(text)) {
    let raw = match[0]
    // Sentence punctuation and an unbalanced closing bracket after a link belong to the sentence.
    raw = raw.replace(/[.,;:!?]+$/, '')
    if (raw.endsWith(')') && (raw.match(/\(/g) ?? []).length < (raw.match(/\)/g) ?? []).length) raw = raw.slice(0, -1)
    const href = safeUrl(raw)
    const start = match.index
    if (!href) continue
    if (start > last) frag.appendChild(document.createTextNode(text.slice(last, start)))
    frag.appendChild(h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, raw))
    last = start + raw.length
  }
  if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)))
  return frag
}
