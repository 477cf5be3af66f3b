import { createHmac, randomBytes } from 'node:crypto'

/**
 * Signatures as the Standard Webhooks spec has them: the secret is `whsec_` + the base64 of a random key; each
 * request carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list
 * of `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` (two while a rotated-out secret is still honoured).
 */
const PREFIX = 'whsec_'

/** A new signing secret: 32 random bytes. */
export const newWebhookSecret = (): string => PREFIX + randomBytes(32).toString('base64')

/** The HMAC key a secret stands for (its base64 part decoded). */
const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')

/** One `v1,<base64>` signature of a message. */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')
  return `v1,${mac}`
}

/** The `webhook-*` headers of one attempt, signed with every secret given (the current one first). */
export function signatureHeaders(secrets: string[], messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signWebhook(s, messageId, timestampSeconds, body)).join(' '),
  }
}
