import type { MeDto, Role } from '@allhands/contract'
import { QueryCache, QueryClient, MutationCache, useQuery } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import { ApiError, api } from './api.ts'

/** Query keys in one place so realtime invalidation hits exactly what a change affects. */
export const keys = {
  me: ['me'] as const,
  setup: ['setup'] as const,
  views: ['views'] as const,
  ticketLists: ['tickets'] as const,
  ticket: (id: number) => ['ticket', id] as const,
  messages: (id: number) => ['messages', id] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  inboxes: ['inboxes'] as const,
  inboundEmails: (filter: string) => ['inbound-emails', filter] as const,
  customFields: ['custom-fields'] as const,
  notifications: ['notifications'] as const,
  contacts: ['contacts'] as const,
  contact: (id: number) => ['contact', id] as const,
  organizations: ['organizations'] as const,
  organization: (id: number) => ['organization', id] as const,
  settings: ['settings'] as const,
  tokens: ['tokens'] as const,
  invites: ['invites'] as const,
  search: (q: string) => ['search', q] as const,
}

export function showError(err: unknown) {
  const message = err instanceof Error ? err.message : 'Something went wrong'
  notifications.show({ color: 'red', title: 'Error', message })
}

/** Set by the app shell: called when the session is gone so the user lands on the login page. */
export const authState = { onUnauthenticated: () => {} }

// Silent queries (the session check, optional lookups) handle their own errors, 401 included.
function handleError(err: unknown, silent: boolean) {
  if (silent) return
  if (err instanceof ApiError && err.status === 401) return authState.onUnauthenticated()
  showError(err)
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (err, query) => handleError(err, query.meta?.silent === true) }),
  mutationCache: new MutationCache({ onError: (err, _v, _c, mutation) => handleError(err, mutation.meta?.silent === true) }),
  defaultOptions: {
    queries: { staleTime: 15_000, refetchOnWindowFocus: false, retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2 },
  },
})

export const useMe = () => useQuery({ queryKey: keys.me, queryFn: api.me, staleTime: 60_000, meta: { silent: true }, retry: false })
export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: api.users, staleTime: 60_000 })
export const useTeams = () => useQuery({ queryKey: keys.teams, queryFn: api.teams, staleTime: 60_000 })
export const useInboxes = () => useQuery({ queryKey: keys.inboxes, queryFn: api.inboxes, staleTime: 60_000 })
export const useCustomFields = () => useQuery({ queryKey: keys.customFields, queryFn: api.customFields, staleTime: 60_000 })
export const useViews = () => useQuery({ queryKey: keys.views, queryFn: api.views })

export const isAdmin = (role: Role | undefined) => role === 'owner' || role === 'admin'
export const isStaff = (role: Role | undefined) => role === 'owner' || role === 'admin' || role === 'agent'

/** The signed-in user; only call below the authenticated layout, which guarantees it is loaded. */
export function useCurrentUser(): MeDto['user'] {
  const { data } = useMe()
  if (!data) throw new Error('useCurrentUser called outside the signed-in layout')
  return data.user
}
