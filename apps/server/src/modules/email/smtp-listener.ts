import fs from 'node:fs'
import type { SMTPServer, SMTPServerOptions } from 'smtp-server'
import type { Ctx } from '../../platform/context.ts'
import { inboxAddressBook } from '../inboxes/inboxes.service.ts'
import { baseAddress } from './email.addresses.ts'
import { ingestRawEmail } from './email.inbound.service.ts'

/**
 * The built-in inbound SMTP listener, so an MTA can forward or an MX can point at us. Accepts mail only
 * for configured inbox addresses (550 otherwise), refuses oversized messages (552), and offers STARTTLS
 * when a certificate is configured. Every accepted message goes through the same pipeline as the HTTP endpoint.
 */
export async function startSmtpListener(
  ctx: Ctx,
  opts: { port: number; host?: string },
): Promise<{ server: SMTPServer; port: number; close(): Promise<void> }> {
  const tls =
    ctx.config.smtpTlsKeyFile && ctx.config.smtpTlsCertFile
      ? { key: fs.readFileSync(ctx.config.smtpTlsKeyFile), cert: fs.readFileSync(ctx.config.smtpTlsCertFile) }
      : null
  const inboxOf = async (address: string) => (await inboxAddressBook(ctx)).get(baseAddress(address))
  const options: SMTPServerOptions = {
    name: new URL(ctx.config.publicUrl).hostname,
    banner: 'Allhands inbound mail',
    size: ctx.config.emailMaxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    logger: false,
    onRcptTo(address, _session, callback) {
      inboxOf(address.address).then(
        (inboxId) => (inboxId ? callback() : callback(Object.assign(new Error(`No mailbox here for ${address.address}`), { responseCode: 550 }))),
        (err) => callback(Object.assign(new Error(`Temporary failure: ${err instanceof Error ? err.message : err}`), { responseCode: 451 })),
      )
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }))
        try {
          const raw = Buffer.concat(chunks)
          const inboxIds = new Set<number>()
          for (const rcpt of session.envelope.rcptTo) {
            const inboxId = await inboxOf(rcpt.address)
            if (inboxId) inboxIds.add(inboxId)
          }
          // One ticket per addressed inbox; within an inbox the pipeline deduplicates.
          for (const inboxId of inboxIds) await ingestRawEmail(ctx, inboxId, raw, 'smtp')
          callback()
        } catch (err) {
          // The raw bytes are stored before processing; a processing failure is retried by the job, so accept.
          if (err instanceof Error && /could not store/i.test(err.message)) return callback(Object.assign(err, { responseCode: 451 }))
          callback()
        }
      })
    },
  }
  const { SMTPServer } = await import('smtp-server')
  const server = new SMTPServer(options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve())
  })
  server.on('error', () => {})
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
