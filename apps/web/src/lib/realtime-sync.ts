import { useEffect } from 'react'
import { keys, queryClient } from './queries.ts'
import { realtime } from './realtime.ts'

/** Maps socket events to the queries they make stale, so every open screen updates without a reload. */
export function useRealtimeSync(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return
    realtime.start()
    const unsubscribeInbox = realtime.subscribe('inbox')
    // Bulk changes arrive as bursts of events: refetch lists and counts once per burst.
    let listTimer: ReturnType<typeof setTimeout> | null = null
    const refreshLists = () => {
      if (listTimer) return
      listTimer = setTimeout(() => {
        listTimer = null
        void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
        void queryClient.invalidateQueries({ queryKey: keys.views })
      }, 100)
    }
    const offEvent = realtime.onEvent((e) => {
      const ticketId = Number(e.payload.ticketId)
      switch (e.name) {
        case 'ticket.created':
          refreshLists()
          break
        case 'ticket.updated':
        case 'ticket.merged':
          refreshLists()
          // Delivery status, bounces and auto-replies change messages without creating one: refetch the open conversation too.
          if (ticketId) {
            void queryClient.invalidateQueries({ queryKey: keys.ticket(ticketId) })
            void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
          }
          break
        case 'message.created':
          refreshLists()
          if (ticketId) {
            void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
            void queryClient.invalidateQueries({ queryKey: keys.ticket(ticketId) })
          }
          break
        case 'notification.created':
          void queryClient.invalidateQueries({ queryKey: keys.notifications })
          break
        case 'views.changed':
          void queryClient.invalidateQueries({ queryKey: keys.views })
          break
      }
    })
    const offReconnect = realtime.onReconnect(() => void queryClient.invalidateQueries())
    return () => {
      offEvent()
      offReconnect()
      unsubscribeInbox()
      realtime.stop()
      if (listTimer) clearTimeout(listTimer)
    }
  }, [enabled])
}
