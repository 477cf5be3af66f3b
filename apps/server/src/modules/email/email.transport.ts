import type { Transporter } from 'nodemailer'
import type { Config } from '../../config.ts'
import type { StoredEmailSettings } from '../inboxes/inboxes.service.ts'

/** The SMTP server an inbox sends through: its own settings, else the global SMTP_URL. */
export async function transportFor(settings: StoredEmailSettings | null, config: Config): Promise<Transporter> {
  // Loaded on first send, like the rest of the mail stack (see email.parse.ts).
  const nodemailer = (await import('nodemailer')).default
  const smtp = settings?.smtp
  if (smtp) {
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.tls === 'tls',
      requireTLS: smtp.tls === 'starttls',
      ignoreTLS: smtp.tls === 'none',
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: 15_000,
      socketTimeout: 30_000,
    })
  }
  if (!config.smtpUrl) throw new Error('No SMTP server is configured for this inbox and SMTP_URL is not set')
  return nodemailer.createTransport(config.smtpUrl)
}
