import type { ConsultDetailDto, ConsultDto, ConsultListQuery, ConsultSettingsDto, CreateConsultInput, ExpertDto, PageOf } from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'

export const consultsApi = {
  list: (query: ConsultListQuery) => request<PageOf<ConsultDto>>('GET', '/consults', undefined, query),
  forTicket: (ticketId: number) => request<{ items: ConsultDto[] }>('GET', `/tickets/${ticketId}/consults`),
  get: (id: number) => request<ConsultDetailDto>('GET', `/consults/${id}`),
  ask: (ticketId: number, input: CreateConsultInput) => request<ConsultDto>('POST', `/tickets/${ticketId}/consults`, input),
  post: (id: number, body: string) => request<ConsultDetailDto>('POST', `/consults/${id}/messages`, { body }),
  resolve: (id: number) => request<ConsultDto>('POST', `/consults/${id}/resolve`),
  assign: (id: number, userId: number) => request<ConsultDto>('POST', `/consults/${id}/assign`, { userId }),
  settings: () => request<ConsultSettingsDto>('GET', '/consult-settings'),
  updateSettings: (input: ConsultSettingsDto) => request<ConsultSettingsDto>('PUT', '/consult-settings', input),
  experts: (q: string, limit?: number) => request<{ items: ExpertDto[] }>('GET', '/expertise', undefined, { q, limit }),
}

/** Query keys of this feature: everything under `consults` is refetched when a consult changes. */
export const consultKeys = {
  all: ['consults'] as const,
  list: (query: ConsultListQuery) => ['consults', 'list', query] as const,
  ticket: (ticketId: number) => ['consults', 'ticket', ticketId] as const,
  detail: (id: number) => ['consults', 'detail', id] as const,
  settings: ['consult-settings'] as const,
  experts: (q: string) => ['experts', q] as const,
}

export const useConsultSettings = () => useQuery({ queryKey: consultKeys.settings, queryFn: consultsApi.settings, staleTime: 300_000 })

/** Refetches consult lists and threads when the server says one changed (asked, answered, assigned, resolved). */
export function useConsultsLive() {
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name === 'consult.changed') void queryClient.invalidateQueries({ queryKey: consultKeys.all })
      }),
    [],
  )
  useEffect(() => realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: consultKeys.all })), [])
}

export const refreshConsults = () => queryClient.invalidateQueries({ queryKey: consultKeys.all })

const HOUR = 3600_000
/** "due in 3 h", "2 h overdue", "due tomorrow": short and exact enough for a badge. */
export function dueLabel(c: Pick<ConsultDto, 'dueAt' | 'overdue' | 'status'>, at = Date.now()): string {
  if (c.status === 'resolved') return 'resolved'
  const diff = c.dueAt - at
  const hours = Math.abs(diff) / HOUR
  const span = hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`
  return c.overdue ? `${span} overdue` : c.status === 'answered' ? 'answered' : `due in ${span}`
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** An answer as a blockquote with attribution, for the customer reply composer. */
export function quoteHtml(text: string, author: string, team: string | null): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')
  return `<blockquote>${paragraphs}<p>— ${escapeHtml(author)}${team ? `, ${escapeHtml(team)}` : ''}</p></blockquote><p></p>`
}
