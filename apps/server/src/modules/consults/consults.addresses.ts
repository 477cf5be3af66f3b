import { addressTagSignature, baseAddress } from '../email/email.addresses.ts'

/** The Reply-To of a consult notification: an inbox address plus-tagged with the signed consult id. */
export function consultReplyAddress(inboxAddress: string, consultId: number, secret: string): string {
  const [local, domain] = baseAddress(inboxAddress).split('@')
  return `${local}+consult-${consultId}-${addressTagSignature(secret, `consult:${consultId}`)}@${domain}`
}

/** What a recipient address says about consults: not a consult address, a forged one, or a consult id. */
export function consultFromTaggedAddress(address: string, secret: string): { consultId: number; valid: boolean } | null {
  const m = /^[^@+]+\+consult-(\d{1,10})-([a-z0-9_-]{8})@/i.exec(address.trim())
  if (!m) return null
  const consultId = Number(m[1])
  return { consultId, valid: m[2]!.toLowerCase() === addressTagSignature(secret, `consult:${consultId}`) }
}
