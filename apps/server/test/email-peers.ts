import { type ParsedMail, simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import { SMTPServer } from 'smtp-server'
import { afterAll, expect } from 'vitest'
import type { TestApp } from './helpers.ts'

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>

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
    /**
     * The latest message delivered to `address` whose text matches (any text when no pattern), as that mailbox would
     * receive it (other mail, such as agents' notifications, may arrive too).
     */
    async waitForTo(address: string, text?: RegExp, timeoutMs = 10_000) {
      const to = address.toLowerCase()
      const find = () => [...received].reverse().find((m) => m.rcpt.some((r) => r.toLowerCase() === to) && (!text || text.test(m.parsed.text ?? '')))
      await expect.poll(() => !!find(), { timeout: timeoutMs, message: `no mail to ${address}${text ? ` matching ${text}` : ''}` }).toBe(true)
      return find()!
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

/**
 * A throwaway Dovecot IMAP server on a loopback port (Debian's dovecot-imapd), with one user and a
 * maildir in a temp folder. Messages are put in with a real IMAP APPEND.
 */
export async function startDovecot() {
  const { spawn, execFileSync } = await import('node:child_process')
  const fs = await import('node:fs')
  const os = await import('node:os')
  const path = await import('node:path')
  const net = await import('node:net')
  if (!fs.existsSync('/usr/sbin/dovecot')) throw new Error('Dovecot is missing: apt-get install -y dovecot-imapd (.ci/run installs it)')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-dovecot-'))
  fs.chmodSync(dir, 0o755)
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
  const user = 'support'
  const password = 'imap-test-password'
  // Dovecot refuses to keep mail as root: as root, the mailbox belongs to nobody.
  const asRoot = process.getuid?.() === 0
  const uid = Number(
    execFileSync('id', asRoot ? ['-u', 'nobody'] : ['-u'])
      .toString()
      .trim(),
  )
  const gid = Number(
    execFileSync('id', asRoot ? ['-g', 'nobody'] : ['-g'])
      .toString()
      .trim(),
  )
  fs.mkdirSync(path.join(dir, 'mail'))
  fs.mkdirSync(path.join(dir, 'home'))
  if (asRoot) for (const sub of ['mail', 'home']) fs.chownSync(path.join(dir, sub), uid, gid)
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`)
  const conf = path.join(dir, 'dovecot.conf')
  fs.writeFileSync(
    conf,
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      'mailbox_idle_check_interval = 1 secs',
      `mail_location = maildir:${dir}/mail/%u`,
      `first_valid_uid = ${uid}`,
      `first_valid_gid = ${gid}`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${dir}/home/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      `service anvil {\n  chroot =\n}`,
      `service imap-login {\n  chroot =\n}`,
      '',
    ].join('\n'),
  )
  const child = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], { stdio: 'ignore' })
  const deadline = Date.now() + 15_000
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.end()
        resolve(true)
      })
      sock.on('error', () => resolve(false))
    })
  while (!(await listening())) {
    if (Date.now() > deadline)
      throw new Error(
        `Dovecot did not start: ${fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : 'no log'}`,
      )
    await new Promise((r) => setTimeout(r, 200))
  }
  const { ImapFlow } = await import('imapflow')
  const settings = { host: '127.0.0.1', port, tls: 'none' as const, user, password, folder: 'INBOX', afterImport: 'mark_seen' as const }
  afterAll(async () => {
    child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 200))
    fs.rmSync(dir, { recursive: true, force: true })
  })
  return {
    settings,
    dir,
    /** Delivers a message into a folder through IMAP APPEND. */
    async append(raw: string | Buffer, folder = 'INBOX') {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false })
      await client.connect()
      try {
        await client.append(folder, raw)
      } finally {
        await client.logout()
      }
    },
    async client() {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false })
      await client.connect()
      return client
    },
  }
}
