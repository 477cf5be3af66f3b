import type {
  AgentChatStatusDto,
  AutoInviteRuleDto,
  AutoInviteRuleInput,
  ChatAvailability,
  ChatConversationDto,
  ChatConversationListItem,
  ChatSettingsDto,
  ChatSettingsInput,
  LiveVisitorDto,
  MessageDto,
  PageOf,
  PageViewDto,
  Role,
  SetChatStatusInput,
  TransferChatInput,
} from '@allhands/contract'
import { useEffect, useSyncExternalStore } from 'react'
import { request } from '../../lib/api.ts'
import { isStaff, keys, queryClient } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'

type ConversationStatus = ChatConversationDto['status']

/** When this tab last took a chat itself, so the "new chat for you" notice stays quiet about it. */
export const ownChatAction = { at: 0 }

export const chatApi = {
  me: () => request<AgentChatStatusDto>('GET', '/chat/me'),
  setMe: (input: SetChatStatusInput) => request<AgentChatStatusDto>('PUT', '/chat/me', input),
  agents: () => request<{ items: AgentChatStatusDto[] }>('GET', '/chat/agents'),
  conversations: (query: { status?: ConversationStatus; mine?: boolean }) =>
    request<{ items: ChatConversationListItem[] }>('GET', '/chat/conversations', undefined, query),
  ticketChat: (ticketId: number) => request<ChatConversationDto>('GET', `/tickets/${ticketId}/chat`),
  accept: (ticketId: number) => {
    ownChatAction.at = Date.now()
    return request<ChatConversationDto>('POST', `/tickets/${ticketId}/chat/accept`, {})
  },
  transfer: (ticketId: number, input: TransferChatInput) => request<ChatConversationDto>('POST', `/tickets/${ticketId}/chat/transfer`, input),
  end: (ticketId: number) => request<ChatConversationDto>('POST', `/tickets/${ticketId}/chat/end`, {}),
  supervise: (ticketId: number, mode: 'watch' | 'join' | 'stop') => request<ChatConversationDto>('POST', `/tickets/${ticketId}/chat/supervise`, { mode }),
  whisper: (ticketId: number, body: string) => request<MessageDto>('POST', `/tickets/${ticketId}/chat/whispers`, { body }),
  visitors: () => request<{ items: LiveVisitorDto[] }>('GET', '/chat/visitors'),
  visitorPageViews: (visitorId: number, cursor?: string, limit = 25) =>
    request<PageOf<PageViewDto>>('GET', `/chat/visitors/${visitorId}/page-views`, undefined, { cursor, limit }),
  contactPageViews: (contactId: number, cursor?: string, limit = 25) =>
    request<PageOf<PageViewDto>>('GET', `/contacts/${contactId}/page-views`, undefined, { cursor, limit }),
  invite: (visitorId: number, message: string) => request<{ id: number }>('POST', `/chat/visitors/${visitorId}/invite`, { message }),
  inviteRules: (inboxId: number) => request<{ items: AutoInviteRuleDto[] }>('GET', `/chat/inboxes/${inboxId}/invite-rules`),
  createInviteRule: (inboxId: number, input: AutoInviteRuleInput) => request<AutoInviteRuleDto>('POST', `/chat/inboxes/${inboxId}/invite-rules`, input),
  updateInviteRule: (id: number, input: AutoInviteRuleInput) => request<AutoInviteRuleDto>('PATCH', `/chat/invite-rules/${id}`, input),
  deleteInviteRule: (id: number) => request<unknown>('DELETE', `/chat/invite-rules/${id}`),
  settings: (inboxId: number) => request<ChatSettingsDto>('GET', `/chat/inboxes/${inboxId}/settings`),
  updateSettings: (inboxId: number, input: ChatSettingsInput) => request<ChatSettingsDto>('PATCH', `/chat/inboxes/${inboxId}/settings`, input),
}

/** Query keys: everything under `chat` refreshes when a chat or someone's availability changes. */
export const chatKeys = {
  all: ['chat'] as const,
  me: ['chat', 'me'] as const,
  agents: ['chat', 'agents'] as const,
  conversations: ['chat', 'conversations'] as const,
  conversationList: (status: ConversationStatus, mine: boolean) => ['chat', 'conversations', status, mine] as const,
  visitors: ['chat', 'visitors'] as const,
  visitorPageViews: (visitorId: number) => ['chat', 'visitor-page-views', visitorId] as const,
  settings: (inboxId: number) => ['chat', 'settings', inboxId] as const,
  inviteRules: (inboxId: number) => ['chat', 'invite-rules', inboxId] as const,
  /** Under the ticket's key, so the ticket's own realtime updates refresh it too. */
  ticketChat: (ticketId: number) => [...keys.ticket(ticketId), 'chat'] as const,
  contactPageViews: (contactId: number) => [...keys.contact(contactId), 'page-views'] as const,
}

/** Chat work (availability, taking chats, visitors, invites) is for support staff; the server refuses contributors. */
export const mayChat = (role: Role | undefined) => isStaff(role)
/** Supervision (watch, join, whisper) and the widget's settings: admins and owners. */
export const maySupervise = (role: Role | undefined) => role === 'owner' || role === 'admin'

export const AVAILABILITY: { value: ChatAvailability; label: string; color: string }[] = [
  { value: 'online', label: 'Online', color: 'teal' },
  { value: 'away', label: 'Away', color: 'yellow' },
  { value: 'offline', label: 'Offline', color: 'gray' },
]
export const availabilityOf = (status: ChatAvailability) => AVAILABILITY.find((a) => a.value === status) ?? AVAILABILITY[2]!

export const CONVERSATION_LABEL: Record<ConversationStatus, string> = { waiting: 'Waiting', active: 'Active', ended: 'Ended' }
export const CONVERSATION_COLOR: Record<ConversationStatus, string> = { waiting: 'orange', active: 'teal', ended: 'gray' }

/**
 * Keeps every chat screen current: conversation changes arrive on the `inbox` and ticket rooms, availability on
 * `chat-agents`; one refetch per burst of events. Mounted once, in the header, for support staff.
 */
export function useChatSync(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return
    const leave = realtime.subscribe('chat-agents')
    let timer: ReturnType<typeof setTimeout> | null = null
    const refreshLists = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        void queryClient.invalidateQueries({ queryKey: chatKeys.conversations })
      }, 150)
    }
    const offEvent = realtime.onEvent((e) => {
      const ticketId = Number(e.payload.ticketId)
      switch (e.name) {
        case 'chat.changed':
          refreshLists()
          if (ticketId) void queryClient.invalidateQueries({ queryKey: chatKeys.ticketChat(ticketId) })
          break
        case 'chat.availability':
          void queryClient.invalidateQueries({ queryKey: chatKeys.me })
          void queryClient.invalidateQueries({ queryKey: chatKeys.agents })
          break
        case 'ticket.created':
        case 'ticket.updated':
        case 'message.created':
          refreshLists()
          break
      }
    })
    const offReconnect = realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: chatKeys.all }))
    return () => {
      leave()
      offEvent()
      offReconnect()
      if (timer) clearTimeout(timer)
    }
  }, [enabled])
}

/**
 * The live visitor list: the page subscribes to the `visitors` room and applies each 'visitor.changed' to the
 * cached list (arrivals and moves replace the row, departures remove it) without refetching.
 */
export function useVisitorsLive() {
  useEffect(() => {
    const leave = realtime.subscribe('visitors')
    const offEvent = realtime.onEvent((e) => {
      if (e.name !== 'visitor.changed') return
      const p = e.payload as { visitor?: LiveVisitorDto; visitorId?: number; left?: boolean }
      queryClient.setQueryData<{ items: LiveVisitorDto[] }>(chatKeys.visitors, (old) => (old ? { items: applyVisitorChange(old.items, p) } : old))
      const id = p.visitor?.id ?? p.visitorId
      if (id && p.visitor) void queryClient.invalidateQueries({ queryKey: chatKeys.visitorPageViews(id) })
    })
    const offReconnect = realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: chatKeys.visitors }))
    return () => {
      leave()
      offEvent()
      offReconnect()
    }
  }, [])
}

/** Applies one 'visitor.changed' payload to a list: replace or add the visitor, or drop the one who left. */
export function applyVisitorChange(items: LiveVisitorDto[], p: { visitor?: LiveVisitorDto; visitorId?: number; left?: boolean }): LiveVisitorDto[] {
  if (p.left && p.visitorId) return items.filter((v) => v.id !== p.visitorId)
  const visitor = p.visitor
  if (!visitor) return items
  const i = items.findIndex((v) => v.id === visitor.id)
  if (i === -1) return [visitor, ...items]
  const next = items.slice()
  next[i] = visitor
  return next
}

// One clock for every ticking duration on screen: cells re-render once a second without a timer each.
let clockNow = Date.now()
let clockTimer: ReturnType<typeof setInterval> | null = null
const clockListeners = new Set<() => void>()
function subscribeClock(l: () => void) {
  clockListeners.add(l)
  if (!clockTimer) {
    clockNow = Date.now()
    clockTimer = setInterval(() => {
      clockNow = Date.now()
      for (const x of clockListeners) x()
    }, 1000)
  }
  return () => {
    clockListeners.delete(l)
    if (!clockListeners.size && clockTimer) {
      clearInterval(clockTimer)
      clockTimer = null
    }
  }
}

/** The current time, updated every second while a component shows it. */
export const useNow = () => useSyncExternalStore(subscribeClock, () => clockNow)

/** "42 s", "3 min 05 s", "1 h 04 min": how long someone has been on the site or a page. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

/** A visitor-supplied URL as a link target only when it is http(s); anything else (javascript:, data:) stays text. */
export function safeHttpUrl(url: string): string | null {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' })
  } catch {
    return null
  }
})()
const languageNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'language' })
  } catch {
    return null
  }
})()

/** "France" for "FR" (the browser's own names; the code when it has none). */
export function countryName(code: string): string {
  if (!code) return ''
  try {
    return regionNames?.of(code.toUpperCase()) ?? code
  } catch {
    return code
  }
}

/** "French (France)" for "fr-FR". */
export function languageName(tag: string): string {
  if (!tag) return ''
  try {
    return languageNames?.of(tag) ?? tag
  } catch {
    return tag
  }
}
