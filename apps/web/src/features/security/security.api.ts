import type {
  ApiTokenDto,
  ApiTokenInput,
  CreatedApiToken,
  MeDto,
  RecoveryCodesDto,
  RevokedSessionsDto,
  Role,
  SecuritySettingsDto,
  SessionDto,
  SsoLoginOptionsDto,
  SsoSettingsDto,
  SsoSettingsInput,
  SsoTestResultDto,
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
  ssoLoginOptions: () => request<SsoLoginOptionsDto>('GET', '/auth/sso'),
  ssoSettings: () => request<SsoSettingsDto>('GET', '/security/sso'),
  updateSsoSettings: (input: SsoSettingsInput) => request<SsoSettingsDto>('PUT', '/security/sso', input),
  testSso: (issuerUrl: string) => request<SsoTestResultDto>('POST', '/security/sso/test', { issuerUrl }),
  tokens: () => request<ApiTokenDto[]>('GET', '/tokens'),
  createToken: (input: ApiTokenInput) => request<CreatedApiToken>('POST', '/tokens', input),
  revokeToken: (id: number) => request<{ ok: boolean }>('DELETE', `/tokens/${id}`),
}

/** Where the browser goes to sign in with the identity provider (a full page navigation, not a fetch). */
export const SSO_START_URL = '/api/v1/auth/oidc/start'

export const securityKeys = {
  status: ['security', 'two-factor'] as const,
  sessions: ['security', 'sessions'] as const,
  settings: ['security', 'settings'] as const,
  sso: ['security', 'sso'] as const,
  ssoLogin: ['security', 'sso-login'] as const,
}

export const isChallenge = (r: MeDto | TwoFactorChallengeDto): r is TwoFactorChallengeDto => 'twoFactorRequired' in r

/** The server refuses everything but enrolment until a person whose role requires 2FA turns it on. */
export const isEnrolmentRequired = (err: unknown) =>
  err instanceof ApiError && err.status === 403 && (err.details as { code?: string } | undefined)?.code === 'two_factor_enrolment_required'
