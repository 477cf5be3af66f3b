import fs from 'node:fs'
import path from 'node:path'
import { Parser } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { htmlToText, normalizeBody, sanitizeRichText } from './sanitize.ts'

const corpora = path.resolve(import.meta.dirname, '../../../../../shared/corpora')
function readCorpus<T>(file: string): T {
  const full = path.join(corpora, file)
  if (!fs.existsSync(full)) throw new Error(`Test corpus missing: ${full} (expected ../shared/corpora beside the repository)`)
  return JSON.parse(fs.readFileSync(full, 'utf8'))
}

const SAFE_TAGS = new Set([
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
])

/** Parses sanitized output as a browser would and lists anything that could run script or fetch unasked. */
function dangersIn(html: string): string[] {
  const found: string[] = []
  const parser = new Parser({
    onopentag(name, attrs) {
      if (!SAFE_TAGS.has(name)) found.push(`tag <${name}>`)
      for (const [attr, value] of Object.entries(attrs)) {
        if (/^on/i.test(attr) || attr === 'style' || attr === 'srcdoc' || attr === 'formaction') found.push(`attribute ${attr} on <${name}>`)
        if (attr === 'href' && !/^(https?:|mailto:|tel:)/i.test(value.trim())) found.push(`href ${value.slice(0, 40)}`)
        if (attr === 'src' && !/^(https?:|data:image\/|cid:|\/api\/v1\/attachments\/\d+$)/i.test(value.trim())) found.push(`src ${value.slice(0, 40)}`)
      }
    },
  })
  parser.write(html)
  parser.end()
  return found
}

describe('sanitizing customer and agent HTML', () => {
  it('neutralizes every DOMPurify XSS and mXSS payload', () => {
    const cases = readCorpus<{ title: string; payload: string }[]>('dompurify/expect.json')
    expect(cases.length).toBeGreaterThan(200)
    for (const c of cases) expect(dangersIn(sanitizeRichText(c.payload)), c.title).toEqual([])
  })

  it('neutralizes every bluemonday input, including the OWASP vectors', () => {
    const cases = readCorpus<{ test: string; input: string }[]>('bluemonday/pairs.json')
    expect(cases.length).toBeGreaterThan(400)
    for (const c of cases) expect(dangersIn(sanitizeRichText(c.input)), `${c.test}: ${c.input}`).toEqual([])
  })

  it('keeps ordinary formatting and makes links open safely', () => {
    expect(sanitizeRichText('<p>Hi <strong>Ann</strong>, see <a href="https://x.test/a">this</a></p>')).toBe(
      '<p>Hi <strong>Ann</strong>, see <a href="https://x.test/a" target="_blank" rel="noopener noreferrer nofollow">this</a></p>',
    )
  })

  it('turns plain text into paragraphs and escapes it', () => {
    expect(normalizeBody('Hello <b>you</b>\n\nSecond & last', 'text')).toEqual({
      html: '<p>Hello &lt;b&gt;you&lt;/b&gt;</p><p>Second &amp; last</p>',
      text: 'Hello <b>you</b>\n\nSecond & last',
    })
  })

  it('extracts readable text from HTML', () => {
    expect(htmlToText('<p>One</p><p>Two<br>Three &amp; four</p>')).toBe('One\nTwo\nThree & four')
  })
})
