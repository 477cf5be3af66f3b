import type {
  AcceptVocSuggestionInput,
  CreateVocItemInput,
  CreateVocLinkInput,
  UpdateVocItemInput,
  VocContactDto,
  VocItemDetailDto,
  VocItemDto,
  VocItemListQuery,
  VocItemPage,
  VocKind,
  VocLinkDto,
  VocNotificationDto,
  VocNotificationStatus,
  VocSettingsDto,
  VocStatus,
  VocSuggestionsDto,
  VocTicketItemDto,
} from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'

export const vocApi = {
  list: (query: VocItemListQuery) => request<VocItemPage>('GET', '/voc/items', undefined, query),
  get: (id: number) => request<VocItemDetailDto>('GET', `/voc/items/${id}`),
  create: (input: CreateVocItemInput) => request<VocItemDto>('POST', '/voc/items', input),
  update: (id: number, input: UpdateVocItemInput) => request<VocItemDto>('PATCH', `/voc/items/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/voc/items/${id}`),
  link: (itemId: number, input: CreateVocLinkInput) => request<VocLinkDto>('POST', `/voc/items/${itemId}/links`, input),
  unlink: (linkId: number) => request<{ ok: boolean }>('DELETE', `/voc/links/${linkId}`),
  forTicket: (ticketId: number) => request<{ items: VocTicketItemDto[] }>('GET', `/tickets/${ticketId}/voc-items`),
  forContact: (contactId: number) => request<VocContactDto>('GET', `/contacts/${contactId}/voc`),
  suggestions: () => request<VocSuggestionsDto>('GET', '/voc/suggestions'),
  refreshSuggestions: () => request<VocSuggestionsDto>('POST', '/voc/suggestions/refresh'),
  accept: (id: number, input: AcceptVocSuggestionInput) => request<VocItemDto>('POST', `/voc/suggestions/${id}/accept`, input),
  dismiss: (id: number) => request<{ ok: boolean }>('POST', `/voc/suggestions/${id}/dismiss`),
  editNotification: (id: number, body: string) => request<VocNotificationDto>('PATCH', `/voc/notifications/${id}`, { body }),
  send: (id: number) => request<VocNotificationDto>('POST', `/voc/notifications/${id}/send`),
  sendAll: (itemId: number) => request<{ items: VocNotificationDto[] }>('POST', `/voc/items/${itemId}/notifications/send`),
  settings: () => request<VocSettingsDto>('GET', '/voc/settings'),
  updateSettings: (input: VocSettingsDto) => request<VocSettingsDto>('PUT', '/voc/settings', input),
}

/** Query keys: everything under `voc` is refetched when the server announces a change. */
export const vocKeys = {
  all: ['voc'] as const,
  list: (query: VocItemListQuery) => ['voc', 'list', query] as const,
  detail: (id: number) => ['voc', 'detail', id] as const,
  ticket: (ticketId: number) => ['voc', 'ticket', ticketId] as const,
  contact: (contactId: number) => ['voc', 'contact', contactId] as const,
  suggestions: ['voc', 'suggestions'] as const,
  settings: ['voc', 'settings'] as const,
}

// Local copies of the contract enums: importing the values would pull the schema library into the bundle.
export const VOC_ROOM = 'voc'
export const VOC_STATUSES: readonly VocStatus[] = ['new', 'planned', 'in_progress', 'shipped', 'declined']
export const VOC_STATUS_LABEL: Record<VocStatus, string> = {
  new: 'New',
  planned: 'Planned',
  in_progress: 'In progress',
  shipped: 'Shipped',
  declined: 'Declined',
}
export const VOC_STATUS_COLOR: Record<VocStatus, string> = { new: 'yellow', planned: 'blue', in_progress: 'grape', shipped: 'teal', declined: 'gray' }
export const VOC_KIND_LABEL: Record<VocKind, string> = { pain_point: 'Pain point', feature_request: 'Feature request' }
export const vocStatusOptions = VOC_STATUSES.map((s) => ({ value: s, label: VOC_STATUS_LABEL[s] }))
export const vocKindOptions = (Object.keys(VOC_KIND_LABEL) as VocKind[]).map((k) => ({ value: k, label: VOC_KIND_LABEL[k] }))
export const NOTIFICATION_LABEL: Record<VocNotificationStatus, string> = {
  prepared: 'Prepared',
  sending: 'Sending',
  sent: 'Sent',
  held: 'Held for review',
  failed: 'Failed',
}
export const NOTIFICATION_COLOR: Record<VocNotificationStatus, string> = { prepared: 'blue', sending: 'yellow', sent: 'teal', held: 'orange', failed: 'red' }

export const refreshVoc = () => queryClient.invalidateQueries({ queryKey: vocKeys.all })

/** Joins the `voc` room and refetches board, item pages and panels when an item, link, suggestion or reply changes. */
export function useVocLive() {
  useRoom(VOC_ROOM)
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name === 'voc.changed') void refreshVoc()
      }),
    [],
  )
  useEffect(() => realtime.onReconnect(() => void refreshVoc()), [])
}

export const useVocSettings = () => useQuery({ queryKey: vocKeys.settings, queryFn: vocApi.settings, staleTime: 300_000 })
