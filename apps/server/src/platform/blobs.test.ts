import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { BlobStore } from './blobs.ts'

const read = async (s: Readable) => {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString()
}

describe('blob store', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-blobs-'))
  const store = new BlobStore(root, null)

  it('stores the same bytes once, under one level of directories', async () => {
    const a = await store.put(Buffer.from('hello'))
    const b = await store.put(Buffer.from('hello'))
    expect(b).toEqual(a)
    expect(fs.existsSync(path.join(root, a.hash.slice(0, 2), a.hash))).toBe(true)
    expect(await read(store.stream(a.hash))).toBe('hello')
    expect(fs.readdirSync(path.join(root, a.hash.slice(0, 2))).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('still finds blobs written under the earlier two-level layout, and does not store them twice', async () => {
    const bytes = Buffer.from('written by an older version')
    const { hash } = await new BlobStore(fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-blobs-')), null).put(bytes)
    const legacy = path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash)
    fs.mkdirSync(path.dirname(legacy), { recursive: true })
    fs.writeFileSync(legacy, bytes)
    expect(await read(store.stream(hash))).toBe('written by an older version')
    await store.put(bytes)
    expect(fs.existsSync(path.join(root, hash.slice(0, 2), hash))).toBe(false)
  })

  it('refuses a hash that is not one', () => {
    expect(() => store.stream('../../etc/passwd')).toThrow('invalid blob hash')
  })
})
