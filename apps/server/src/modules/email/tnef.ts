/**
 * TNEF (`winmail.dat`, `application/ms-tnef`) unpacking: Outlook and Exchange wrap a message's attachments in this
 * binary format, which no other mail client reads. We only take the attached files out; the TNEF copy of the
 * message body (RTF) is not needed because the MIME text part carries it.
 *
 * Format: a 4-byte signature, a 2-byte key, then attributes `level(1) id(2) type(2) length(4) data checksum(2)`.
 * attAttachRendData starts an attachment; attAttachTitle, attAttachData and attAttachment (a MAPI property list,
 * where PR_ATTACH_LONG_FILENAME and PR_ATTACH_DATA_BIN/OBJ live) fill it. The decoder is defensive: every length
 * is checked against the buffer, a broken tail ends the walk and keeps what was read so far.
 */

export interface TnefFile {
  filename: string
  contentType: string
  content: Buffer
}

const SIGNATURE = 0x223e9f78
const LVL_ATTACHMENT = 0x02

const ATT_ATTACH_DATA = 0x800f
const ATT_ATTACH_TITLE = 0x8010
const ATT_ATTACH_REND_DATA = 0x9002
const ATT_ATTACHMENT = 0x9005
const ATT_OEM_CODEPAGE = 0x9007

const PR_DISPLAY_NAME = 0x3001
const PR_ATTACH_DATA = 0x3701 // PR_ATTACH_DATA_BIN (PT_BINARY) or PR_ATTACH_DATA_OBJ (PT_OBJECT)
const PR_ATTACH_FILENAME = 0x3704
const PR_ATTACH_METHOD = 0x3705
const PR_ATTACH_LONG_FILENAME = 0x3707
const PR_ATTACH_MIME_TAG = 0x370e
const ATTACH_EMBEDDED_MSG = 5

const PT_OBJECT = 0x000d
const PT_STRING8 = 0x001e
const PT_UNICODE = 0x001f
const PT_BINARY = 0x0102
const MV_FLAG = 0x1000
const FIXED_SIZES: Record<number, number> = { 2: 4, 3: 4, 4: 4, 5: 8, 6: 8, 7: 8, 10: 4, 11: 4, 20: 8, 64: 8, 72: 16, 1: 0 }

/** Stops runaway property lists in hostile input (a real attachment has a few dozen). */
const MAX_PROPERTIES = 10_000
const MAX_ATTACHMENTS = 500

interface Attach {
  title?: string
  data?: Buffer
  longName?: string
  fileName?: string
  displayName?: string
  mimeTag?: string
  mapiData?: Buffer
  method?: number
}

interface MapiProp {
  id: number
  type: number
  values: Buffer[]
}

const pad4 = (n: number) => (n + 3) & ~3

function decodeString(bytes: Buffer, type: number, codepage: number): string {
  const text = type === PT_UNICODE ? bytes.toString('utf16le') : codepage === 65001 ? bytes.toString('utf8') : bytes.toString('latin1')
  const end = text.indexOf('\0')
  return (end >= 0 ? text.slice(0, end) : text).trim()
}

/** Reads an attMAPIProps/attAttachment property list. Returns what it could read before anything inconsistent. */
function readMapiProps(buf: Buffer): MapiProp[] {
  const props: MapiProp[] = []
  if (buf.length < 4) return props
  const count = buf.readUInt32LE(0)
  let off = 4
  const need = (n: number) => off + n <= buf.length
  for (let i = 0; i < count && i < MAX_PROPERTIES; i++) {
    if (!need(4)) break
    const rawType = buf.readUInt16LE(off)
    const id = buf.readUInt16LE(off + 2)
    off += 4
    if (id >= 0x8000) {
      // named property: GUID, kind, then an id or a UTF-16 name
      if (!need(20)) break
      const kind = buf.readUInt32LE(off + 16)
      off += 20
      if (kind === 0) {
        if (!need(4)) break
        off += 4
      } else {
        if (!need(4)) break
        const len = buf.readUInt32LE(off)
        off += 4
        if (!need(pad4(len))) break
        off += pad4(len)
      }
    }
    const multi = (rawType & MV_FLAG) !== 0
    const type = rawType & ~MV_FLAG
    const variable = type === PT_STRING8 || type === PT_UNICODE || type === PT_BINARY || type === PT_OBJECT
    const fixed = FIXED_SIZES[type]
    if (!variable && fixed === undefined) break // unknown type: the rest cannot be located
    let n = 1
    if (multi || variable) {
      if (!need(4)) break
      n = buf.readUInt32LE(off)
      off += 4
      if (n > buf.length - off) break
    }
    const values: Buffer[] = []
    let ok = true
    for (let v = 0; v < n; v++) {
      let len = fixed ?? 0
      if (variable) {
        if (!need(4)) {
          ok = false
          break
        }
        len = buf.readUInt32LE(off)
        off += 4
      }
      if (!need(len)) {
        ok = false
        break
      }
      values.push(buf.subarray(off, off + len))
      off += variable ? pad4(len) : len
    }
    if (!ok) break
    props.push({ id, type, values })
  }
  return props
}

function applyAttachmentProps(a: Attach, props: MapiProp[], codepage: number) {
  for (const p of props) {
    const v = p.values[0]
    if (!v) continue
    const str = () => decodeString(v, p.type, codepage)
    switch (p.id) {
      case PR_ATTACH_LONG_FILENAME:
        if (p.type === PT_STRING8 || p.type === PT_UNICODE) a.longName = str()
        break
      case PR_ATTACH_FILENAME:
        if (p.type === PT_STRING8 || p.type === PT_UNICODE) a.fileName = str()
        break
      case PR_DISPLAY_NAME:
        if (p.type === PT_STRING8 || p.type === PT_UNICODE) a.displayName = str()
        break
      case PR_ATTACH_MIME_TAG:
        if (p.type === PT_STRING8 || p.type === PT_UNICODE) a.mimeTag = str()
        break
      case PR_ATTACH_METHOD:
        if (v.length >= 4) a.method = v.readUInt32LE(0)
        break
      case PR_ATTACH_DATA:
        // PT_OBJECT values start with the 16-byte interface id of the object
        if (p.type === PT_OBJECT) a.mapiData = v.length > 16 ? v.subarray(16) : Buffer.alloc(0)
        else if (p.type === PT_BINARY) a.mapiData = v
        break
    }
  }
}

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  rtf: 'application/rtf',
  zip: 'application/zip',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  txt: 'text/plain',
  csv: 'text/csv',
  htm: 'text/html',
  html: 'text/html',
  xml: 'application/xml',
  json: 'application/json',
  ics: 'text/calendar',
  eml: 'message/rfc822',
}

function contentTypeFor(filename: string, mimeTag: string | undefined): string {
  if (mimeTag && /^[\w.+-]+\/[\w.+-]+$/.test(mimeTag)) return mimeTag.toLowerCase()
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase()
  return (ext && TYPES[ext]) || 'application/octet-stream'
}

const MAX_DEPTH = 3

/** Decodes a TNEF stream into its attached files. Returns null when the bytes are not TNEF at all. */
export function decodeTnef(buf: Buffer, depth = 0): TnefFile[] | null {
  if (buf.length < 6 || buf.readUInt32LE(0) !== SIGNATURE) return null
  const attachments: Attach[] = []
  let current: Attach | null = null
  let codepage = 1252
  let off = 6
  while (off + 9 <= buf.length) {
    const level = buf[off]!
    const id = buf.readUInt16LE(off + 1)
    const len = buf.readUInt32LE(off + 5)
    const start = off + 9
    if (len > buf.length - start) break // truncated or garbage at the end
    const data = buf.subarray(start, start + len)
    off = start + len + 2 // checksum is not verified: a wrong one still leaves the data usable
    if (level !== LVL_ATTACHMENT) {
      if (id === ATT_OEM_CODEPAGE && data.length >= 4) codepage = data.readUInt32LE(0)
      continue
    }
    if (id === ATT_ATTACH_REND_DATA || !current) {
      if (attachments.length >= MAX_ATTACHMENTS) break
      current = {}
      attachments.push(current)
      if (id === ATT_ATTACH_REND_DATA) continue
    }
    if (id === ATT_ATTACH_TITLE) current.title = decodeString(data, PT_STRING8, codepage)
    else if (id === ATT_ATTACH_DATA) current.data = data
    else if (id === ATT_ATTACHMENT) applyAttachmentProps(current, readMapiProps(data), codepage)
  }
  const files: TnefFile[] = []
  for (const a of attachments) {
    if (a.method === ATTACH_EMBEDDED_MSG) {
      // an Outlook item attached to the message: its own TNEF stream; we keep the files it carries
      if (!a.mapiData || depth >= MAX_DEPTH) continue
      for (const f of decodeTnef(a.mapiData, depth + 1) ?? []) if (!files.some((g) => g.filename === f.filename && g.content.equals(f.content))) files.push(f) // a forward repeats the same picture
      continue
    }
    const content = a.data ?? a.mapiData
    if (!content) continue
    const filename = a.longName || a.fileName || a.title || a.displayName || `attachment-${files.length + 1}`
    files.push({ filename, contentType: contentTypeFor(filename, a.mimeTag), content: Buffer.from(content) })
  }
  return files
}

const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef'])

export const isTnef = (a: { filename?: string | null; contentType?: string | null }) =>
  TNEF_TYPES.has((a.contentType ?? '').toLowerCase()) || (a.filename ?? '').trim().toLowerCase() === 'winmail.dat'

/**
 * For a TNEF attachment, the files inside it; null when the attachment is not TNEF or not decodable
 * (the caller then keeps the original).
 */
export function unpackTnef(a: { filename?: string | null; contentType?: string | null; content: Buffer }): TnefFile[] | null {
  if (!isTnef(a)) return null
  try {
    return decodeTnef(a.content)
  } catch {
    return null
  }
}

/**
 * Replaces each TNEF attachment in a parsed message's list by the files inside it, keeping the other fields the
 * pipeline reads (size, contentId). A winmail.dat with nothing extractable is kept as it came.
 */
export function expandTnefAttachments<T extends { filename?: string; contentType: string; content: Buffer; size: number; contentId?: string }>(list: T[]): T[] {
  return list.flatMap((a) => {
    const inner = unpackTnef(a)
    if (!inner?.length) return [a]
    return inner.map((f) => ({ ...a, filename: f.filename, contentType: f.contentType, content: f.content, size: f.content.length, contentId: undefined }))
  })
}
