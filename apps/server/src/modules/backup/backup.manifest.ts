import type { Dialect } from '../../db/database.ts'

/**
 * What an Allhands backup archive holds (a gzipped tar):
 *
 *   allhands.db          the SQLite database, a consistent snapshot (absent in a blobs-only archive)
 *   blobs/<2 hex>/<hash> the content-addressed files of DATA_DIR/blobs (attachments, raw emails)
 *   manifest.json        last, because it describes everything before it
 *
 * Every blob's name is the SHA-256 of its bytes, so each one is its own checksum; the manifest adds the database's
 * checksum and a digest of the blob names in archive order, so a missing, extra or reordered file is noticed too.
 */
export const BACKUP_FORMAT = 'allhands-backup'
export const BACKUP_FORMAT_VERSION = 1
export const DATABASE_ENTRY = 'allhands.db'
export const MANIFEST_ENTRY = 'manifest.json'

export interface BackupManifest {
  format: typeof BACKUP_FORMAT
  formatVersion: number
  appVersion: string
  /** The database of the deployment the archive was made on; a PostgreSQL deployment's database is in its pg_dump file. */
  dialect: Dialect
  createdAt: string
  database: {
    file: typeof DATABASE_ENTRY
    bytes: number
    sha256: string
    /** Name of the last migration applied to the snapshot. */
    schema: string | null
    counts: Record<string, number>
  } | null
  blobs: { count: number; bytes: number; sha256: string }
}

const HEX64 = /^[a-f0-9]{64}$/
/** Blob paths as BlobStore writes them: `blobs/ab/<hash>`, or the earlier `blobs/ab/cd/<hash>`. */
const BLOB_PATH = /^blobs\/([a-f0-9]{2})\/(?:([a-f0-9]{2})\/)?([a-f0-9]{64})$/
const BLOB_DIR = /^blobs\/(?:[a-f0-9]{2}\/){0,2}$/

export type ArchiveEntry = { kind: 'manifest' } | { kind: 'database' } | { kind: 'blob'; hash: string } | { kind: 'directory' }

/** Classifies an archive path; null for anything an Allhands backup never contains. */
export function classifyEntry(entryPath: string): ArchiveEntry | null {
  if (entryPath === MANIFEST_ENTRY) return { kind: 'manifest' }
  if (entryPath === DATABASE_ENTRY) return { kind: 'database' }
  if (BLOB_DIR.test(entryPath)) return { kind: 'directory' }
  const m = BLOB_PATH.exec(entryPath)
  if (!m) return null
  const [, first, second, hash] = m
  if (!hash!.startsWith(first!) || (second && hash!.slice(2, 4) !== second)) return null
  return { kind: 'blob', hash: hash! }
}

/** The manifest of an archive, checked field by field; throws with what is wrong. */
export function parseManifest(text: string): BackupManifest {
  let raw: any
  try {
    raw = JSON.parse(text)
  } catch {
    throw new Error('its manifest.json is not valid JSON')
  }
  if (raw?.format !== BACKUP_FORMAT) throw new Error('its manifest.json is not an Allhands backup manifest')
  if (raw.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new Error(`it was written in backup format ${raw.formatVersion} (this Allhands reads format ${BACKUP_FORMAT_VERSION}): upgrade Allhands first`)
  }
  const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0
  const blobsOk = isCount(raw.blobs?.count) && isCount(raw.blobs?.bytes) && HEX64.test(raw.blobs?.sha256 ?? '')
  const db = raw.database
  const dbOk = db === null || (db?.file === DATABASE_ENTRY && isCount(db.bytes) && HEX64.test(db.sha256 ?? '') && typeof db.counts === 'object')
  if (!blobsOk || !dbOk || (raw.dialect !== 'sqlite' && raw.dialect !== 'postgres') || typeof raw.createdAt !== 'string') {
    throw new Error('its manifest.json is incomplete')
  }
  return raw as BackupManifest
}
