import { Parser, type ReadEntry } from 'tar'
import type { Ctx } from '../../platform/context.ts'
import { unprocessable } from '../../platform/errors.ts'
import { processInboundEmail, receiveRawEmail } from '../email/email.inbound.service.ts'
import type { ImportRow } from './imports.queries.ts'
import { type ImportProcessor, type Outcome, RowError, type Unit } from './imports.source.ts'

const NL = 0x0a
const FROM_ = Buffer.from('From ')

/** `>From ` (and `>>From ` …) at the start of a line was escaped by the mbox writer: take one `>` off. */
function unescapeLine(line: Buffer): Buffer {
  let i = 0
  while (i < line.length && line[i] === 0x3e) i++
  return i > 0 && line.subarray(i, i + 5).equals(FROM_) ? line.subarray(1) : line
}

/**
 * Splits an mbox stream into messages without holding the file: a message starts at a `From ` line at the start of
 * the file or after an empty line (the separator line itself is dropped); `>From ` lines are unescaped (mboxrd).
 */
export async function* splitMbox(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0)
  let lines: Buffer[] = []
  let started = false
  let previousBlank = true
  const flush = () => {
    // The separator's preceding empty line belongs to the format, not to the message.
    if (lines.length && lines[lines.length - 1]!.length <= 2 && /^\r?\n$/.test(lines[lines.length - 1]!.toString())) lines.pop()
    const message = Buffer.concat(lines)
    lines = []
    return message
  }
  const take = function* (line: Buffer): Generator<Buffer> {
    const isSeparator = previousBlank && line.subarray(0, 5).equals(FROM_)
    previousBlank = line.length === 1 || (line.length === 2 && line[0] === 0x0d)
    if (isSeparator) {
      if (started && lines.length) {
        const message = flush()
        if (message.length) yield message
      }
      started = true
      return
    }
    if (!started) {
      if (line.toString().trim() === '') return
      throw new RowError(null, 'This is not an mbox file: it must start with a "From " line')
    }
    lines.push(unescapeLine(line))
  }
  for await (const chunk of input) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk
    let start = 0
    for (let i = buf.indexOf(NL, start); i !== -1; i = buf.indexOf(NL, start)) {
      yield* take(buf.subarray(start, i + 1))
      start = i + 1
    }
    carry = Buffer.from(buf.subarray(start))
    buf = carry
  }
  if (carry.length) yield* take(carry)
  if (started && lines.length) {
    const message = flush()
    if (message.length) yield message
  }
}

/** The messages of a maildir packed as .tar or .tar.gz: files under cur/ and new/, oldest first by file name. */
export async function readMaildirTar(input: NodeJS.ReadableStream): Promise<{ name: string; bytes: Buffer }[]> {
  const files: { name: string; bytes: Buffer }[] = []
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/\\/g, '/')
        if (entry.type !== 'File' || !/(^|\/)(cur|new)\/[^/]+$/.test(path)) {
          entry.resume()
          return
        }
        const chunks: Buffer[] = []
        entry.on('data', (c: Buffer) => chunks.push(c))
        entry.on('end', () => files.push({ name: path, bytes: Buffer.concat(chunks) }))
      },
    })
    parser.on('error', reject)
    parser.on('warn', (code: string, message: string) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') reject(new Error(message))
    })
    parser.on('end', resolve)
    parser.on('close', resolve)
    input.on('error', reject)
    input.pipe(parser as unknown as NodeJS.WritableStream)
  })
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1)
  return files.sort((a, b) => (base(a.name) < base(b.name) ? -1 : base(a.name) > base(b.name) ? 1 : 0))
}

async function* readMail(ctx: Ctx, imp: ImportRow): AsyncGenerator<Unit<Buffer>> {
  let index = 0
  if (imp.kind === 'maildir') {
    let files: { name: string; bytes: Buffer }[]
    try {
      files = await readMaildirTar(ctx.blobs.stream(imp.blobHash))
    } catch (err) {
      throw unprocessable(`Could not read the archive (upload the maildir as .tar or .tar.gz): ${err instanceof Error ? err.message : String(err)}`)
    }
    if (!files.length) throw unprocessable('The archive holds no maildir messages (files under cur/ or new/)')
    for (const f of files) yield { index: ++index, value: f.bytes }
    return
  }
  try {
    for await (const message of splitMbox(ctx.blobs.stream(imp.blobHash) as AsyncIterable<Buffer>)) yield { index: ++index, value: message }
  } catch (err) {
    if (err instanceof RowError && index === 0) throw unprocessable(err.message)
    throw err
  }
}

// Report keys are camelCase: PostgreSQL returns the jsonb report through the CamelCasePlugin.
const MACHINE_MAIL: Record<string, string> = { 'auto-reply': 'autoReplies', bounce: 'bounces', spam: 'spam' }
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024

/**
 * One message through the same pipeline as live mail (raw kept, parsed, classified, threaded, deduplicated by
 * Message-ID, sanitized, indexed). Received `via: 'import'`, so the pipeline sends no acknowledgement.
 */
async function importMessage(ctx: Ctx, _imp: ImportRow, state: { inboxId: number }, unit: { index: number; value: Buffer }): Promise<Outcome> {
  if (unit.value.length > MAX_MESSAGE_BYTES) throw new RowError(null, `The message is larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`)
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(unit.value.subarray(0, 4096).toString('latin1'))) throw new RowError(null, 'The message has no headers')
  const inboundId = await receiveRawEmail(ctx, state.inboxId, unit.value, 'import', { processedAtOnce: true })
  const r = await processInboundEmail(ctx, inboundId, unit.value)
  switch (r.disposition) {
    case 'ticket':
      return { result: 'imported', report: { tickets: 1, messages: 1 } }
    case 'reply':
      return { result: 'imported', report: { messages: 1 } }
    case 'duplicate':
      return { result: 'skipped', report: { duplicates: 1 } }
    case 'rejected': {
      const row = await ctx.db.selectFrom('inboundEmails').select('error').where('id', '=', inboundId).executeTakeFirst()
      throw new RowError(null, row?.error ?? 'The message was rejected (no sender address)')
    }
    default:
      // Bounces, auto-replies and spam are kept in the mail log, as when they arrive live.
      return { result: 'skipped', report: { [MACHINE_MAIL[r.disposition] ?? 'otherSkipped']: 1 } }
  }
}

export const mailProcessor: ImportProcessor<Buffer, { inboxId: number }> = {
  read: readMail,
  async prepare(ctx, imp) {
    const inbox = imp.inboxId ? await ctx.db.selectFrom('inboxes').select('id').where('id', '=', imp.inboxId).executeTakeFirst() : undefined
    if (!inbox) throw unprocessable('Choose the inbox the imported mail goes to')
    return { inboxId: inbox.id }
  },
  process: importMessage,
}
