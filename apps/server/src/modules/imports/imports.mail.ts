import { Readable } from 'node:stream'
import { Parser, type ReadEntry } from 'tar'
import { type Entry, fromBufferPromise, validateFileName, type ZipFile } from 'yauzl'
import type { Ctx } from '../../platform/context.ts'
import { unprocessable } from '../../platform/errors.ts'
import { processInboundEmail, receiveRawEmail } from '../email/email.inbound.service.ts'
import type { ImportRow } from './imports.queries.ts'
import { type ImportProcessor, type Outcome, RowError, readSource, type Unit } from './imports.source.ts'

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

/** A message file of a maildir: directly under `cur/` or `new/` (never `tmp/`, where mail is half-written). */
const MAILDIR_FILE = /(^|\/)(cur|new)\/[^/]+$/
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1)
/** Maildir file names start with the delivery time: by base name is oldest first. */
const byBaseName = (a: { name: string }, b: { name: string }) => (baseName(a.name) < baseName(b.name) ? -1 : baseName(a.name) > baseName(b.name) ? 1 : 0)
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024

/** Whether bytes start like a zip archive (a local file header, or the end record of an empty archive). */
export const isZip = (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))

/**
 * The message entries of a maildir packed as .zip, oldest first, read from the central directory only (nothing is
 * unpacked yet). yauzl refuses the whole archive if any name is absolute or climbs out with `..`, as the tar reader
 * does; nothing is ever written to disk by name either way.
 */
export async function listMaildirZip(bytes: Buffer): Promise<{ zip: ZipFile; entries: { name: string; entry: Entry }[] }> {
  const zip = await fromBufferPromise(bytes, { validateEntrySizes: true })
  const entries: { name: string; entry: Entry }[] = []
  for await (const entry of zip.eachEntry())
    if (!entry.fileName.endsWith('/') && MAILDIR_FILE.test(entry.fileName)) entries.push({ name: entry.fileName, entry })
  return { zip, entries: entries.sort(byBaseName) }
}

/**
 * One entry's bytes, inflated as a stream and stopped at `maxBytes`: an entry that declares (or, lying, inflates to)
 * more is a row error before it is held in memory.
 */
export async function readZipEntry(zip: ZipFile, entry: Entry, maxBytes = MAX_MESSAGE_BYTES): Promise<Buffer> {
  const tooLarge = () => new RowError(null, `The message is larger than ${maxBytes / 1024 / 1024} MB`)
  if (entry.uncompressedSize > maxBytes) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of await zip.openReadStreamPromise(entry)) {
      size += (chunk as Buffer).length
      if (size > maxBytes) throw tooLarge()
      chunks.push(chunk as Buffer)
    }
  } catch (err) {
    if (err instanceof RowError) throw err
    throw new RowError(null, `${entry.fileName} could not be unpacked: ${err instanceof Error ? err.message : String(err)}`)
  }
  return Buffer.concat(chunks)
}

/** Refuses archive member names that are absolute or climb out with `..` (the same rule yauzl applies to zip). */
function checkTarPath(path: string) {
  const problem = validateFileName(path)
  if (problem) throw new Error(problem)
}

/** The messages of a maildir packed as .tar or .tar.gz: files under cur/ and new/, oldest first by file name. */
export async function readMaildirTar(input: NodeJS.ReadableStream): Promise<{ name: string; bytes: Buffer }[]> {
  const files: { name: string; bytes: Buffer }[] = []
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/\\/g, '/')
        try {
          checkTarPath(path)
        } catch (err) {
          entry.resume()
          reject(err)
          return
        }
        if (entry.type !== 'File' || !MAILDIR_FILE.test(path)) {
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
  return files.sort(byBaseName)
}

async function* readMail(ctx: Ctx, imp: ImportRow, skipThrough = 0): AsyncGenerator<Unit<Buffer>> {
  let index = 0
  if (imp.kind === 'maildir') {
    const source = await readSource(ctx, imp)
    const unreadable = (err: unknown) =>
      unprocessable(`Could not read the archive (upload the maildir as .zip, .tar or .tar.gz): ${err instanceof Error ? err.message : String(err)}`)
    const empty = () => unprocessable('The archive holds no maildir messages (files under cur/ or new/)')
    if (isZip(source)) {
      let listed: Awaited<ReturnType<typeof listMaildirZip>>
      try {
        listed = await listMaildirZip(source)
      } catch (err) {
        throw unreadable(err)
      }
      if (!listed.entries.length) throw empty()
      // One message inflated at a time; counting, and a resumed import's entries before its cursor, unpack nothing.
      for (const { entry } of listed.entries) {
        index++
        if (index <= skipThrough) {
          yield { index }
          continue
        }
        let unit: Unit<Buffer>
        try {
          unit = { index, value: await readZipEntry(listed.zip, entry) }
        } catch (err) {
          if (!(err instanceof RowError)) throw err
          unit = { index, error: err }
        }
        yield unit
      }
      return
    }
    let files: { name: string; bytes: Buffer }[]
    try {
      files = await readMaildirTar(Readable.from([source]))
    } catch (err) {
      throw unreadable(err)
    }
    if (!files.length) throw empty()
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
