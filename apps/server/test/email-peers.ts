import { type ParsedMail, simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import { SMTPServer } from 'smtp-server'
import { afterAll, expect } from 'vitest'
import type { TestApp } from './helpers.ts'

/** A real SMTP server on loopback that keeps what it receives: the outbound relay in email tests. */
export async function startSmtpSink() {
  const received: { raw: Buffer; parsed: ParsedMail; rcpt: string[] }[] = []
  let failNext = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        if (failNext > 0) {
          failNext--
          return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }))
        }
        const raw = Buffer.concat(chunks)
        received.push({ raw, parsed: await simpleParser(raw), rcpt: session.envelope.rcptTo.map((r) => r.address) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext: (n: number) => {
      failNext = n
    },
    async waitFor(count: number) {
      await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count)
      return received[count - 1]!
    },
  }
}

/** Delivers a message to an SMTP listener the way an MTA would. */
export async function deliverBySmtp(port: number, envelope: { from: string; to: string[] }, raw: string | Buffer) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
  try {
    return await transport.sendMail({ envelope, raw })
  } finally {
    transport.close()
  }
}

let seq = 0
/** A raw RFC 822 message; headers given are added as they are. */
export function rawEmail(o: {
  from: string
  to: string
  cc?: string
  subject: string
  text: string
  html?: string
  messageId?: string | null
  headers?: Record<string, string>
}): string {
  const id = o.messageId === null ? null : (o.messageId ?? `<test.${Date.now()}.${seq++}@customer.test>`)
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject}`,
    'Date: Thu, 26 Nov 2026 09:00:00 +0000',
    ...(id ? [`Message-ID: ${id}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ]
  if (!o.html) return [...lines, 'Content-Type: text/plain; charset=utf-8', '', o.text, ''].join('\r\n')
  const b = `b-${seq++}`
  return [
    ...lines,
    `Content-Type: multipart/alternative; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
    `--${b}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    o.html,
    `--${b}--`,
    '',
  ].join('\r\n')
}

/** Posts raw mail to the HTTP inbound endpoint. */
export async function postEmail(app: TestApp, headers: Record<string, string>, inboxId: number, raw: string | Buffer) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/inboxes/${inboxId}/inbound-email`,
    headers: { ...headers, 'content-type': 'message/rfc822' },
    payload: raw,
  })
  if (res.statusCode !== 202) throw new Error(`inbound-email: ${res.statusCode} ${res.body}`)
  return res.json() as { inboundEmailId: number; disposition: string; ticketId: number | null; messageId: number | null }
}
