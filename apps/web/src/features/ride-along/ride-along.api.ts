import type { PageOf, RideAlongChatPayload, RideAlongDto, RideAlongLiveDto, RideAlongMessageDto } from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient, showError } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'

export const rideAlongApi = {
  mine: (cursor?: string) => request<PageOf<RideAlongDto>>('GET', '/ride-alongs', undefined, { cursor, limit: 20 }),
  start: (followedUserId: number) => request<RideAlongDto>('POST', '/ride-alongs', { followedUserId }),
  live: (id: number) => request<RideAlongLiveDto>('GET', `/ride-alongs/${id}`),
  end: (id: number) => request<RideAlongDto>('POST', `/ride-alongs/${id}/end`),
  chat: (id: number) => request<PageOf<RideAlongMessageDto>>('GET', `/ride-alongs/${id}/messages`, undefined, { limit: 200 }),
  say: (id: number, body: string) => request<RideAlongMessageDto>('POST', `/ride-alongs/${id}/messages`, { body }),
}

/** Query keys of this feature: everything under `ride-alongs` is refetched when one starts or ends. */
export const rideAlongKeys = {
  all: ['ride-alongs'] as const,
  mine: ['ride-alongs', 'mine'] as const,
  live: (id: number) => ['ride-alongs', 'live', id] as const,
  chat: (id: number) => ['ride-alongs', 'chat', id] as const,
}

export const rideAlongRoom = (id: number) => `ride-along:${id}`

/** My ride-alongs (as follower and as followed), kept live: starts and ends arrive on my personal room. */
export function useMyRideAlongs() {
  useEffect(() => {
    const offEvent = realtime.onEvent((e) => {
      if (e.name === 'ride_along.changed') void queryClient.invalidateQueries({ queryKey: rideAlongKeys.all })
    })
    const offReconnect = realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: rideAlongKeys.all }))
    return () => {
      offEvent()
      offReconnect()
    }
  }, [])
  return useQuery({ queryKey: rideAlongKeys.mine, queryFn: () => rideAlongApi.mine() })
}

/** The side chat of one ride-along; new messages are appended live from its room. */
export function useSideChat(id: number) {
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name !== 'ride_along.chat') return
        const p = e.payload as unknown as RideAlongChatPayload
        if (p.rideAlongId !== id) return
        queryClient.setQueryData<PageOf<RideAlongMessageDto>>(rideAlongKeys.chat(id), (old) =>
          old && !old.items.some((m) => m.id === p.message.id) ? { ...old, items: [...old.items, p.message] } : old,
        )
      }),
    [id],
  )
  return useQuery({ queryKey: rideAlongKeys.chat(id), queryFn: () => rideAlongApi.chat(id) })
}

export async function endRideAlong(id: number) {
  try {
    await rideAlongApi.end(id)
    await queryClient.invalidateQueries({ queryKey: rideAlongKeys.all })
  } catch (err) {
    showError(err)
  }
}
