import { createHmac } from 'node:crypto'

/** Lower-cased address without a +tag: what a mailbox is known by. */
export function baseAddress(address: string): string {
  const [local = '', domain = ''] = address.trim().toLowerCase().split('@')
  return `${local.split('+')[0]}@${domain}`
}

/** A short HMAC over what a tagged address points at (`ticket:12`, `consult:5`), so tags cannot be forged. */
export const addressTagSignature = (secret: string, subject: string) =>
  createHmac('sha256', secret).update(subject).digest('base64url').slice(0, 8).toLowerCase()
const tagSignature = (secret: string, ticketId: number) => addressTagSignature(secret, `ticket:${ticketId}`)

/** The Reply-To for a ticket: the inbox address with a signed tag, so replies thread even when clients drop headers. */
export function ticketReplyAddress(inboxAddress: string, ticketId: number, secret: string): string {
  const [local, domain] = baseAddress(inboxAddress).split('@')
  return `${local}+t${ticketId}-${tagSignature(secret, ticketId)}@${domain}`
}

/** The ticket a tagged address points at; a forged or mistyped tag yields null. */
export function ticketFromTaggedAddress(address: string, secret: string): number | null {
  const m = /^[^@+]+\+t(\d{1,10})-([a-z0-9_-]{8})@/i.exec(address.trim())
  if (!m) return null
  const ticketId = Number(m[1])
  return m[2]!.toLowerCase() === tagSignature(secret, ticketId) ? ticketId : null
}

/** The domain of our Message-IDs (from PUBLIC_URL), so our own mail is recognisable when it comes back. */
export function messageIdDomain(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'allhands.local'
  } catch {
    return 'allhands.local'
  }
}

/** Normalized Message-ID for lookups: angle brackets removed, lower-cased. */
export function normalizeMessageId(id: string | undefined | null): string | null {
  const m = id?.trim().match(/<?([^<>\s]+@[^<>\s]+)>?/)
  return m ? m[1]!.toLowerCase() : null
}
