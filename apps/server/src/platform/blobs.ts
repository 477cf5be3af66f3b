import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** Content-addressed files under DATA_DIR/blobs: the same bytes are stored once. */
export class BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(hash: string): string {
    if (!/^[a-f0-9]{64}$/.test(hash)) throw new Error('invalid blob hash')
    return path.join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash)
  }

  async put(bytes: Buffer): Promise<{ hash: string; size: number }> {
    const hash = createHash('sha256').update(bytes).digest('hex')
    const file = this.pathOf(hash)
    if (!fs.existsSync(file)) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
      await fs.promises.writeFile(tmp, bytes)
      await fs.promises.rename(tmp, file)
    }
    return { hash, size: bytes.length }
  }

  stream(hash: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(hash))
  }
}
