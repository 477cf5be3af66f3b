import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, expect } from 'vitest'

/** What the receiver answers: a status and body, a redirect, a body of `streamBytes` bytes, or nothing at all (`hang`). */
export type Answer = { status?: number; body?: string; headers?: Record<string, string>; streamBytes?: number; hang?: boolean }
export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string }

/**
 * A real HTTP receiver on loopback for webhook tests: it keeps every request (raw body included) and answers per
 * path, by default 200. `cutResponses` counts answers whose connection the sender closed before the body was done.
 */
export async function startWebhookReceiver() {
  const received: Received[] = []
  const plans = new Map<string, (n: number) => Answer>()
  const stats = { cutResponses: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const answer = plans.get(path)?.(received.filter((r) => r.path === path).length) ?? {}
      if (answer.hang) return
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers })
      if (answer.streamBytes === undefined) return void res.end(answer.body ?? 'ok')
      const total = answer.streamBytes
      const chunk = Buffer.alloc(16 * 1024, 'x')
      let written = 0
      res.on('close', () => {
        if (!res.writableFinished) stats.cutResponses++
      })
      const pump = () => {
        while (written < total) {
          written += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      pump()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return {
    base: `http://127.0.0.1:${port}`,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    stats,
    /** How this path answers its n-th request (1-based). */
    plan(path: string, answer: (n: number) => Answer) {
      plans.set(path, answer)
    },
    at: (path: string) => received.filter((r) => r.path === path),
    async waitFor(path: string, count: number) {
      await expect.poll(() => received.filter((r) => r.path === path).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count)
      return received.filter((r) => r.path === path)[count - 1]!
    },
  }
}

/**
 * Checks a received request the way docs/WEBHOOKS.md tells receivers to, written out with node:crypto (independent of
 * the server's own signing code): HMAC-SHA256 with the base64-decoded secret over "<id>.<timestamp>.<body>".
 */
export function hasValidSignature(secret: string, r: Pick<Received, 'headers' | 'body'>): boolean {
  const id = String(r.headers['webhook-id'])
  const timestamp = String(r.headers['webhook-timestamp'])
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${r.body}`).digest('base64')}`
  return String(r.headers['webhook-signature']).split(' ').includes(expected)
}
