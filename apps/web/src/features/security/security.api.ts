import type {
  MeDto,
  RecoveryCodesDto,
  RevokedSessionsDto,
  Role,
  SecuritySettingsDto,
  SessionDto,
  TwoFactorChallengeDto,
  TwoFactorEnrolmentDto,
  TwoFactorStatusDto,
} from '@allhands/contract'
import { ApiError, request } from '../../lib/api.ts'

type Reauth = { code?: string; password?: string }

/** Two-factor authentication, sessions and the workspace's 2FA policy (issue 10). */
export const securityApi = {
  signIn: (email: string, password: string) => request<MeDto | TwoFactorChallengeDto>('POST', '/auth/login', { email, password }),
  signInWithCode: (challenge: string, code: string) => request<MeDto>('POST', '/auth/login/two-factor', { challenge, code }),
  status: () => request<TwoFactorStatusDto>('GET', '/auth/two-factor'),
  startEnrolment: () => request<TwoFactorEnrolmentDto>('POST', '/auth/two-factor/enrolment', {}),
  confirmEnrolment: (code: string) => request<RecoveryCodesDto>('POST', '/auth/two-factor/enrolment/confirm', { code }),
  disable: (input: Reauth) => request<{ ok: boolean }>('POST', '/auth/two-factor/disable', input),
  regenerateRecoveryCodes: (input: Reauth) => request<RecoveryCodesDto>('POST', '/auth/two-factor/recovery-codes', input),
  sessions: () => request<SessionDto[]>('GET', '/auth/sessions'),
  revokeSession: (id: string) => request<{ ok: boolean }>('DELETE', `/auth/sessions/${id}`),
  revokeOtherSessions: () => request<RevokedSessionsDto>('POST', '/auth/sessions/revoke-others', {}),
  revokeUserSessions: (userId: number) => request<RevokedSessionsDto>('DELETE', `/users/${userId}/sessions`),
  changePassword: (currentPassword: string, newPassword: string) => request<{ ok: boolean }>('POST', '/auth/password', { currentPassword, newPassword }),
  settings: () => request<SecuritySettingsDto>('GET', '/security/settings'),
  updateSettings: (twoFactorRequiredRoles: Role[]) => request<SecuritySettingsDto>('PUT', '/security/settings', { twoFactorRequiredRoles }),
}

export const securityKeys = {
  status: ['security', 'two-factor'] as const,
  sessions: ['security', 'sessions'] as const,
  settings: ['security', 'settings'] as const,
}

export const isChallenge = (r: MeDto | TwoFactorChallengeDto): r is TwoFactorChallengeDto => 'twoFactorRequired' in r

/** The server refuses everything but enrolment until a person whose role requires 2FA turns it on. */
export const isEnrolmentRequired = (err: unknown) =>
  err instanceof ApiError && err.status === 403 && (err.details as { code?: string } | undefined)?.code === 'two_factor_enrolment_required'
