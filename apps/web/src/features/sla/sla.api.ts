import type { SlaCalendarDto, SlaCalendarInput, SlaCalendarUpdate, SlaPolicyDto, SlaPolicyInput, SlaPolicyUpdate } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of the SLA screens; all start with 'sla' so one invalidation refreshes them all. */
export const slaKeys = {
  all: ['sla'] as const,
  policies: ['sla', 'policies'] as const,
  calendars: ['sla', 'calendars'] as const,
  skew: ['sla', 'skew'] as const,
}

export const slaApi = {
  policies: () => request<{ items: SlaPolicyDto[] }>('GET', '/sla-policies'),
  createPolicy: (input: SlaPolicyInput) => request<SlaPolicyDto>('POST', '/sla-policies', input),
  updatePolicy: (id: number, input: SlaPolicyUpdate) => request<SlaPolicyDto>('PATCH', `/sla-policies/${id}`, input),
  deletePolicy: (id: number) => request<{ ok: boolean }>('DELETE', `/sla-policies/${id}`),
  reorder: (ids: number[]) => request<{ items: SlaPolicyDto[] }>('PUT', '/sla-policies/order', { ids }),
  calendars: () => request<{ items: SlaCalendarDto[] }>('GET', '/sla-calendars'),
  createCalendar: (input: SlaCalendarInput) => request<SlaCalendarDto>('POST', '/sla-calendars', input),
  updateCalendar: (id: number, input: SlaCalendarUpdate) => request<SlaCalendarDto>('PATCH', `/sla-calendars/${id}`, input),
  deleteCalendar: (id: number) => request<{ ok: boolean }>('DELETE', `/sla-calendars/${id}`),
  /** How far the server's clock is ahead of this browser's (ms), measured around one request. */
  skew: async () => {
    const sent = Date.now()
    const { now } = await request<{ now: number }>('GET', '/sla/clock')
    return now - (sent + Date.now()) / 2
  },
}

export const METRIC_LABEL = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' } as const
