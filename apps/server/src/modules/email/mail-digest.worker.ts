import { parentPort } from 'node:worker_threads'
import { type DigestOptions, digestMail, type MailDigest } from './mail-digest.ts'

/** What the pool sends a parser thread, and what comes back (mail-digest-pool.ts). */
export type DigestRequest = { id: number; raw: Uint8Array; opts: DigestOptions }
export type DigestReply = { id: number; digest: MailDigest } | { id: number; error: string }

const port = parentPort
if (!port) throw new Error('mail-digest.worker runs as a worker thread')
port.on('message', async ({ id, raw, opts }: DigestRequest) => {
  let reply: DigestReply
  try {
    reply = { id, digest: await digestMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), opts) }
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) }
  }
  port.postMessage(reply)
})
