import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

const SYNC_WRITE_LIMIT = 256 * 1024
/** Bytes up to this size stored with `inRow` are kept in their `blobs` row instead of a file. */
export const ROW_BLOB_LIMIT = 128 * 1024

/** Stored bytes: `content` is set when they are to be kept in the blob's row (recordBlob writes them there). */
export interface StoredBlob {
  hash: string
  size: number
  content: Buffer | null
}
const HASH = /^[a-f0-9]{64}$/

/**
 * Content-addressed files under DATA_DIR/blobs: the same bytes are stored once, as `blobs/<first two hex>/<hash>`.
 * One level of 256 directories: creating a directory costs more than writing a typical message, and a two-level
 * fan-out (65,536 directories) made nearly every blob of a young workspace create one. Blobs written under the
 * earlier `<2>/<2>/<hash>` layout are still found.
 */
export class BlobStore {
  /** Directories known to exist. */
  private readonly dirs = new Set<string>()

  /** `db`: where blobs kept in their rows are read from (null: files only). */
  constructor(
    private readonly root: string,
    private readonly db: Kysely<DB> | null,
  ) {}

  private pathOf(hash: string): string {
    if (!HASH.test(hash)) throw new Error('invalid blob hash')
    return path.join(this.root, hash.slice(0, 2), hash)
  }

  private legacyPathOf(hash: string): string {
    return path.join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash)
  }

  private existingPathOf(hash: string): string | null {
    const file = this.pathOf(hash)
    if (fs.existsSync(file)) return file
    const legacy = this.legacyPathOf(hash)
    return fs.existsSync(legacy) ? legacy : null
  }

  /**
   * Stores bytes as a file, or with `inRow` and at most ROW_BLOB_LIMIT long returns them to be kept in the blob's row:
   * the caller records the row (recordBlob) in the transaction that refers to it. Creating a file costs more than
   * storing a raw message of a few kilobytes in the database, and small files are what a mail server has most of.
   */
  async put(bytes: Buffer, opts: { inRow?: boolean } = {}): Promise<StoredBlob> {
    const hash = createHash('sha256').update(bytes).digest('hex')
    if (opts.inRow && bytes.length <= ROW_BLOB_LIMIT) return { hash, size: bytes.length, content: bytes }
    if (this.existingPathOf(hash)) return { hash, size: bytes.length, content: null }
    const file = this.pathOf(hash)
    const dir = path.dirname(file)
    if (!this.dirs.has(dir)) {
      await fs.promises.mkdir(dir, { recursive: true })
      this.dirs.add(dir)
    }
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
    // A typical message is a few kilobytes: writing it at once is cheaper than three thread-pool round trips
    // and blocks for microseconds. Large attachments are written without blocking the event loop.
    if (bytes.length <= SYNC_WRITE_LIMIT) {
      fs.writeFileSync(tmp, bytes)
      fs.renameSync(tmp, file)
    } else {
      await fs.promises.writeFile(tmp, bytes)
      await fs.promises.rename(tmp, file)
    }
    return { hash, size: bytes.length, content: null }
  }

  /** Removes a blob's file (either layout); the caller makes sure nothing references its bytes any more. */
  async delete(hash: string): Promise<void> {
    for (const file of [this.pathOf(hash), this.legacyPathOf(hash)]) await fs.promises.rm(file, { force: true })
  }

  /** The bytes, from the blob's row when they are kept there, else from its file (an error when neither exists). */
  stream(hash: string): Readable {
    this.pathOf(hash) // refuses a name that is not a hash, before anything is read
    return Readable.from(this.chunks(hash), { objectMode: false })
  }

  private async *chunks(hash: string): AsyncGenerator<Buffer> {
    const row = this.db ? await this.db.selectFrom('blobs').select('content').where('hash', '=', hash).executeTakeFirst() : undefined
    if (row?.content) yield Buffer.from(row.content)
    else yield* fs.createReadStream(this.existingPathOf(hash) ?? this.pathOf(hash))
  }
}
