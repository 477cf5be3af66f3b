import { type Static, Type } from 'typebox'
import { Nullable, Timestamp } from './common.ts'
import { RoleSchema } from './people.ts'

/**
 * Account security (issue 10): TOTP two-factor authentication with recovery codes, per-role enforcement and the
 * list of a person's sign-in sessions. See docs/SECURITY.md.
 */

/** Answer of `POST /auth/login` when the account uses 2FA: no session yet, a second step is due. */
export const TwoFactorChallengeDto = Type.Object({ twoFactorRequired: Type.Literal(true), challenge: Type.String() })
export type TwoFactorChallengeDto = Static<typeof TwoFactorChallengeDto>

/** A six-digit TOTP code, or a recovery code (`xxxxx-xxxxx`). */
export const TwoFactorCode = Type.String({ minLength: 6, maxLength: 32 })

export const TwoFactorLoginInput = Type.Object({ challenge: Type.String({ minLength: 10, maxLength: 200 }), code: TwoFactorCode })
export type TwoFactorLoginInput = Static<typeof TwoFactorLoginInput>

export const TwoFactorStatusDto = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Nullable(Timestamp),
  /** The person's role must use 2FA (workspace security settings). */
  required: Type.Boolean(),
  /** This session may only reach the enrolment routes until 2FA is turned on. */
  enrolmentRequired: Type.Boolean(),
  recoveryCodesRemaining: Type.Integer({ minimum: 0 }),
})
export type TwoFactorStatusDto = Static<typeof TwoFactorStatusDto>

/** A fresh, not yet confirmed secret: shown once, as text and as a QR code (SVG data URL). */
export const TwoFactorEnrolmentDto = Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrCodeDataUrl: Type.String() })
export type TwoFactorEnrolmentDto = Static<typeof TwoFactorEnrolmentDto>

export const TwoFactorConfirmInput = Type.Object({ code: Type.String({ minLength: 6, maxLength: 8 }) })
export type TwoFactorConfirmInput = Static<typeof TwoFactorConfirmInput>

/** Single-use recovery codes, shown only in this answer. */
export const RecoveryCodesDto = Type.Object({ recoveryCodes: Type.Array(Type.String()) })
export type RecoveryCodesDto = Static<typeof RecoveryCodesDto>

/** Proof that the signed-in person is at the keyboard: a current code (TOTP or recovery) or the password. */
export const ReauthInput = Type.Object({
  code: Type.Optional(TwoFactorCode),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
})
export type ReauthInput = Static<typeof ReauthInput>

export const ChangePasswordInput = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 8, maxLength: 200 }),
})
export type ChangePasswordInput = Static<typeof ChangePasswordInput>

export const SessionDto = Type.Object({
  id: Type.String(),
  createdAt: Timestamp,
  lastSeenAt: Nullable(Timestamp),
  expiresAt: Timestamp,
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean(),
})
export type SessionDto = Static<typeof SessionDto>

export const SessionParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$' }) })
export type SessionParams = Static<typeof SessionParams>

export const RevokedSessionsDto = Type.Object({ revoked: Type.Integer({ minimum: 0 }) })
export type RevokedSessionsDto = Static<typeof RevokedSessionsDto>

export const SecuritySettingsDto = Type.Object({ twoFactorRequiredRoles: Type.Array(RoleSchema, { uniqueItems: true }) })
export type SecuritySettingsDto = Static<typeof SecuritySettingsDto>
