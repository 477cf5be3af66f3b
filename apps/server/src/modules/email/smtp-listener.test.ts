import { afterAll, describe, expect, it } from 'vitest'
import { deliverBySmtp, rawEmail } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { startSmtpListener } from './smtp-listener.ts'

describe('built-in SMTP listener', async () => {
  const app = await buildTestApp({ EMAIL_MAX_BYTES: '200000' })
  const admin = await buildUser(app, { role: 'admin' })
  const sales = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Sales', type: 'email', email: { addresses: ['sales@acme.test'] } },
    })
  ).json()
  const help = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Help', type: 'email', email: { addresses: ['help@acme.test'] } },
    })
  ).json()
  const listener = await startSmtpListener(app.ctx, { port: 0, host: '127.0.0.1' })
  afterAll(() => listener.close())
  const ticketsOf = async (inboxId: number) =>
    (await app.inject({ method: 'GET', url: `/api/v1/tickets?inbox=${inboxId}`, headers: admin.headers })).json().items

  it('accepts mail for an inbox address and opens a ticket', async () => {
    const info = await deliverBySmtp(
      listener.port,
      { from: 'cust@customer.test', to: ['help@acme.test'] },
      rawEmail({ from: 'cust@customer.test', to: 'help@acme.test', subject: 'By SMTP', text: 'Hello over SMTP' }),
    )
    expect(info.accepted).toEqual(['help@acme.test'])
    const tickets = await ticketsOf(help.id)
    expect(tickets.map((t: { subject: string }) => t.subject)).toContain('By SMTP')
  })

  it('refuses unknown recipients with 550', async () => {
    await expect(
      deliverBySmtp(
        listener.port,
        { from: 'x@customer.test', to: ['nobody@acme.test'] },
        rawEmail({ from: 'x@customer.test', to: 'nobody@acme.test', subject: 'x', text: 'x' }),
      ),
    ).rejects.toMatchObject({
      responseCode: 550,
    })
  })

  it('refuses messages over the size limit with 552', async () => {
    const big = rawEmail({ from: 'big@customer.test', to: 'help@acme.test', subject: 'Huge', text: 'x'.repeat(300_000) })
    await expect(deliverBySmtp(listener.port, { from: 'big@customer.test', to: ['help@acme.test'] }, big)).rejects.toMatchObject({ responseCode: 552 })
  })

  it('opens one ticket per addressed inbox, never two in one', async () => {
    const raw = rawEmail({
      from: 'both@customer.test',
      to: 'sales@acme.test, help@acme.test',
      cc: 'HELP+x@acme.test',
      subject: 'To both inboxes',
      text: 'Hi both',
    })
    await deliverBySmtp(listener.port, { from: 'both@customer.test', to: ['sales@acme.test', 'help@acme.test', 'help+x@acme.test'] }, raw)
    const inSales = (await ticketsOf(sales.id)).filter((t: { subject: string }) => t.subject === 'To both inboxes')
    const inHelp = (await ticketsOf(help.id)).filter((t: { subject: string }) => t.subject === 'To both inboxes')
    expect([inSales.length, inHelp.length]).toEqual([1, 1])
  })
})

describe('built-in SMTP listener with a certificate', async () => {
  const { execFileSync } = await import('node:child_process')
  const fs = await import('node:fs')
  const os = await import('node:os')
  const path = await import('node:path')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-tls-'))
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
    { stdio: 'ignore' },
  )
  const app = await buildTestApp({ SMTP_TLS_KEY_FILE: `${dir}/key.pem`, SMTP_TLS_CERT_FILE: `${dir}/cert.pem` })
  const admin = await buildUser(app, { role: 'admin' })
  await app.inject({
    method: 'POST',
    url: '/api/v1/inboxes',
    headers: admin.headers,
    payload: { name: 'TLS', type: 'email', email: { addresses: ['tls@acme.test'] } },
  })
  const listener = await startSmtpListener(app.ctx, { port: 0, host: '127.0.0.1' })
  afterAll(async () => {
    await listener.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('offers STARTTLS and accepts mail over it', async () => {
    const nodemailer = (await import('nodemailer')).default
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    })
    const info = await transport.sendMail({
      envelope: { from: 'sec@customer.test', to: ['tls@acme.test'] },
      raw: rawEmail({ from: 'sec@customer.test', to: 'tls@acme.test', subject: 'Over TLS', text: 'encrypted' }),
    })
    transport.close()
    expect(info.accepted).toEqual(['tls@acme.test'])
    const tickets = (await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: admin.headers })).json().items
    expect(tickets.map((t: { subject: string }) => t.subject)).toContain('Over TLS')
  })
})
