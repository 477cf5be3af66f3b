import type { HandBackInput, QueueClaimDto, QueueDto, QueueSettingsDto, TicketDto } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of the rotation queue (local to this feature). */
export const queueKeys = {
  queue: ['queue'] as const,
  settings: ['queue', 'settings'] as const,
}

export const queueApi = {
  queue: () => request<QueueDto>('GET', '/queue'),
  next: () => request<QueueClaimDto>('POST', '/queue/next'),
  claim: (ticketId: number) => request<TicketDto>('POST', `/queue/claim/${ticketId}`),
  settings: () => request<QueueSettingsDto>('GET', '/queue/settings'),
  updateSettings: (patch: Partial<QueueSettingsDto>) => request<QueueSettingsDto>('PATCH', '/queue/settings', patch),
  handBack: (ticketId: number, input: HandBackInput) => request<TicketDto>('POST', `/tickets/${ticketId}/hand-back`, input),
}
