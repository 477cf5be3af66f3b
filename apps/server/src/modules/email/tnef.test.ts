import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { postEmail } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { decodeTnef, expandTnefAttachments, unpackTnef } from './tnef.ts'

// The shared corpus (MimeKit's TNEF test data): for each X.tnef, X.list names the attachments and X/ holds them.
const CORPUS = path.resolve(import.meta.dirname, '../../../../../../shared/corpora/tnef')

function corpus() {
  if (!fs.existsSync(CORPUS))
    throw new Error(`TNEF corpus missing at ${CORPUS}: shared/corpora/tnef must sit beside the project (see shared/corpora/MANIFEST.md)`)
  return fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith('.tnef'))
    .map((f) => f.slice(0, -5))
    .sort()
}

/**
 * Where we differ from the reference, checked one by one.
 * Files (X/, byte for byte): MAPI_OBJECT is an embedded OLE object; the reference keeps the 16-byte interface id in
 * front of it, we drop it so the attachment is a valid OLE compound document (D0 CF 11 E0) a person can open.
 * Names (X.list): christmas carries two attached Outlook items (embedded messages, MimeKit lists them and their inner
 * items as "Untitled Attachment"); we take out the files they carry (the kitten picture again) and not the items.
 */
const KNOWN_FILE_MISSES = ['MAPI_OBJECT']
const KNOWN_NAME_MISSES = ['christmas']

/** The extracted files of the reference; message.rtf/html/txt are the TNEF body, which we do not unpack. */
const expectedFiles = (name: string) => {
  const dir = path.join(CORPUS, name)
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((f) => !/^message\.(rtf|html|txt)$/.test(f))
    .map((f) => ({ filename: f, content: fs.readFileSync(path.join(dir, f)) }))
}
/** Attachment names in X.list, without the body entries (body.rtf, body.html). */
const listedNames = (name: string) =>
  fs
    .readFileSync(path.join(CORPUS, `${name}.list`), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^body\.(rtf|html|txt)$/.test(l))

// The reference text files were stored with LF line endings (upstream's git normalized them); the TNEF holds CRLF.
const lf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')

describe('TNEF (winmail.dat) decoding against the MimeKit corpus', () => {
  it('extracts the attached files byte for byte (X/) and by name (X.list) for at least 90% of the corpus, misses listed', () => {
    const rows: string[] = []
    const fileMisses: string[] = []
    const nameMisses: string[] = []
    let crlfOnly = 0
    const names = corpus()
    for (const name of names) {
      const started = performance.now()
      const files = decodeTnef(fs.readFileSync(path.join(CORPUS, `${name}.tnef`)))
      const ms = performance.now() - started
      expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(2000)
      expect(files, `${name} is TNEF`).not.toBeNull()
      const problems: string[] = []
      for (const want of expectedFiles(name)) {
        const got = files!.find((f) => f.filename === want.filename)
        if (!got) problems.push(`${want.filename} missing`)
        else if (!got.content.equals(want.content)) {
          if (lf(got.content).equals(want.content)) crlfOnly++
          else problems.push(`${want.filename}: ${got.content.length} bytes, expected ${want.content.length}`)
        }
      }
      if (problems.length) fileMisses.push(name)
      const gotNames = new Set(files!.map((f) => f.filename))
      const unnamed = [...new Set(listedNames(name))].filter((n) => !gotNames.has(n))
      if (unnamed.length) {
        nameMisses.push(name)
        problems.push(`${unnamed.join(', ')} (from ${name}.list) not extracted`)
      }
      rows.push(
        `${problems.length ? 'MISS' : 'ok  '} ${name}: ${files!.map((f) => `${f.filename} (${f.content.length})`).join(', ') || '—'}${problems.length ? `  ← ${problems.join('; ')}` : ''}`,
      )
    }
    const rate = (misses: string[]) =>
      `${names.length - misses.length}/${names.length} (${((100 * (names.length - misses.length)) / names.length).toFixed(1)}%)`
    const both = new Set([...fileMisses, ...nameMisses])
    console.log(
      `TNEF corpus: files byte for byte ${rate(fileMisses)} (${crlfOnly} text files equal up to the reference's LF line endings), names ${rate(nameMisses)}, both ${rate([...both])}\n${rows.join('\n')}`,
    )
    expect(fileMisses.sort()).toEqual(KNOWN_FILE_MISSES)
    expect(nameMisses.sort()).toEqual(KNOWN_NAME_MISSES)
    expect(1 - fileMisses.length / names.length).toBeGreaterThanOrEqual(0.9)
    expect(1 - nameMisses.length / names.length).toBeGreaterThanOrEqual(0.9)
  })

  it('gives the OLE object as a compound document, and names unnamed files', () => {
    const [ole] = decodeTnef(fs.readFileSync(path.join(CORPUS, 'MAPI_OBJECT.tnef')))!
    const reference = fs.readFileSync(path.join(CORPUS, 'MAPI_OBJECT', 'Untitled_Attachment'))
    expect(ole!.content.subarray(0, 4).toString('hex')).toBe('d0cf11e0')
    expect(ole!.content.equals(reference.subarray(16))).toBe(true)
  })

  it('prefers the long MAPI filename to the 8.3 title, and sets content types', () => {
    const files = decodeTnef(fs.readFileSync(path.join(CORPUS, 'multi-value-attribute.tnef')))!
    expect(files.map((f) => f.filename)).toEqual(['208225__5_seconds__Voice_Mail.mp3'])
    const panic = decodeTnef(fs.readFileSync(path.join(CORPUS, 'panic.tnef')))!
    expect(panic.map((f) => f.contentType)).toEqual(['image/jpeg', 'image/jpeg', 'image/png'])
  })

  it('recognizes TNEF by type or by name, and leaves anything else alone', () => {
    const bytes = fs.readFileSync(path.join(CORPUS, 'two-files.tnef'))
    expect(unpackTnef({ filename: 'winmail.dat', contentType: 'application/octet-stream', content: bytes })).toHaveLength(2)
    expect(unpackTnef({ filename: 'x', contentType: 'application/vnd.ms-tnef', content: bytes })).toHaveLength(2)
    expect(unpackTnef({ filename: 'notes.dat', contentType: 'application/octet-stream', content: bytes })).toBeNull()
    expect(unpackTnef({ filename: 'winmail.dat', contentType: 'application/ms-tnef', content: Buffer.from('not tnef at all') })).toBeNull()
  })

  it('survives truncated and corrupted input without throwing or looping', () => {
    const bytes = fs.readFileSync(path.join(CORPUS, 'panic.tnef'))
    let seed = 7
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed
    }
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(bytes.subarray(0, rand() % bytes.length))
      for (let k = 0; k < 8 && b.length > 6; k++) b[6 + (rand() % (b.length - 6))] = rand() & 0xff
      expect(() => unpackTnef({ filename: 'winmail.dat', contentType: 'application/ms-tnef', content: b })).not.toThrow()
    }
    // an attachment whose TNEF yields nothing is kept as it came
    const broken = { filename: 'winmail.dat', contentType: 'application/ms-tnef', content: bytes.subarray(0, 8), size: 8 }
    expect(expandTnefAttachments([broken])).toEqual([broken])
  })
})

describe('TNEF in the inbound email pipeline', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  let inboxId: number
  beforeAll(async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Outlook mail', type: 'email', email: { addresses: ['tnef@acme.test'] } },
    })
    expect(res.statusCode).toBe(201)
    inboxId = res.json().id
  })

  const outlookMail = (tnef: Buffer, subject: string) =>
    [
      'From: Olga Outlook <olga@customer.test>',
      'To: tnef@acme.test',
      `Subject: ${subject}`,
      `Message-ID: <${subject.replace(/\W/g, '')}@customer.test>`,
      'Date: Thu, 26 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please see the attached files.',
      '--b1',
      'Content-Type: application/ms-tnef; name="winmail.dat"',
      'Content-Disposition: attachment; filename="winmail.dat"',
      'Content-Transfer-Encoding: base64',
      '',
      tnef.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n')

  const attachmentsOf = async (ticketId: number) => {
    const items = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: admin.headers })).json().items
    return items[0].attachments as { filename: string; contentType: string; size: number; url: string }[]
  }

  it('stores the files inside winmail.dat as the message attachments', async () => {
    const result = await postEmail(app, admin.headers, inboxId, outlookMail(fs.readFileSync(path.join(CORPUS, 'panic.tnef')), 'Screenshots from Outlook'))
    expect(result.disposition).toBe('ticket')
    const attachments = await attachmentsOf(result.ticketId!)
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['image001.jpg', 'image/jpeg'],
      ['image002.jpg', 'image/jpeg'],
      ['image003.png', 'image/png'],
    ])
    const download = await app.inject({ method: 'GET', url: attachments[2]!.url, headers: admin.headers })
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(fs.readFileSync(path.join(CORPUS, 'panic', 'image003.png')))).toBe(true)
  })

  it('keeps winmail.dat itself when nothing can be taken out of it', async () => {
    const result = await postEmail(app, admin.headers, inboxId, outlookMail(fs.readFileSync(path.join(CORPUS, 'rtf.tnef')), 'Only rich text'))
    expect((await attachmentsOf(result.ticketId!)).map((a) => a.filename)).toEqual(['winmail.dat'])
  })
})
