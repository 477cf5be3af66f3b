import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const SYNC_WRITE_LIMIT = 256 * 1024
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

  constructor(private readonly root: string) {}

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

  async put(bytes: Buffer): Promise<{ hash: string; size: number }> {
    const hash = createHash('sha256').update(bytes).digest('hex')
    if (this.existingPathOf(hash)) return { hash, size: bytes.length }
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
    return { hash, size: bytes.length }
  }

  /** Removes a blob's file (either layout); the caller makes sure nothing references its bytes any more. */
  async delete(hash: string): Promise<void> {
    for (const file of [this.pathOf(hash), this.legacyPathOf(hash)]) await fs.promises.rm(file, { force: true })
  }

  stream(hash: string): fs.ReadStream {
    return fs.createReadStream(this.existingPathOf(hash) ?? this.pathOf(hash))
  }
}
