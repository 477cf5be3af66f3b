import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { now } from '../../platform/clock.ts'

const PERIOD_S = 30

const totpFor = (secret: string, issuer = 'Allhands', label = 'account') =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) })

/** A new random TOTP secret (160 bits, base32) for an authenticator app. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

/** The `otpauth://` URL an authenticator app reads from the QR code, and that QR code as an SVG data URL. */
export async function enrolmentUri(secret: string, issuer: string, label: string): Promise<{ otpauthUrl: string; qrCodeDataUrl: string }> {
  const otpauthUrl = totpFor(secret, issuer, label).toString()
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { otpauthUrl, qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }
}

/**
 * The time step a six-digit code belongs to, accepting the previous, current and next step (clock drift), or
 * undefined when the code is wrong. Callers refuse a step at or before the last one used, so a code works once.
 */
export function matchingTimeStep(secret: string, code: string): number | undefined {
  const t = now()
  const delta = totpFor(secret).validate({ token: code, timestamp: t, window: 1 })
  if (delta === null) return undefined
  return Math.floor(t / 1000 / PERIOD_S) + delta
}
