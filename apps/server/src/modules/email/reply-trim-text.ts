import {
  FORWARD_MARKER,
  GREETING,
  SEPARATOR_ROW,
  FROM_HEADER,
  isAttribution,
  MOBILE_SIGNATURE,
  ORIGINAL_MESSAGE,
  OTHER_HEADER,
  QUOTED_LINE,
  SIGNATURE_DELIMITER,
  UNDERSCORE_RULE,
  VALEDICTION,
} from './reply-trim-patterns.js'

/** The new text of a reply, and what was cut from it. `null` means nothing of that kind was found. */
export interface TrimmedReply {
  visible: string
  quoted: string | null
  signature: string | null
}

/** Attribution lines are at most this many physical lines ("On …, Name\n<mail>\nwrote:"). */
const MAX_ATTRIBUTION_LINES = 3
/** A signature longer than this (in non-blank lines) is more likely content that happens to follow "--". */
const MAX_SIGNATURE_LINES = 15
/** After "Regards," only a name, a role and a company or two may follow. */
const MAX_VALEDICTION_TAIL = 4
const MAX_VALEDICTION_TAIL_WIDTH = 60
/** A quoted line this long was probably wrapped by the client, leaving its tail unquoted on the next line. */
const WRAPPED_QUOTE_WIDTH = 60

const isBlank = (line: string) => line.trim() === ''

/** A run of quoted lines, with the attribution above it when there is one. `end` is exclusive. */
interface QuoteBlock {
  start: number
  end: number
  attributed: boolean
}

/** Splits a plain-text reply into the new text, the quoted history below it and the sender's signature. */
export function trimTextReply(text: string): TrimmedReply {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const kept = keptLines(lines)
  if (kept === 'forward') return { visible: joinTrimmed(lines) ?? '', quoted: null, signature: null }
  let body = kept === null ? lines : lines.filter((_, i) => kept[i])
  let quoted = kept === null ? [] : lines.filter((_, i) => !kept[i])
  // Separator rows ("====", "-----") between the reply and the cut belong to the quote.
  let end = body.length
  while (end > 0 && (isBlank(body[end - 1] ?? '') || SEPARATOR_ROW.test(body[end - 1] ?? ''))) end--
  if (quoted.length > 0) {
    quoted = [...body.slice(end), ...quoted]
    body = body.slice(0, end)
  }
  const signatureStart = findSignatureStart(body)
  if (signatureStart === -1) return { visible: joinVisible(body), quoted: joinTrimmed(quoted), signature: null }
  const signature = body.slice(signatureStart)
  const signatureLine = signature[0]?.trim() ?? ''
  // "Sent from my phone" followed by paragraphs: the phone client pasted the original message below without markers.
  if (MOBILE_SIGNATURE.test(signatureLine) && signature.filter((line) => !isBlank(line)).length > 3) {
    quoted = [...signature.slice(1), ...quoted]
    return { visible: joinVisible(body.slice(0, signatureStart)), quoted: joinTrimmed(quoted), signature: signatureLine }
  }
  return { visible: joinVisible(body.slice(0, signatureStart)), quoted: joinTrimmed(quoted), signature: joinTrimmed(signature) }
}

function joinTrimmed(lines: string[]): string | null {
  const text = lines.join('\n').trim()
  return text === '' ? null : text
}

/** Trailing spaces carry no meaning in a reply (format=flowed is already decoded by the parser). */
function joinVisible(lines: string[]): string {
  return lines
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()
}

/**
 * Which lines belong to the new text (`true`) rather than the quoted history; `null` when there is no quote, and
 * `'forward'` when the message is only a forward, which is kept whole, signature included.
 * Top-posted replies are cut at the first quote; a reply under a quote (bottom posting) keeps the text below it;
 * quotes interleaved with answers are kept so the answers keep their context.
 */
function keptLines(lines: string[]): boolean[] | null | 'forward' {
  const quotedLines = quotedLineFlags(lines)
  const hard = findHardStart(lines, quotedLines)
  const blocks = findQuoteBlocks(lines, quotedLines, hard)
  const first = blocks[0]
  const firstStart = Math.min(first?.start ?? hard, hard)
  if (firstStart === lines.length) return null
  const footer = findFooterStart(lines, hard)
  const isAnswer = (i: number) => i < footer && !quotedLines[i] && !isBlank(lines[i] ?? '') && !SEPARATOR_ROW.test(lines[i] ?? '')
  const textAbove = lines.slice(0, firstStart).filter((line) => !isBlank(line))
  const topPosted = textAbove.some((line) => !GREETING.test(line.trim()))
  const keepUntil = (end: number) => lines.map((_, i) => i < end)

  if (first === undefined || hard < first.start) {
    // Nothing but a forward or a pasted Outlook thread: that is the content the customer sent us.
    return textAbove.length > 0 ? keepUntil(hard) : 'forward'
  }
  const answersAfterFirst = hasAnswer(first.end, hard, isAnswer)
  if (!answersAfterFirst || (topPosted && first.attributed)) return keepUntil(first.start)

  // Answers follow the first quote: drop only the quotes after the last answer.
  let trailing = hard
  for (let b = blocks.length - 1; b >= 0; b--) {
    const block = blocks[b]
    if (block === undefined || hasAnswer(block.end, trailing, isAnswer)) break
    trailing = block.start
  }
  const interleaved = blocks.filter((block) => block.start < trailing).length > 1
  if (topPosted || interleaved) return keepUntil(trailing)
  // Bottom posting: a greeting (if any), then the quote, then the answer.
  return lines.map((_, i) => i < trailing && (i < first.start || i >= first.end))
}

function hasAnswer(from: number, to: number, isAnswer: (i: number) => boolean): boolean {
  for (let i = from; i < to; i++) if (isAnswer(i)) return true
  return false
}

/** `>` lines, plus the unquoted tail of a long quoted line that the client wrapped. */
function quotedLineFlags(lines: string[]): boolean[] {
  const flags = lines.map((line) => QUOTED_LINE.test(line))
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1] ?? ''
    if (!flags[i] && flags[i - 1] && !isBlank(lines[i] ?? '') && previous.trim().length >= WRAPPED_QUOTE_WIDTH) flags[i] = true
  }
  return flags
}

/** First line of history that runs to the end without `>` marks: Outlook headers, forwards, unquoted attributions. */
function findHardStart(lines: string[], quotedLines: boolean[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (isBlank(line) || quotedLines[i]) continue
    if (FORWARD_MARKER.test(line) || ORIGINAL_MESSAGE.test(line) || isHeaderBlock(lines, i)) return i
    if (UNDERSCORE_RULE.test(line)) {
      const next = nextNonBlank(lines, i + 1)
      if (next !== -1 && (isHeaderBlock(lines, next) || attributionSpan(lines, next) > 0)) return i
      continue
    }
    const span = attributionSpan(lines, i)
    if (span > 0) {
      const next = nextNonBlank(lines, i + span)
      if (next === -1 || !quotedLines[next]) return i
      i += span - 1
    }
  }
  return lines.length
}

/** Runs of `>` lines (and the blank lines inside them) before `end`, each with its attribution line(s) if any. */
function findQuoteBlocks(lines: string[], quotedLines: boolean[], end: number): QuoteBlock[] {
  const blocks: QuoteBlock[] = []
  let i = 0
  while (i < end) {
    const span = quotedLines[i] ? 0 : attributionSpan(lines, i)
    const quoteFrom = span > 0 ? nextNonBlank(lines, i + span) : i
    if (quoteFrom === -1 || quoteFrom >= end || !quotedLines[quoteFrom]) {
      i++
      continue
    }
    let last = quoteFrom
    for (let j = quoteFrom; j < end && (quotedLines[j] || isBlank(lines[j] ?? '')); j++) if (quotedLines[j]) last = j
    blocks.push({ start: i, end: last + 1, attributed: span > 0 })
    i = last + 1
  }
  return blocks
}

function nextNonBlank(lines: string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (!isBlank(lines[j] ?? '')) return j
  return -1
}

/** Where a signature or mailing-list footer starts near the end of `lines[0, end)`; text below it is no answer. */
function findFooterStart(lines: string[], end: number): number {
  let nonBlankBelow = 0
  for (let i = end - 1; i >= 0 && nonBlankBelow <= MAX_SIGNATURE_LINES; i--) {
    const line = lines[i] ?? ''
    if (isBlank(line)) continue
    if (SIGNATURE_DELIMITER.test(line) || MOBILE_SIGNATURE.test(line.trim())) return i
    nonBlankBelow++
  }
  return end
}

/** "From: …" followed by "Sent:/To:/Subject:" lines (or "Date:" then "From:"): a quoted Outlook header block. */
function isHeaderBlock(lines: string[], i: number): boolean {
  const first = lines[i] ?? ''
  const startsWithFrom = FROM_HEADER.test(first)
  if (!startsWithFrom && !OTHER_HEADER.test(first)) return false
  let headers = 1
  let sawFrom = startsWithFrom
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    const line = lines[j] ?? ''
    if (isBlank(line)) continue
    if (FROM_HEADER.test(line)) sawFrom = true
    else if (!OTHER_HEADER.test(line)) continue
    headers++
  }
  return sawFrom && headers >= 2
}

/** Number of lines of the attribution ("On … wrote:") starting at `i`, 0 when there is none. */
function attributionSpan(lines: string[], i: number): number {
  const first = (lines[i] ?? '').trim()
  if (first.length > 300) return 0
  if (isAttribution(first)) return 1
  // Only a line that could open an attribution may be joined with the next ones: "Hi,\nOn … wrote:" must not be.
  if (!/^[-\s]*(?:on|le|am|el|il|in data|em|op|den|w dniu|dnia)\b/i.test(first) && !/\d/.test(first)) return 0
  let joined = first
  for (let k = 1; k < MAX_ATTRIBUTION_LINES; k++) {
    const next = lines[i + k]
    // A wrapped address can leave ">:" alone on the next line, which looks like a quote but is not.
    if (next === undefined || isBlank(next) || (QUOTED_LINE.test(next) && !/^\s*>\s*[:：]\s*$/.test(next))) return 0
    joined = `${joined} ${next.trim()}`
    if (isAttribution(joined)) return k + 1
  }
  return 0
}

/** Index in `body` where the signature starts, or -1. Only the tail of the message is considered. */
function findSignatureStart(body: string[]): number {
  let nonBlankBelow = 0
  let start = -1
  const firstText = body.findIndex((line) => !isBlank(line))
  for (let i = body.length - 1; i > firstText && nonBlankBelow <= MAX_SIGNATURE_LINES; i--) {
    const line = (body[i] ?? '').trimEnd()
    if (isBlank(line)) continue
    if (isSignatureStart(body, i, line.trim(), nonBlankBelow)) start = i
    nonBlankBelow++
  }
  return start
}

function isSignatureStart(body: string[], i: number, line: string, nonBlankBelow: number): boolean {
  if (SIGNATURE_DELIMITER.test(body[i] ?? '')) return true
  if (MOBILE_SIGNATURE.test(line)) return true
  if (VALEDICTION.test(line) && nonBlankBelow <= MAX_VALEDICTION_TAIL) {
    return body.slice(i + 1).every((below) => below.trim().length <= MAX_VALEDICTION_TAIL_WIDTH)
  }
  return false
}
