import type { MeDto, MonitoringOverviewDto } from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'

/** The dashboard refreshes itself this often (it also refetches when the window regains focus). */
export const MONITORING_REFRESH_MS = 15_000

export const monitoringApi = {
  overview: (windowMinutes: number) => request<MonitoringOverviewDto>('GET', '/monitoring/overview', undefined, { windowMinutes }),
}

export const monitoringKeys = {
  overview: (windowMinutes: number) => ['monitoring', 'overview', windowMinutes] as const,
}

/** The overview, refetched periodically and soon after anything it shows changes (one refetch per burst of events). */
export function useMonitoringOverview(windowMinutes: number) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = realtime.onEvent((e) => {
      if (!LIVE_EVENTS.has(e.name) || timer) return
      timer = setTimeout(() => {
        timer = null
        void queryClient.invalidateQueries({ queryKey: ['monitoring'] })
      }, 1000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [])
  return useQuery({
    queryKey: monitoringKeys.overview(windowMinutes),
    queryFn: () => monitoringApi.overview(windowMinutes),
    refetchInterval: MONITORING_REFRESH_MS,
  })
}
const LIVE_EVENTS = new Set<string>(['ticket.created', 'ticket.updated', 'message.created', 'review.changed', 'ride_along.changed'])

/** Who may open the monitoring dashboard: admins and full agents (the server decides; this only hides the link). */
export const mayMonitor = (me: MeDto | undefined) =>
  !!me && (me.user.role === 'owner' || me.user.role === 'admin' || (me.user.role === 'agent' && me.participation.trustLevel === 'agent'))

/** "3 min", "2 h 5 min", "3 d 4 h": waiting times at a glance. */
export function durationLabel(ms: number): string {
  const min = Math.floor(ms / 60_000)
  if (min < 1) return '<1 min'
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}
